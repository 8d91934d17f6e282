/// A file of SMILES after RDKit has judged every line: the valid molecules' features in input
/// order, and every invalid line with its reason. Nothing is dropped silently.
public struct EvaluatedSet: Sendable {
    public struct InvalidLine: Sendable, Codable {
        public let line: Int
        public let smiles: String
        public let reason: InvalidReason
        public let message: String
    }

    /// Generated molecules are scored in canonical form, reference molecules as given (MOSES).
    public enum Role: Sendable { case generated, reference }

    public let path: String
    public let sha256: String
    public let lineCount: Int
    public let valid: [MoleculeFeatures]
    public let invalid: [InvalidLine]

    /// Reads `path` (any format `SMILESReader` accepts) and evaluates it on `threads` workers,
    /// in chunks so that memory stays proportional to the molecules kept.
    public init(path: String, role: Role, threads: Int, chunkSize: Int = 8192) throws {
        try self.init(path: path, sha256: try SHA256.hexDigest(ofFileAt: path), role: role, threads: threads, chunkSize: chunkSize)
    }

    /// Reads `path`, whose digest the caller has already computed (the cache needs it first).
    init(path: String, sha256: String, role: Role, threads: Int, chunkSize: Int = 8192) throws {
        self.path = path
        self.sha256 = sha256
        let reader = try SMILESReader(path: path)
        var valid: [MoleculeFeatures] = []
        var invalid: [InvalidLine] = []
        var lines = 0
        while true {
            let batch = try reader.nextBatch(maxCount: chunkSize)
            if batch.isEmpty { break }
            lines += batch.count
            var results = [Result<MoleculeFeatures, InvalidLine>?](repeating: nil, count: batch.count)
            results.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                parallelChunks(count: batch.count, threads: threads, maxChunk: 64) { range in
                    for i in range { base[i] = EvaluatedSet.verdict(on: batch[i], role: role) }
                }
            }
            for result in results {
                switch result! {
                case .success(let features): valid.append(features)
                case .failure(let line): invalid.append(line)
                }
            }
        }
        lineCount = lines
        self.valid = valid
        self.invalid = invalid
    }

    /// A set whose lines were judged elsewhere (by the ranks of an mpirun job).
    init(path: String, sha256: String, lineCount: Int, valid: [MoleculeFeatures], invalid: [InvalidLine]) {
        self.path = path
        self.sha256 = sha256
        self.lineCount = lineCount
        self.valid = valid
        self.invalid = invalid
    }

    public var invalidCounts: [InvalidReason: Int] {
        var counts: [InvalidReason: Int] = [:]
        for line in invalid { counts[line.reason, default: 0] += 1 }
        return counts
    }
}

extension EvaluatedSet.InvalidLine: Error {}

extension EvaluatedSet {
    /// One line judged: its features, or why it is not a valid molecule. Depends on the line
    /// alone, so lines can be judged in any grouping, on any rank.
    static func verdict(on record: SMILESRecord, role: Role) -> Result<MoleculeFeatures, InvalidLine> {
        let molecule: Molecule
        do {
            molecule = try Molecule(smiles: record.smiles)
        } catch {
            return .failure(.init(line: record.lineNumber, smiles: record.smiles,
                                  reason: InvalidReason(smiles: record.smiles, message: error.reason),
                                  message: error.reason))
        }
        do {
            return .success(try MoleculeFeatures(molecule, role: role))
        } catch {
            // RDKit parsed the molecule but could not score it: invalid for the metrics, with why.
            return .failure(.init(line: record.lineNumber, smiles: record.smiles, reason: .other,
                                  message: "\(error)"))
        }
    }
}
