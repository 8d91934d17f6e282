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

@Suite struct SimilarityKernelTests {
    @Test func maxSimilarityMatchesBruteForce() {
        let queries = FingerprintSet(words: 16, rows: randomRows(count: 300, seed: 1))
        let references = FingerprintSet(words: 16, rows: randomRows(count: 700, seed: 2)).sortedByPopcount()
        let fast = queries.maxSimilarities(to: references, threads: 2)
        for q in 0..<queries.count {
            let row = queries.rows[q * 16..<(q + 1) * 16]
            let expected = (0..<references.count).map { tanimoto(row, references.rows[$0 * 16..<($0 + 1) * 16]) }.max()!
            #expect(abs(fast[q] - expected) < 1e-12, "query \(q)")
        }
    }

    @Test(arguments: [1, 2, 3])
    func similaritySumsMatchBruteForce(threads: Int) {
        // 333 rows: several 64-row blocks per worker and a ragged last block.
        let set = FingerprintSet(words: 16, rows: randomRows(count: 333, seed: 3))
        let fast = set.similaritySums(threads: threads)
        for i in 0..<set.count {
            let row = set.rows[i * 16..<(i + 1) * 16]
            let similarities = (0..<set.count).map { tanimoto(row, set.rows[$0 * 16..<($0 + 1) * 16]) }
            #expect(abs(fast.first[i] - similarities.reduce(0, +)) < 1e-9)
            #expect(abs(fast.second[i] - similarities.map { $0 * $0 }.reduce(0, +)) < 1e-9)
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
