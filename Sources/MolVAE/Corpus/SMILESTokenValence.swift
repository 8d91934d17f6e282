/// What one vocabulary token adds to the valence of the atoms it touches: for an atom, how many
/// bonds it may have at most; for a bond, its order. The valence mask (`SMILESSyntaxMask` with
/// `checksValence`) keeps a running count per atom from these and forbids the token that would
/// give an atom more bonds than RDKit permits it.
///
/// Every count is a lower bound on what RDKit will count and every capacity an upper bound on
/// what it permits, so the mask forbids a token only when no completion of the string can be
/// valid: aromatic bonds count 1 (RDKit counts them after kekulisation, as 1 or 2), a ring bond
/// whose order is written at one end only counts the lower of the two, and an atom's capacity is
/// its element's largest permitted valence (phosphorus 7, sulfur 6, iodine 5), plus the size of
/// its charge (`[N+]` 4, and, more loosely than RDKit, `[O-]` 3), less its explicit hydrogens. An
/// element outside the table (and the wildcard `*`) is never limited.
public struct SMILESTokenValence: Sendable, Equatable, Hashable {
    /// For an atom, the most bond orders it may carry in all; `unlimited` otherwise.
    public let capacity: UInt8
    /// For a bond token, its order (single, aromatic and stereo bonds 1, `=` 2, `#` 3, `$` 4);
    /// 1 otherwise.
    public let order: UInt8

    public static let unlimited: UInt8 = .max
    /// What a token that touches no valence (or a mask that does not check it) carries.
    public static let unconstrained = SMILESTokenValence(capacity: unlimited, order: 1)

    init(capacity: UInt8, order: UInt8) {
        self.capacity = capacity
        self.order = order
    }

    /// The valence of the corpus token spelled `token`.
    public init(token: String) {
        switch token {
        case "=": self.init(capacity: Self.unlimited, order: 2)
        case "#": self.init(capacity: Self.unlimited, order: 3)
        case "$": self.init(capacity: Self.unlimited, order: 4)
        default:
            if let base = Self.largestValence[token] {
                self.init(capacity: base, order: 1)
            } else if let capacity = Self.bracketAtomCapacity(token) {
                self.init(capacity: capacity, order: 1)
            } else {
                self = .unconstrained
            }
        }
    }

    /// The largest valence RDKit 2022.09 permits each element (its `valenceList`), by the
    /// symbols SMILES writes them with, aromatic forms included.
    static let largestValence: [String: UInt8] = [
        "H": 1, "B": 3, "C": 4, "N": 3, "O": 2, "F": 1, "Si": 4, "P": 7, "S": 6, "Cl": 1, "Se": 6, "Br": 1, "I": 5,
        "b": 3, "c": 4, "n": 3, "o": 2, "p": 7, "s": 6, "se": 6,
    ]

    /// `[isotope? symbol chirality? H-count? charge? class?]`: the symbol's largest valence plus
    /// the size of the charge, less the hydrogens; nil for anything else or an element outside
    /// the table.
    static func bracketAtomCapacity(_ token: String) -> UInt8? {
        let chars = Array(token)
        guard chars.count >= 3, chars.first == "[", chars.last == "]" else { return nil }
        var i = 1
        let end = chars.count - 1
        while i < end, chars[i].isNumber { i += 1 }                                    // isotope
        guard i < end, chars[i].isLetter else { return nil }
        var symbol = String(chars[i])
        i += 1
        if i < end, chars[i].isLowercase, chars[i].isLetter {
            symbol.append(chars[i])
            i += 1
        }
        guard let base = largestValence[symbol] else { return nil }
        if i < end, chars[i] == "@" {                                                  // chirality
            while i < end, chars[i] == "@" { i += 1 }
            if i + 1 < end, ["TH", "AL", "SP", "TB", "OH"].contains(String(chars[i...(i + 1)])) {
                i += 2
                while i < end, chars[i].isNumber { i += 1 }
            }
        }
        var hydrogens = 0
        if i < end, chars[i] == "H" {
            i += 1
            var digits = ""
            while i < end, chars[i].isNumber { digits.append(chars[i]); i += 1 }
            hydrogens = digits.isEmpty ? 1 : (Int(digits) ?? 0)
        }
        var charge = 0
        if i < end, chars[i] == "+" || chars[i] == "-" {
            let sign = chars[i]
            var signs = 0
            while i < end, chars[i] == sign { signs += 1; i += 1 }
            var digits = ""
            while i < end, chars[i].isNumber { digits.append(chars[i]); i += 1 }
            charge = digits.isEmpty ? signs : (Int(digits) ?? 0)
        }
        let capacity = Int(base) + charge - hydrogens
        return UInt8(clamping: max(0, capacity))
    }
}
