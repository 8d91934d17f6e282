extension MoleculeCanonicaliser {
    /// `canonical(_:threads:)` over the ranks of `group`: rank r canonicalises strings r,
    /// r + size, ..., and every rank gets all the forms in input order (a string's form depends
    /// on the string alone). Every rank must pass the same strings.
    public static func canonical(_ smiles: [String], threads: Int, group: ProcessGroup) -> [String?] {
        guard group.usesMPI else { return canonical(smiles, threads: threads) }
        let mine = group.interleavedShare(of: smiles.count).map { smiles[$0] }
        return group.allGatherInterleaved(canonical(mine, threads: threads))
    }
}
