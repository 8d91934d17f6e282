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
        reordered(by: popcountOrder())
    }

    /// Row indices by ascending popcount (stable, so equal counts keep their order).
    private func popcountOrder() -> [Int] {
        counts.indices.sorted { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 < $1) }
    }

    private func reordered(by order: [Int]) -> FingerprintSet {
        var sorted = [UInt64]()
        sorted.reserveCapacity(rows.count)
        for index in order { sorted.append(contentsOf: rows[index * words..<(index + 1) * words]) }
        var copy = self
        copy.rows = sorted
        copy.counts = order.map { counts[$0] }
        return copy
    }

    /// The word-major tiles of 8 rows the all-pairs kernels read (see similarity_kernels.h),
    /// with each tile's counts (and second-half counts) as doubles; padding rows get `padCount`.
    private func tiles(padCount: Double) -> (words: [UInt64], counts: [Double]) {
        let tileCount = mk_tile_count(count)
        var tileWords = [UInt64](repeating: 0, count: tileCount * words * Int(MK_TILE_ROWS))
        var tileCounts = [Double](repeating: 0, count: tileCount * 2 * Int(MK_TILE_ROWS))
        rows.withUnsafeBufferPointer { rowBuffer in
            counts.withUnsafeBufferPointer { countBuffer in
                tileWords.withUnsafeMutableBufferPointer { wordsOut in
                    tileCounts.withUnsafeMutableBufferPointer { countsOut in
                        mk_make_tiles(rowBuffer.baseAddress, countBuffer.baseAddress, count, words, padCount,
                                      wordsOut.baseAddress, countsOut.baseAddress)
                    }
                }
            }
        }
        return (tileWords, tileCounts)
    }

    /// For each row of `self`, the largest Tanimoto similarity to any row of `references`
    /// (which must be sorted by popcount). Exact; split over `threads` workers.
    public func maxSimilarities(to references: FingerprintSet, threads: Int) -> [Double] {
        maxSimilarities(to: references, threads: threads, kernel: MK_KERNEL_AUTO)
    }

    /// `maxSimilarities(to:threads:)` with the kernel body chosen by the caller, so tests can
    /// run the portable body on machines that have AVX-512.
    func maxSimilarities(to references: FingerprintSet, threads: Int, kernel: mk_kernel) -> [Double] {
        precondition(words == references.words, "fingerprint widths differ")
        guard count > 0 else { return [] }
        guard references.count > 0 else { return [Double](repeating: 0, count: count) }
        // The kernel wants queries sorted by popcount too, so each block of queries has a narrow
        // count range and the bound can skip whole reference tiles for all of them.
        let order = popcountOrder()
        let queries = reordered(by: order)
        let referenceTiles = references.tiles(padCount: 1e9)
        var sortedBest = [Double](repeating: 0, count: count)
        let n = count, words = self.words
        let blockSize = Int(MK_QUERY_BLOCK)
        let blocks = (n + blockSize - 1) / blockSize
        queries.rows.withUnsafeBufferPointer { query in
            queries.counts.withUnsafeBufferPointer { queryCounts in
                referenceTiles.words.withUnsafeBufferPointer { tileWords in
                    referenceTiles.counts.withUnsafeBufferPointer { tileCounts in
                        references.counts.withUnsafeBufferPointer { referenceCounts in
                            sortedBest.withUnsafeMutableBufferPointer { out in
                                let outBase = out.baseAddress!
                                parallelChunks(count: blocks, threads: threads, maxChunk: 4) { range in
                                    mk_max_tanimoto(query.baseAddress, queryCounts.baseAddress, n,
                                                    range.lowerBound, range.upperBound,
                                                    tileWords.baseAddress, tileCounts.baseAddress,
                                                    referenceCounts.baseAddress, references.count, words, kernel,
                                                    outBase)
                                }
                            }
                        }
                    }
                }
            }
        }
        var best = [Double](repeating: 0, count: n)
        for (position, index) in order.enumerated() { best[index] = sortedBest[position] }
        return best
    }

    /// For each row i, the sums over all rows j (i itself included) of T(i, j) and of T(i, j)^2:
    /// the inner sums of MOSES's internal diversity for p = 1 and p = 2, from one pass over the
    /// pairs j > i (Tanimoto is symmetric) split over `threads` workers.
    public func similaritySums(threads: Int) -> (first: [Double], second: [Double]) {
        similaritySums(threads: threads, kernel: MK_KERNEL_AUTO)
    }

    /// `similaritySums(threads:)` with the kernel body chosen by the caller.
    func similaritySums(threads: Int, kernel: mk_kernel) -> (first: [Double], second: [Double]) {
        let n = count, words = self.words
        guard n > 0 else { return ([], []) }
        let workers = max(1, min(threads, (n + 63) / 64))
        let rowTiles = tiles(padCount: 0)
        // Each worker adds into its own accumulators, since pair (i, j) also updates row j.
        let accumulators1 = (0..<workers).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: n) }
        let accumulators2 = (0..<workers).map { _ in UnsafeMutablePointer<Double>.allocate(capacity: n) }
        defer { (accumulators1 + accumulators2).forEach { $0.deallocate() } }
        for w in 0..<workers {
            accumulators1[w].initialize(repeating: 0, count: n)
            accumulators2[w].initialize(repeating: 0, count: n)
        }
        rows.withUnsafeBufferPointer { rowBuffer in
            counts.withUnsafeBufferPointer { countBuffer in
                rowTiles.words.withUnsafeBufferPointer { tileWords in
                    rowTiles.counts.withUnsafeBufferPointer { tileCounts in
                        parallelChunks(count: workers, threads: workers, maxChunk: 1) { range in
                            for w in range {
                                mk_tanimoto_pair_sums(rowBuffer.baseAddress, countBuffer.baseAddress, n, words,
                                                      tileWords.baseAddress, tileCounts.baseAddress, w, workers,
                                                      kernel, accumulators1[w], accumulators2[w])
                            }
                        }
                    }
                }
            }
        }
        // The diagonal: every fingerprint is identical to itself (T = 1, empty ones included).
        var first = [Double](repeating: 1, count: n), second = [Double](repeating: 1, count: n)
        for w in 0..<workers {
            for i in 0..<n {
                first[i] += accumulators1[w][i]
                second[i] += accumulators2[w][i]
            }
        }
        return (first, second)
    }
}
