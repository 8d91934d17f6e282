import CKernels
import Testing
@testable import MolVAE

/// Brute-force Tanimoto on bit rows, the definition the kernels must reproduce.
private func tanimoto(_ a: ArraySlice<UInt64>, _ b: ArraySlice<UInt64>) -> Double {
    var common = 0, union = 0
    for (x, y) in zip(a, b) {
        common += (x & y).nonzeroBitCount
        union += (x | y).nonzeroBitCount
    }
    return union == 0 ? 1 : Double(common) / Double(union)
}

/// Sparse random fingerprints like Morgan bits (a few dozen of 1024 set), from a fixed seed.
private func randomRows(count: Int, seed: UInt64) -> [UInt64] {
    var state = seed
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    var rows = [UInt64](repeating: 0, count: count * 16)
    for r in 0..<count {
        let bits = Int(next() % 60)  // includes empty fingerprints
        for _ in 0..<bits {
            let bit = Int(next() % 1024)
            rows[r * 16 + bit / 64] |= 1 << UInt64(bit % 64)
        }
    }
    return rows
}

/// Brute-force nearest-neighbour similarity of each query row against every reference row.
private func bruteForceMax(_ queries: FingerprintSet, _ references: FingerprintSet) -> [Double] {
    let w = queries.words
    return (0..<queries.count).map { q in
        let row = queries.rows[q * w..<(q + 1) * w]
        return (0..<references.count).map { tanimoto(row, references.rows[$0 * w..<($0 + 1) * w]) }.max() ?? 0
    }
}

/// Both kernel bodies: whatever this machine picks (AVX-512 where it has VPOPCNTDQ) and the
/// portable POPCNT one, which must agree exactly.
private let kernels = [MK_KERNEL_AUTO, MK_KERNEL_PORTABLE]

/// 300 queries (four full 64-query blocks and a ragged one) against 701 references (a ragged
/// last tile of 8), with brute-force answers computed once for all the tests that share them.
private let nearestCase: (FingerprintSet, FingerprintSet, [Double]) = {
    let queries = FingerprintSet(words: 16, rows: randomRows(count: 300, seed: 1))
    let references = FingerprintSet(words: 16, rows: randomRows(count: 701, seed: 2)).sortedByPopcount()
    return (queries, references, bruteForceMax(queries, references))
}()

/// 333 rows (several 64-row blocks per worker, a ragged last block and a ragged last tile) and
/// their brute-force sums of T and T^2 over all rows.
private let sumsCase: (FingerprintSet, (first: [Double], second: [Double])) = {
    let set = FingerprintSet(words: 16, rows: randomRows(count: 333, seed: 3))
    var first = [Double](), second = [Double]()
    for i in 0..<set.count {
        let row = set.rows[i * 16..<(i + 1) * 16]
        let similarities = (0..<set.count).map { tanimoto(row, set.rows[$0 * 16..<($0 + 1) * 16]) }
        first.append(similarities.reduce(0, +))
        second.append(similarities.map { $0 * $0 }.reduce(0, +))
    }
    return (set, (first, second))
}()

@Suite struct SimilarityKernelTests {
    @Test(arguments: kernels)
    func maxSimilarityMatchesBruteForce(kernel: mk_kernel) {
        let (queries, references, expected) = nearestCase
        let fast = queries.maxSimilarities(to: references, threads: 2, kernel: kernel)
        // Exact: the kernels return the same count ratio, so the same double.
        #expect(fast == expected)
        #expect(expected.contains(1) && expected.contains { $0 > 0 && $0 < 1 })
    }

