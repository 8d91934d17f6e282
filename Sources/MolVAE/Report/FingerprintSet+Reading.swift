extension FingerprintSet {
    /// Morgan radius-2 fingerprints (1024 bits, as MOSES) of every valid molecule in a file,
    /// computed on `threads` workers; invalid lines are skipped. For benchmarks and tools that
    /// need only the similarity structure of a set, not the full report.
    public static func morgan1024(path: String, threads: Int, chunkSize: Int = 16384) throws -> FingerprintSet {
        let reader = try SMILESReader(path: path)
        var rows: [UInt64] = []
        while true {
            let batch = try reader.nextBatch(maxCount: chunkSize)
            if batch.isEmpty { break }
            var words = [[UInt64]?](repeating: nil, count: batch.count)
            words.withUnsafeMutableBufferPointer { out in
                let base = out.baseAddress!
                parallelChunks(count: batch.count, threads: threads) { range in
                    for i in range {
                        base[i] = try? Molecule(smiles: batch[i].smiles).morganFingerprint(radius: 2, bits: 1024).words
                    }
                }
            }
            for row in words { if let row { rows.append(contentsOf: row) } }
        }
        return FingerprintSet(words: 16, rows: rows)
    }
}
