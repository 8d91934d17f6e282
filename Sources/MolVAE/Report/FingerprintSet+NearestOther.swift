import CKernels

extension FingerprintSet {
    /// For each row, the largest Tanimoto similarity to any *other* row of the same set (0 for a
    /// set of one): GuacaMol's `calculate_internal_pairwise_similarities(...).max(axis=1)`, whose
    /// matrix has a zero diagonal. One pass over the upper triangle, split over `threads` workers.
    public func maxSimilaritiesToOthers(threads: Int) -> [Double] {
        let n = count, words = self.words
        guard n > 0 else { return [] }
        let workers = max(1, min(threads, (n + 63) / 64))
        // Pair (i, j) also raises row j's best, so each worker keeps its own array.
        let partial = (0..<workers).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: n) }
        defer { partial.forEach { $0.deallocate() } }
        for w in 0..<workers { partial[w].initialize(repeating: 0, count: n) }
        rows.withUnsafeBufferPointer { rowBuffer in
            counts.withUnsafeBufferPointer { countBuffer in
                parallelChunks(count: workers, threads: workers, maxChunk: 1) { range in
                    for w in range {
                        mk_tanimoto_pair_max(rowBuffer.baseAddress, countBuffer.baseAddress, n, words, w, workers, partial[w])
                    }
                }
            }
        }
        return (0..<n).map { i in (0..<workers).reduce(0.0) { Swift.max($0, partial[$1][i]) } }
    }
}
