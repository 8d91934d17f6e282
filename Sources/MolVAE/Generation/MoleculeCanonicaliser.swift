/// RDKit canonical SMILES of many strings at once, on `threads` workers, in input order; nil for
/// every string RDKit rejects (including the empty string). Generated strings are judged by this.
public enum MoleculeCanonicaliser {
    public static func canonical(_ smiles: [String], threads: Int = EngineThreads.count) -> [String?] {
        var out = [String?](repeating: nil, count: smiles.count)
        out.withUnsafeMutableBufferPointer { buffer in
            let box = UncheckedSendable(buffer)
            parallelChunks(count: smiles.count, threads: threads, maxChunk: 64) { range in
                for i in range { box.value[i] = canonical(smiles[i]) }
            }
        }
        return out
    }

    /// One string on the calling thread.
    public static func canonical(_ smiles: String) -> String? {
        guard !smiles.isEmpty, smiles.utf8.count <= BatchScoring.maximumSMILESLength else { return nil }
        return try? Molecule(smiles: smiles).canonicalSMILES
    }
}
