import CMolShim

extension Molecule {
    /// Bemis–Murcko scaffold SMILES as `MurckoScaffold.GetScaffoldForMol` then `MolToSmiles`:
    /// ring systems and the linkers between them, side chains removed. Empty for acyclic molecules.
    public func murckoScaffold() throws(PropertyError) -> String {
        try scaffoldAndRings().smiles
    }

    /// The scaffold as MOSES's `compute_scaffold` reports it: nil when empty or with fewer than
    /// `minimumRings` rings (MOSES's default is 2), so scaffold metrics ignore trivial scaffolds.
    public func mosesScaffold(minimumRings: Int = 2) throws(PropertyError) -> String? {
        let (smiles, rings) = try scaffoldAndRings()
        return smiles.isEmpty || rings < minimumRings ? nil : smiles
    }

    /// BRICS fragments as MOSES's `fragmenter`: `FragmentOnBRICSBonds`, canonical SMILES, split
    /// on "."; broken bonds end in numbered dummy atoms such as `[16*]`. Order as RDKit writes them.
    public func bricsFragments() throws(PropertyError) -> [String] {
        var error: UnsafeMutablePointer<CChar>? = nil
        guard let joined = molshim_mol_brics_fragments(handle, &error) else {
            throw PropertyError(description: takeString(error).nonEmpty ?? "BRICS fragmentation failed")
        }
        return takeString(joined).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    private func scaffoldAndRings() throws(PropertyError) -> (smiles: String, rings: Int) {
        var rings: Int32 = 0
        var error: UnsafeMutablePointer<CChar>? = nil
        guard let smiles = molshim_mol_murcko_scaffold(handle, &rings, &error) else {
            throw PropertyError(description: takeString(error).nonEmpty ?? "Murcko scaffold failed")
        }
        return (takeString(smiles), Int(rings))
    }
}
