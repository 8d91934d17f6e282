import CMolShim

extension Molecule {
    /// How many atoms of each element symbol the molecule has, as GuacaMol's `AtomCounter`
    /// (hydrogens counted after `Chem.AddHs`, implicit ones included; other elements as parsed),
    /// and its atom count after `Chem.AddHs` (GuacaMol's `num_atoms`).
    public func elementCounts(_ symbols: [String]) throws(PropertyError) -> (counts: [Int], atomsWithHydrogens: Int) {
        var counts = [Int32](repeating: 0, count: symbols.count)
        var total: Int32 = 0
        var error: UnsafeMutablePointer<CChar>? = nil
        let ok = withCStrings(symbols) { pointers in
            counts.withUnsafeMutableBufferPointer {
                molshim_mol_element_counts(handle, pointers, pointers.count, $0.baseAddress, &total, &error)
            }
        }
        guard ok == 1 else { throw PropertyError(description: takeString(error).nonEmpty ?? "atom counting failed") }
        return (counts.map(Int.init), Int(total))
    }
}
