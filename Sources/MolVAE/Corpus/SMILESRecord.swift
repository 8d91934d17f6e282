/// One molecule as read from a file, before any chemistry is applied.
public struct SMILESRecord: Sendable, Hashable {
    /// The 1-based physical line number in the (decompressed) file, for error messages.
    public let lineNumber: Int
    public let smiles: String
    /// The name/identifier column or the text after the SMILES on a .smi line, if present.
    public let name: String?

    public init(lineNumber: Int, smiles: String, name: String? = nil) {
        self.lineNumber = lineNumber
        self.smiles = smiles
        self.name = name
    }
}
