import CKernels
import Dispatch

/// Bit-packed fingerprints of many molecules in one flat buffer, with each row's popcount:
/// the layout the popcount kernels read.
public struct FingerprintSet: Sendable {
    public let words: Int
    public private(set) var rows: [UInt64]
    public private(set) var counts: [UInt32]

    public var count: Int { counts.count }

    public init(words: Int, rows: [UInt64]) {
        precondition(words > 0 && rows.count % words == 0, "fingerprint rows must be whole")
        self.words = words
        self.rows = rows
        let n = rows.count / words
        counts = rows.withUnsafeBufferPointer { buffer in
            (0..<n).map { mk_popcount(buffer.baseAddress! + $0 * words, words) }
        }
    }

    /// The same rows ordered by ascending popcount, as `maxSimilarities` needs for its pruning.
    public func sortedByPopcount() -> FingerprintSet {
        let order = counts.indices.sorted { counts[$0] < counts[$1] }
        var sorted = [UInt64]()
        sorted.reserveCapacity(rows.count)
        for index in order { sorted.append(contentsOf: rows[index * words..<(index + 1) * words]) }
        var copy = self
        copy.rows = sorted
        copy.counts = order.map { counts[$0] }
        return copy
    }

    /// For each row of `self`, the largest Tanimoto similarity to any row of `references`
    /// (which must be sorted by popcount). Exact; split over `threads` workers.
    public func maxSimilarities(to references: FingerprintSet, threads: Int) -> [Double] {
        precondition(words == references.words, "fingerprint widths differ")
        var best = [Double](repeating: 0, count: count)
        guard count > 0, references.count > 0 else { return best }
        let n = count, words = self.words
        rows.withUnsafeBufferPointer { query in
            counts.withUnsafeBufferPointer { queryCounts in
                references.rows.withUnsafeBufferPointer { reference in
                    references.counts.withUnsafeBufferPointer { referenceCounts in
                        best.withUnsafeMutableBufferPointer { out in
                            let outBase = out.baseAddress!
                            parallelChunks(count: n, threads: threads) { range in
                                mk_max_tanimoto(query.baseAddress, queryCounts.baseAddress, range.lowerBound, range.upperBound,
                                                reference.baseAddress, referenceCounts.baseAddress, references.count,
                                                words, outBase + range.lowerBound)
                            }
                        }
                    }
                }
            }
        }
        return best
    }

    /// For each row i, the sums over all rows j (i itself included) of T(i, j) and of T(i, j)^2:
    /// the inner sums of MOSES's internal diversity for p = 1 and p = 2, from one pass over the
    /// pairs j > i (Tanimoto is symmetric) split over `threads` workers.
    public func similaritySums(threads: Int) -> (first: [Double], second: [Double]) {
        let n = count, words = self.words
        guard n > 0 else { return ([], []) }
        let workers = max(1, min(threads, (n + 63) / 64))
        // Each worker adds into its own accumulators, since pair (i, j) also updates row j.
        var partial1 = [[Double]](repeating: [Double](repeating: 0, count: n), count: workers)
        var partial2 = partial1
        rows.withUnsafeBufferPointer { rowBuffer in
            counts.withUnsafeBufferPointer { countBuffer in
                let accumulators1 = partial1.indices.map { _ in UnsafeMutablePointer<Double>.allocate(capacity: n) }
                let accumulators2 = partial2.indices.map { _ in UnsafeMutablePointer<Double>.allocate(capacity: n) }
                defer { (accumulators1 + accumulators2).forEach { $0.deallocate() } }
                for w in 0..<workers {
                    accumulators1[w].initialize(repeating: 0, count: n)
                    accumulators2[w].initialize(repeating: 0, count: n)
                }
                parallelChunks(count: workers, threads: workers, maxChunk: 1) { range in
                    for w in range {
                        mk_tanimoto_pair_sums(rowBuffer.baseAddress, countBuffer.baseAddress, n, words, w, workers,
                                              accumulators1[w], accumulators2[w])
                    }
                }
                for w in 0..<workers {
                    partial1[w] = Array(UnsafeBufferPointer(start: accumulators1[w], count: n))
                    partial2[w] = Array(UnsafeBufferPointer(start: accumulators2[w], count: n))
                }
            }
        }
        // The diagonal: every fingerprint is identical to itself (T = 1, empty ones included).
        var first = [Double](repeating: 1, count: n), second = [Double](repeating: 1, count: n)
        for w in 0..<workers {
            for i in 0..<n {
                first[i] += partial1[w][i]
                second[i] += partial2[w][i]
            }
        }
        return (first, second)
    }
}