    @Test(arguments: kernels)
    func maxSimilarityWithCloseNeighbours(kernel: mk_kernel) {
        // References that are small edits of the queries, as real nearest neighbours are: the
        // best similarities are high, so the count bound skips tiles and ends walks early.
        let base = randomRows(count: 400, seed: 21)
        var edited = base
        let noise = randomRows(count: 400, seed: 22)
        for i in edited.indices where i % 3 == 0 { edited[i] ^= noise[i] & (noise[i] >> 7) & (noise[i] >> 13) }
        let queries = FingerprintSet(words: 16, rows: Array(base[0..<200 * 16]))
        let references = FingerprintSet(words: 16, rows: edited + randomRows(count: 300, seed: 23)).sortedByPopcount()
        let expected = bruteForceMax(queries, references)
        #expect(queries.maxSimilarities(to: references, threads: 2, kernel: kernel) == expected)
        #expect(expected.filter { $0 > 0.8 }.count > 100)
    }

    @Test(arguments: kernels, [(1, 1), (1, 9), (7, 1), (65, 8), (64, 17), (130, 3)])
    func maxSimilarityAtEdgeSizes(kernel: mk_kernel, sizes: (queries: Int, references: Int)) {
        let queries = FingerprintSet(words: 16, rows: randomRows(count: sizes.queries, seed: 11))
        let references = FingerprintSet(words: 16, rows: randomRows(count: sizes.references, seed: 12)).sortedByPopcount()
        #expect(queries.maxSimilarities(to: references, threads: 2, kernel: kernel) == bruteForceMax(queries, references))
    }

    @Test(arguments: kernels)
    func maxSimilarityOfOtherWidths(kernel: mk_kernel) {
        // The 1024-bit case has its own unrolled body; other widths take the general loop.
        for words in [1, 3, 17] {
            let all = randomRows(count: 150, seed: UInt64(words))
            let rows = Array(all[0..<min(300, 150 * 16 / words) * words])
            let set = FingerprintSet(words: words, rows: rows)
            let queries = FingerprintSet(words: words, rows: Array(rows[0..<40 * words]))
            #expect(queries.maxSimilarities(to: set.sortedByPopcount(), threads: 1, kernel: kernel)
                == bruteForceMax(queries, set), "words \(words)")
            let sums = set.similaritySums(threads: 2, kernel: kernel)
            for i in stride(from: 0, to: set.count, by: 7) {
                let row = set.rows[i * words..<(i + 1) * words]
                let similarities = (0..<set.count).map { tanimoto(row, set.rows[$0 * words..<($0 + 1) * words]) }
                #expect(abs(sums.first[i] - similarities.reduce(0, +)) < 1e-9, "words \(words) row \(i)")
            }
        }
    }

    @Test(arguments: kernels)
    func emptyFingerprintsAgainstMixedReferences(kernel: mk_kernel) {
        let empty = [UInt64](repeating: 0, count: 16)
        var one = empty
        one[3] = 0b1011
        let emptyQuery = FingerprintSet(words: 16, rows: empty + one)
        // Without an empty reference an empty query has similarity 0 (0/b), with one it has 1 (0/0).
        let withoutEmpty = FingerprintSet(words: 16, rows: one + one).sortedByPopcount()
        let withEmpty = FingerprintSet(words: 16, rows: one + empty + one).sortedByPopcount()
        #expect(emptyQuery.maxSimilarities(to: withoutEmpty, threads: 1, kernel: kernel) == [0, 1])
        #expect(emptyQuery.maxSimilarities(to: withEmpty, threads: 1, kernel: kernel) == [1, 1])
        let sums = FingerprintSet(words: 16, rows: empty + one + empty).similaritySums(threads: 1, kernel: kernel)
        #expect(sums.first == [2, 1, 2] && sums.second == [2, 1, 2])
    }

    @Test(arguments: kernels, [1, 2, 3])
    func similaritySumsMatchBruteForce(kernel: mk_kernel, threads: Int) {
        let (set, expected) = sumsCase
        let fast = set.similaritySums(threads: threads, kernel: kernel)
        for i in 0..<set.count {
            #expect(abs(fast.first[i] - expected.first[i]) < 1e-9)
            #expect(abs(fast.second[i] - expected.second[i]) < 1e-9)
        }
    }

    @Test(arguments: kernels, [1, 2, 7, 8, 9, 64, 65])
    func similaritySumsAtEdgeSizes(kernel: mk_kernel, count: Int) {
        let set = FingerprintSet(words: 16, rows: randomRows(count: count, seed: UInt64(100 + count)))
        let fast = set.similaritySums(threads: 2, kernel: kernel)
        for i in 0..<set.count {
            let row = set.rows[i * 16..<(i + 1) * 16]
            let similarities = (0..<set.count).map { tanimoto(row, set.rows[$0 * 16..<($0 + 1) * 16]) }
            #expect(abs(fast.first[i] - similarities.reduce(0, +)) < 1e-12)
            #expect(abs(fast.second[i] - similarities.map { $0 * $0 }.reduce(0, +)) < 1e-12)
        }
    }

    @Test func identicalSetHasZeroInternalDiversity() {
        let one = randomRows(count: 1, seed: 9)
        let set = FingerprintSet(words: 16, rows: one + one + one)
        let diversity = internalDiversity(set, threads: 2)
        #expect(abs(diversity.first) < 1e-12)
        #expect(abs(diversity.second) < 1e-12)
    }

    @Test func emptyFingerprintsAreIdentical() {
        // MOSES maps 0/0 to similarity 1.
        let empty = FingerprintSet(words: 16, rows: [UInt64](repeating: 0, count: 32))
        #expect(empty.maxSimilarities(to: empty.sortedByPopcount(), threads: 1) == [1, 1])
    }

    @Test func emptySetsGiveEmptyOrZeroResults() {
        let none = FingerprintSet(words: 16, rows: [])
        let some = FingerprintSet(words: 16, rows: randomRows(count: 3, seed: 5))
        #expect(none.maxSimilarities(to: some.sortedByPopcount(), threads: 2).isEmpty)
        #expect(some.maxSimilarities(to: none, threads: 2) == [0, 0, 0])
        #expect(none.similaritySums(threads: 2).first.isEmpty)
    }
}

