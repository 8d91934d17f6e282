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

    init(smiles: [String], threads: Int) {
        var rows = [(GuacaMolDescriptors, [UInt64]?)?](repeating: nil, count: smiles.count)
        rows.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            parallelChunks(count: smiles.count, threads: threads, maxChunk: 32) { range in
                for i in range {
                    // A string RDKit rejects is skipped by both of GuacaMol's loops.
                    guard let molecule = try? Molecule(smiles: smiles[i]) else { continue }
                    let bits = try? molecule.morganFingerprint(radius: Self.fingerprintRadius, bits: Self.fingerprintBits).words
                    base[i] = (molecule.guacamolDescriptors(), bits)
                }
            }
        }
        let parsed = rows.compactMap { $0 }
        columns = GuacaMolDescriptors.names.indices.map { d in parsed.map { $0.0.values[d] } }
        let fingerprints = FingerprintSet(words: Self.fingerprintBits / 64, rows: parsed.compactMap { $0.1 }.flatMap { $0 })
        internalSimilarity = fingerprints.maxSimilaritiesToOthers(threads: threads)
    }
}
