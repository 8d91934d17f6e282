extension EvaluatedSet {
    /// `init(path:role:threads:)` shared over the ranks of `group`: every rank reads the file,
    /// and of each chunk rank r judges lines r, r + size, ...; rank 0 gathers the verdicts in
    /// input order. A line's verdict depends on the line alone (`verdict(on:role:)`), so rank 0's
    /// set equals a single process's, field for field; the other ranks get nil. A failure to
    /// read on any rank is one `RankFailure` on every rank. Without MPI this is the plain init.
    public static func evaluate(path: String, sha256: String? = nil, role: Role, threads: Int, chunkSize: Int = 8192,
                                group: ProcessGroup) throws -> EvaluatedSet? {
        guard group.usesMPI else {
            if let sha256 { return try EvaluatedSet(path: path, sha256: sha256, role: role, threads: threads, chunkSize: chunkSize) }
            return try EvaluatedSet(path: path, role: role, threads: threads, chunkSize: chunkSize)
        }
        let (digest, reader) = try group.collectively { (try sha256 ?? SHA256.hexDigest(ofFileAt: path), try SMILESReader(path: path)) }
        var valid: [MoleculeFeatures] = []
        var invalid: [InvalidLine] = []
        var lines = 0
        while true {
            let batch = try group.collectively { try reader.nextBatch(maxCount: chunkSize) }
            if batch.isEmpty { break }
            lines += batch.count
            let mine = Array(group.interleavedShare(of: batch.count))
            var results = [Result<MoleculeFeatures, InvalidLine>?](repeating: nil, count: mine.count)
            results.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                parallelChunks(count: mine.count, threads: threads, maxChunk: 64) { range in
                    for i in range { base[i] = verdict(on: batch[mine[i]], role: role) }
                }
            }
            guard let all = group.gatherInterleaved(results.map { $0! }) else { continue }
            for result in all {
                switch result {
                case .success(let features): valid.append(features)
                case .failure(let line): invalid.append(line)
                }
            }
        }
        guard group.isRoot else { return nil }
        return EvaluatedSet(path: path, sha256: digest, lineCount: lines, valid: valid, invalid: invalid)
    }
}