@Suite struct DistributionDistanceTests {
    // Expected values from scipy.stats.wasserstein_distance 1.10 on the same inputs.
    @Test func wassersteinMatchesScipy() {
        #expect(abs(wassersteinDistance([0, 1, 3], [5, 6, 8]) - 5.0) < 1e-12)
        #expect(abs(wassersteinDistance([0, 1], [0, 1, 2, 3]) - 1.0) < 1e-12)
        #expect(abs(wassersteinDistance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4]) - 2.7) < 1e-12)
        #expect(abs(wassersteinDistance([1, 1, 1, 2], [1, 2, 2, 2]) - 0.5) < 1e-12)
        #expect(wassersteinDistance([], [1]).isNaN)
    }

    @Test func cosineOfCounts() {
        #expect(abs(cosineSimilarity(["a": 1, "b": 2], ["a": 1, "b": 2]) - 1) < 1e-12)
        #expect(abs(cosineSimilarity(["a": 1], ["b": 1])) < 1e-12)
        // (3*4) / (sqrt(9+16) * sqrt(16)) = 12 / 20
        #expect(abs(cosineSimilarity(["a": 3, "b": 4], ["a": 4]) - 0.6) < 1e-12)
        #expect(cosineSimilarity([:], ["a": 1]).isNaN)
    }

    @Test func invalidReasonsFromRDKitMessages() {
        #expect(InvalidReason(smiles: "", message: "molecule has no atoms") == .empty)
        #expect(InvalidReason(smiles: "C(C)(C)(C)(C)C", message: "Explicit valence for atom # 0 C, 5, is greater than permitted") == .valence)
        #expect(InvalidReason(smiles: "c1cccc1", message: "Can't kekulize mol.  Unkekulized atoms: 0 1 2 3 4") == .aromaticity)
        #expect(InvalidReason(smiles: "C1CC", message: "RDKit could not parse the SMILES") == .syntax)
    }
}
