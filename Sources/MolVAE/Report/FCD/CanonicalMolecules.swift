/// A SMILES file reduced to what ChemNet reads: the canonical SMILES of every valid line, in
/// order, duplicates kept (MOSES's `remove_invalid(gen, canonize=True)`), and how many lines
/// were not valid.
public struct CanonicalMolecules: Sendable {
    public let path: String
    public let sha256: String
    public let lineCount: Int
    public let smiles: [String]

    public var invalidCount: Int { lineCount - smiles.count }

    public init(path: String, threads: Int, chunkSize: Int = 16384) throws {
        self.path = path
        sha256 = try SHA256.hexDigest(ofFileAt: path)
        let reader = try SMILESReader(path: path)
        var smiles: [String] = [], lines = 0
        while true {
            let batch = try reader.nextBatch(maxCount: chunkSize)
            if batch.isEmpty { break }
            lines += batch.count
            smiles += MoleculeCanonicaliser.canonical(batch.map(\.smiles), threads: threads).compactMap { $0 }
        }
        lineCount = lines
        self.smiles = smiles
    }
}
