/// The training SMILES a generated set is compared against for novelty: the strings exactly
/// as given (MOSES compares against those) and their canonical forms (GuacaMol canonicalizes).
/// Only parsing and canonicalization are done: no fingerprints or scores for 250k molecules.
public struct TrainingSet: Sendable {
    public let path: String
    public let sha256: String
    public let lineCount: Int
    public let validCount: Int
    public let raw: Set<String>
    public let canonical: Set<String>
    /// Every SMILES in file order (GuacaMol's KL benchmark draws its reference from these).
    public let smiles: [String]

    public init(path: String, threads: Int, chunkSize: Int = 16384) throws {
        try self.init(path: path, sha256: try SHA256.hexDigest(ofFileAt: path), threads: threads, chunkSize: chunkSize)
    }

    /// Reads `path`, whose digest the caller has already computed (the cache needs it first).
    init(path: String, sha256: String, threads: Int, chunkSize: Int = 16384) throws {
        self.path = path
        self.sha256 = sha256
        let reader = try SMILESReader(path: path)
        var raw = Set<String>(), canonical = Set<String>(), lines = 0, validLines = 0
        var ordered: [String] = []
        while true {
            let batch = try reader.nextBatch(maxCount: chunkSize)
            if batch.isEmpty { break }
            lines += batch.count
            var forms = [String?](repeating: nil, count: batch.count)
            forms.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                parallelChunks(count: batch.count, threads: threads, maxChunk: 256) { range in
                    for i in range { base[i] = try? Molecule(smiles: batch[i].smiles).canonicalSMILES }
                }
            }
            for (record, form) in zip(batch, forms) {
                raw.insert(record.smiles)
                ordered.append(record.smiles)
                if let form { canonical.insert(form); validLines += 1 }
            }
        }
        lineCount = lines
        validCount = validLines
        self.raw = raw
        self.canonical = canonical
        smiles = ordered
    }

    init(path: String, sha256: String, lineCount: Int, validCount: Int, smiles: [String], canonical: Set<String>) {
        self.path = path
        self.sha256 = sha256
        self.lineCount = lineCount
        self.validCount = validCount
        self.smiles = smiles
        raw = Set(smiles)
        self.canonical = canonical
    }
}
