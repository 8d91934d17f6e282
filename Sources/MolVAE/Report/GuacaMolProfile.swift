/// What GuacaMol's KL benchmark measures on one set of molecules: the nine descriptors of
/// `calculate_pc_descriptors` as columns, and each molecule's ECFP4 nearest-neighbour similarity
/// within the set (`calculate_internal_pairwise_similarities(...).max(axis=1)`: Morgan radius 2
/// folded to 4,096 bits, GuacaMol's `get_fingerprints` defaults). Every molecule is parsed again
/// from the SMILES given, as GuacaMol does.
struct GuacaMolProfile {
    /// `columns[d][m]`: descriptor d (GuacaMolDescriptors.names order) of molecule m.
    let columns: [[Double]]
    let internalSimilarity: [Double]

    static let fingerprintRadius = 2
    static let fingerprintBits = 4096

    /// What one molecule contributes: its descriptors and fingerprint (nil when RDKit could not
    /// make one).
    struct Row {
        var descriptors: GuacaMolDescriptors
        var bits: [UInt64]?
    }

    init(smiles: [String], threads: Int) {
        self.init(rows: Self.rows(smiles, threads: threads), threads: threads)
    }

    /// Each string's row (nil for a string RDKit rejects), on `threads` workers.
    static func rows(_ smiles: [String], threads: Int) -> [Row?] {
        var rows = [Row?](repeating: nil, count: smiles.count)
        rows.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            parallelChunks(count: smiles.count, threads: threads, maxChunk: 32) { range in
                for i in range { base[i] = row(smiles[i]) }
            }
        }
        return rows
    }

    static func row(_ smiles: String) -> Row? {
        // A string RDKit rejects is skipped by both of GuacaMol's loops.
        guard let molecule = try? Molecule(smiles: smiles) else { return nil }
        let bits = try? molecule.morganFingerprint(radius: fingerprintRadius, bits: fingerprintBits).words
        return Row(descriptors: molecule.guacamolDescriptors(), bits: bits)
    }

    /// The profile of the molecules whose rows these are, in order.
    init(rows: [Row?], threads: Int) {
        let parsed = rows.compactMap { $0 }
        columns = GuacaMolDescriptors.names.indices.map { d in parsed.map { $0.descriptors.values[d] } }
        let fingerprints = FingerprintSet(words: Self.fingerprintBits / 64, rows: parsed.compactMap(\.bits).flatMap { $0 })
        internalSimilarity = fingerprints.maxSimilaritiesToOthers(threads: threads)
    }
}
