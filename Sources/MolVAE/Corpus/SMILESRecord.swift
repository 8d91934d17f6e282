/// One molecule as read from a file, before any chemistry is applied.
public struct SMILESRecord: Sendable, Hashable {
    /// Why a line's raw bytes cannot hold a usable SMILES, for callers that must account for
    /// every line (`molvae props`). Other callers can ignore it: the text is still decoded
    /// (lossily) as before.
    public enum Issue: Sendable, Hashable, CustomStringConvertible {
        /// The line contains a NUL byte (a C string would silently end there).
        case nulByte
        /// The line is not valid UTF-8 (the text holds U+FFFD replacements).
        case invalidUTF8
        /// The line is empty or only spaces and tabs; only returned with `blankLines: .keep`.
        case blankLine

        public var description: String {
            switch self {
            case .nulByte: return "input contains a NUL byte"
            case .invalidUTF8: return "input is not valid UTF-8"
            case .blankLine: return "empty line"
            }
        }
    }

    /// The 1-based physical line number in the (decompressed) file, for error messages.
    public let lineNumber: Int
    public let smiles: String
    /// The name/identifier column or the text after the SMILES on a .smi line, if present.
    public let name: String?
    /// Set when the line's bytes hold a NUL or invalid UTF-8 (checked over the whole line), or
    /// when it is a kept blank line; nil for an ordinary line.
    public let issue: Issue?

    public init(lineNumber: Int, smiles: String, name: String? = nil, issue: Issue? = nil) {
        self.lineNumber = lineNumber
        self.smiles = smiles
        self.name = name
        self.issue = issue
    }
}
