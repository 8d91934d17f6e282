/// What one vocabulary token is to the SMILES grammar: the only thing the syntax mask needs to
/// know about a token, so the decoding loops never look at token strings.
public enum SMILESTokenClass: Sendable, Equatable {
    /// An organic-subset atom (`B C N O P S F Cl Br I`), an aromatic one (`b c n o p s`), the
    /// wildcard `*`, or a bracket atom (`[nH]`, `[C@@H]`, `[NH3+]`...).
    case atom
    /// `-` `=` `#` `$` `:` `/` `\`.
    case bond
    /// `(`.
    case branchOpen
    /// `)`.
    case branchClose
    /// A ring-bond label: a digit `0`–`9` or `%10`–`%99`, with its number (0–99).
    case ringLabel(Int)
    /// `.`: the next atom starts a new, unbonded fragment.
    case dot
    /// `<eos>`: the end of the string.
    case end
    /// `<pad>`, `<bos>`, `<unk>` and anything unrecognised: never a valid next token.
    case never

    /// The class of a corpus token spelled `token` (special tokens are classed by their ids,
    /// see `SMILESSyntaxMask`).
    ///
    /// Bracket atoms are recognised by their form (`[`, at least one character, `]`), not their
    /// content: the vocabulary comes from RDKit-canonical SMILES, so every bracket token in it is
    /// one RDKit reads. `%00`–`%09` are `never`: RDKit 2022.09 rejects them as a syntax error
    /// (the digits 0–9 name those rings).
    public init(token: String) {
        switch token {
        case "B", "C", "N", "O", "P", "S", "F", "Cl", "Br", "I", "b", "c", "n", "o", "p", "s", "*":
            self = .atom
        case "-", "=", "#", "$", ":", "/", "\\":
            self = .bond
        case "(":
            self = .branchOpen
        case ")":
            self = .branchClose
        case ".":
            self = .dot
        default:
            self = Self.ringLabel(token) ?? (Self.isBracketAtom(token) ? .atom : .never)
        }
    }

    /// The ring label `token` spells, if it is one: one digit, or `%` and two digits from 10 to 99.
    private static func ringLabel(_ token: String) -> SMILESTokenClass? {
        let bytes = Array(token.utf8)
        func digit(_ byte: UInt8) -> Int? { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil }
        if bytes.count == 1, let d = digit(bytes[0]) { return .ringLabel(d) }
        if bytes.count == 3, bytes[0] == UInt8(ascii: "%"), let tens = digit(bytes[1]), let units = digit(bytes[2]), tens > 0 {
            return .ringLabel(tens * 10 + units)
        }
        return nil
    }

    /// `[`, one or more characters other than brackets, `]`: how the tokenizer forms a bracket atom.
    private static func isBracketAtom(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        guard bytes.count >= 3, bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]") else { return false }
        return !bytes[1..<(bytes.count - 1)].contains { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") }
    }
}
