extension ReferenceFile {
    /// `load(path:threads:cache:note:)` under mpirun: rank 0 alone reads and writes the cache
    /// (the folder may be on rank 0's machine only) and tells the others whether it holds the
    /// file; on a miss every rank judges its interleaved share of the lines
    /// (`EvaluatedSet.evaluate`) and rank 0 reduces them to statistics and caches them. Rank 0
    /// gets the file, the other ranks nil. Without MPI this is the plain `load`.
    public static func load(path: String, threads: Int, cache: ReferenceCache?, note: (String) -> Void,
                            group: ProcessGroup) throws -> (file: ReferenceFile, outcome: ReferenceCache.Outcome?)? {
        guard group.usesMPI else { return try load(path: path, threads: threads, cache: cache, note: note) }
        let sha256 = try group.collectively { try SHA256.hexDigest(ofFileAt: path) }
        let key = cacheKey(sha256: sha256)
        var cached: ReferenceFile?, problem: CacheFileError?
        if group.isRoot, let cache {
            (cached, problem) = cache.lookUp(key, decode: { (reader: inout BinaryReader) throws(CacheFileError) in
                try decodePayload(&reader, path: path, sha256: sha256)
            }, note: note)
        }
        if group.broadcast(cached != nil) { return cached.map { ($0, .hit) } }
        guard let evaluated = try EvaluatedSet.evaluate(path: path, sha256: sha256, role: .reference, threads: threads, group: group) else {
            return nil
        }
        let file = ReferenceFile(evaluated)
        return (file, cache.map { $0.store(file, for: key, encode: { $0.cachePayload() }, replacing: problem, note: note) })
    }
}
