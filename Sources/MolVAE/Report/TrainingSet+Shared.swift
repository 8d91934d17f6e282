extension TrainingSet {
    /// `load(path:threads:cache:note:)` under mpirun: rank 0 alone reads and writes the cache and
    /// tells the others whether it holds the set; on a miss every rank reads the file and
    /// canonicalises its interleaved share of each chunk, and rank 0 gathers the forms in input
    /// order (a line's form depends on the line alone, so the set equals a single process's).
    /// Rank 0 gets the set, the other ranks nil. Without MPI this is the plain `load`.
    public static func load(path: String, threads: Int, cache: ReferenceCache?, note: (String) -> Void,
                            group: ProcessGroup) throws -> (set: TrainingSet, outcome: ReferenceCache.Outcome?)? {
        guard group.usesMPI else { return try load(path: path, threads: threads, cache: cache, note: note) }
        let sha256 = try group.collectively { try SHA256.hexDigest(ofFileAt: path) }
        let key = cacheKey(sha256: sha256)
        var cached: TrainingSet?, problem: CacheFileError?
        if group.isRoot, let cache {
            (cached, problem) = cache.lookUp(key, decode: { (reader: inout BinaryReader) throws(CacheFileError) in
                try decodePayload(&reader, path: path, sha256: sha256)
            }, note: note)
        }
        if group.broadcast(cached != nil) { return cached.map { ($0, .hit) } }
        guard let set = try read(path: path, sha256: sha256, threads: threads, group: group) else { return nil }
        return (set, cache.map { $0.store(set, for: key, encode: { $0.cachePayload() }, replacing: problem, note: note) })
    }

    /// The plain init's reading, each chunk's canonicalisation split over the ranks.
    static func read(path: String, sha256: String, threads: Int, chunkSize: Int = 16384, group: ProcessGroup) throws -> TrainingSet? {
        let reader = try group.collectively { try SMILESReader(path: path) }
        var canonical = Set<String>(), lines = 0, validLines = 0
        var ordered: [String] = []
        while true {
            let batch = try group.collectively { try reader.nextBatch(maxCount: chunkSize) }
            if batch.isEmpty { break }
            lines += batch.count
            let mine = Array(group.interleavedShare(of: batch.count))
            var forms = [String?](repeating: nil, count: mine.count)
            forms.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                parallelChunks(count: mine.count, threads: threads, maxChunk: 256) { range in
                    for i in range { base[i] = try? Molecule(smiles: batch[mine[i]].smiles).canonicalSMILES }
                }
            }
            guard let all = group.gatherInterleaved(forms) else { continue }
            for (record, form) in zip(batch, all) {
                ordered.append(record.smiles)
                if let form { canonical.insert(form); validLines += 1 }
            }
        }
        guard group.isRoot else { return nil }
        return TrainingSet(path: path, sha256: sha256, lineCount: lines, validCount: validLines, smiles: ordered, canonical: canonical)
    }
}
