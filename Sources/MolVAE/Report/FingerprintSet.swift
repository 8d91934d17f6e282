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

    /// For each row, the sum over all rows (itself included) of Tanimoto similarity to the power
    /// `power` (1 or 2): the inner sums of MOSES's internal diversity.
    public func similarityPowerSums(power: Int, threads: Int) -> [Double] {
        precondition(power == 1 || power == 2, "power must be 1 or 2")
        var sums = [Double](repeating: 0, count: count)
        guard count > 0 else { return sums }
        let n = count, words = self.words
        rows.withUnsafeBufferPointer { rowBuffer in
            counts.withUnsafeBufferPointer { countBuffer in
                sums.withUnsafeMutableBufferPointer { out in
                    let outBase = out.baseAddress!
                    parallelChunks(count: n, threads: threads) { range in
                        mk_tanimoto_power_sums(rowBuffer.baseAddress, countBuffer.baseAddress, n,
                                               range.lowerBound, range.upperBound, words, Int32(power),
                                               outBase + range.lowerBound)
                    }
                }
            }
        }
        return sums
    }
}
