import Foundation

/// Cheap checks a SMILES string must pass before RDKit sees it.
///
/// Why they exist:
/// - RDKit's SMILES parser reads up to the first whitespace (the rest is a molecule name) and
///   passes over bytes it does not know, so `CC O` became `CC` and `CéC` became `C`: a line
///   silently scored as another molecule. SMILES is printable ASCII without spaces, so any other
///   character makes the whole string invalid, with the character and its position named.
/// - RDKit's cost grows steeply with size (a 1,000-carbon chain took 1.2 s through `props`,
///   4,000 over a minute), so a string with more atoms than ``maximumAtoms`` is refused in
///   linear time before any RDKit work. No drug-like molecule comes near the default (500).
public enum SMILESScreen {
    /// The default atom limit: every MOSES, ZINC and GuacaMol molecule has under 200 heavy atoms,
    /// and scoring 500 chained atoms takes about 0.3 s.
    public static let defaultMaximumAtoms = 500

    /// The environment variable that overrides ``defaultMaximumAtoms`` for every command.
    public static let maximumAtomsVariable = "MOLVAE_MAX_ATOMS"

    /// The atom limit in force: `MOLVAE_MAX_ATOMS` when it is a positive integer, else the default.
    public static let maximumAtoms: Int = {
        guard let text = ProcessInfo.processInfo.environment[maximumAtomsVariable] else { return defaultMaximumAtoms }
        guard let value = Int(text), value > 0 else {
            FileHandle.standardError.write(Data("molvae: ignoring \(maximumAtomsVariable)=\"\(text)\" (not a positive integer); atom limit \(defaultMaximumAtoms)\n".utf8))
            return defaultMaximumAtoms
        }
        return value
    }()

    /// The longest string RDKit is given, in bytes: no molecule under the atom limit needs
    /// more, and a long run of ring-closure digits (`C1111…`) kept RDKit busy for minutes.
    public static let maximumLength = 20_000

    /// Why a string is refused before parsing.
    public enum Rejection: Error, Sendable, Equatable, CustomStringConvertible {
        /// A character that SMILES never contains (whitespace, control, non-ASCII); `position`
        /// counts characters from 1.
        case foreignCharacter(Character, position: Int)
        /// More atoms than the limit for RDKit work.
        case tooManyAtoms(count: Int, limit: Int)
        /// More bytes than ``maximumLength``.
        case tooLong(bytes: Int, limit: Int)

        public var description: String {
            switch self {
            case let .foreignCharacter(character, position):
                let scalars = character.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
                let what: String
                if character.isWhitespace {
                    what = "whitespace"
                } else if character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                    what = "control character"
                } else {
                    what = "character \"\(character)\""
                }
                return "\(what) (\(scalars)) at position \(position) is not SMILES syntax"
            case let .tooManyAtoms(count, limit):
                return "\(count) atoms, over the limit of \(limit) for RDKit work (set \(maximumAtomsVariable) to raise it)"
            case let .tooLong(bytes, limit):
                return "SMILES longer than \(limit) bytes (\(bytes))"
            }
        }
    }

    /// The first reason `smiles` must not reach RDKit, or nil when it may.
    public static func rejection(of smiles: String, maximumAtoms: Int = maximumAtoms) -> Rejection? {
        if let foreign = firstForeignCharacter(in: smiles) { return foreign }
        if smiles.utf8.count > maximumLength { return .tooLong(bytes: smiles.utf8.count, limit: maximumLength) }
        let atoms = atomCount(smiles)
        return atoms > maximumAtoms ? .tooManyAtoms(count: atoms, limit: maximumAtoms) : nil
    }

    /// Printable ASCII other than space: the only bytes a SMILES string is made of.
    static func isSMILESByte(_ byte: UInt8) -> Bool { byte > 0x20 && byte < 0x7F }

    private static func firstForeignCharacter(in smiles: String) -> Rejection? {
        guard smiles.utf8.contains(where: { !isSMILESByte($0) }) else { return nil }
        for (offset, character) in smiles.enumerated() where !(character.isASCII && character.utf8.allSatisfy(isSMILESByte)) {
            return .foreignCharacter(character, position: offset + 1)
        }
        return nil
    }

    /// The atoms as written, hydrogens in brackets excepted: one per bracket atom whose element
    /// is not H, one per organic-subset atom (`B C N O P S F Cl Br I`, aromatic `b c n o p s`)
    /// and `*`. RDKit's molecule has at least this many heavy atoms, so its canonical SMILES has at
    /// least this many tokens: a cheap lower bound to test a token limit with, before parsing.
    public static func atomCount(_ smiles: String) -> Int {
        var count = 0
        var inBracket = false
        var bracketStart = true
        var bracketIsHydrogen = false
        for byte in smiles.utf8 {
            if inBracket {
                if byte == UInt8(ascii: "]") {
                    inBracket = false
                    if !bracketIsHydrogen { count += 1 }
                } else if bracketStart, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                    continue  // an isotope label comes before the element
                } else if bracketStart {
                    bracketStart = false
                    bracketIsHydrogen = byte == UInt8(ascii: "H")
                } else if bracketIsHydrogen, byte >= UInt8(ascii: "a"), byte <= UInt8(ascii: "z") {
                    bracketIsHydrogen = false  // Hf, Hg, Ho, He, Hs: not hydrogen
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "["):
                inBracket = true
                bracketStart = true
                bracketIsHydrogen = false
            case UInt8(ascii: "B"), UInt8(ascii: "C"), UInt8(ascii: "N"), UInt8(ascii: "O"), UInt8(ascii: "P"),
                 UInt8(ascii: "S"), UInt8(ascii: "F"), UInt8(ascii: "I"), UInt8(ascii: "*"),
                 UInt8(ascii: "b"), UInt8(ascii: "c"), UInt8(ascii: "n"), UInt8(ascii: "o"), UInt8(ascii: "p"), UInt8(ascii: "s"):
                count += 1
            default:
                break
            }
        }
        return count
    }
}
