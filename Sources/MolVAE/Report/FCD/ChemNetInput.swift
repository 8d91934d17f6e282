/// ChemNet's input, exactly as fcd_torch 1.0.7 builds it (`utils.get_one_hot(smiles, 350)`
/// divided by 35): a 35-symbol alphabet, one symbol per position, at most 350 positions.
///
/// - A character followed by `r`, `i` or `l` forms a two-character symbol with it (`Br`, `Si`,
///   `Cl`, but also `Li`, `Ti`…, which are not in the alphabet and become the unknown symbol `X`).
/// - Any other character is a symbol of its own; one outside the alphabet becomes `X`.
/// - An end symbol `.` follows the last symbol. Reading stops at the first `.` of the SMILES
///   itself (so only the first fragment of a multi-fragment SMILES is seen) or when 349 symbols
///   are written, whichever comes first.
/// - Positions after the end symbol are all zeros; every one-hot value is 1/35.
public enum ChemNetInput {
    public static let alphabet = ["C", "N", "O", "H", "F", "Cl", "P", "B", "Br", "S", "I", "Si", "#", "(", ")", "+", "-",
                                  "1", "2", "3", "4", "5", "6", "7", "8", "=", "[", "]", "@", "c", "n", "o", "s", "X", "."]
    public static let length = 350
    public static let scale: Float = 1 / 35
    static let unknown = UInt8(alphabet.firstIndex(of: "X")!)
    static let end = UInt8(alphabet.firstIndex(of: ".")!)

    /// The alphabet indices of the positions that hold a symbol, the end symbol included (1 to
    /// 350 of them). `smiles` is what ChemNet reads: fcd_torch canonicalises with RDKit first.
    public static func symbols(_ smiles: String) -> [UInt8] {
        var out: [UInt8] = []
        symbols(smiles, into: &out)
        return out
    }

    /// The same, appended to `out`. A port of get_one_hot's loop: the first symbol is written
    /// before the first test for the end. (An empty string, on which fcd_torch fails with an
    /// IndexError, gives the end symbol alone.)
    public static func symbols(_ smiles: String, into out: inout [UInt8]) {
        var chars = smiles.unicodeScalars.map(\.value)
        guard !chars.isEmpty else { out.append(end); return }
        chars.append(dot)
        var src = 0, written = 0
        while true {
            let first = chars[src], next = chars[src + 1]
            if next == r || next == i || next == l {
                out.append(pairIndex(first, next))
                src += 2
            } else {
                out.append(first < 128 ? single[Int(first)] : unknown)
                src += 1
            }
            written += 1
            if src >= chars.count || chars[src] == dot || written == length - 1 { break }
        }
        out.append(end)
    }

    private static let dot = UInt32(UInt8(ascii: ".")), r = UInt32(UInt8(ascii: "r"))
    private static let i = UInt32(UInt8(ascii: "i")), l = UInt32(UInt8(ascii: "l"))

    /// Alphabet index of each one-character symbol (ASCII), `X` for the rest.
    private static let single: [UInt8] = (0..<128).map { code in
        let symbol = String(UnicodeScalar(UInt8(code)))
        return alphabet.firstIndex(of: symbol).map { UInt8($0) } ?? unknown
    }

    private static func pairIndex(_ first: UInt32, _ second: UInt32) -> UInt8 {
        switch (first, second) {
        case (UInt32(UInt8(ascii: "C")), l): return UInt8(alphabet.firstIndex(of: "Cl")!)
        case (UInt32(UInt8(ascii: "B")), r): return UInt8(alphabet.firstIndex(of: "Br")!)
        case (UInt32(UInt8(ascii: "S")), i): return UInt8(alphabet.firstIndex(of: "Si")!)
        default: return unknown
        }
    }
}
