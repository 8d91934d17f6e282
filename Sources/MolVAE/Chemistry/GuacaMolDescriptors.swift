import CMolShim

/// The nine physico-chemical descriptors of GuacaMol's KL-divergence benchmark, in its order
/// (`KLDivBenchmark.pc_descriptor_subset`), with the values GuacaMol's
/// `calculate_pc_descriptors` gives (RDKit 2022.09's `MolecularDescriptorCalculator`):
/// a descriptor whose calculation raises is -666 there, and a non-finite value becomes 0.
public struct GuacaMolDescriptors: Sendable, Equatable {
    /// GuacaMol's names, in its order: the first four are continuous, the other five counts.
    public static let names = ["BertzCT", "MolLogP", "MolWt", "TPSA", "NumHAcceptors", "NumHDonors",
                               "NumRotatableBonds", "NumAliphaticRings", "NumAromaticRings"]
    /// What `MolecularDescriptorCalculator.CalcDescriptors` stores for a descriptor that raised.
    public static let failedValue = -666.0

    /// The values in `names` order.
    public var values: [Double]

    public init(values: [Double]) {
        precondition(values.count == Self.names.count, "GuacaMol has nine descriptors")
        // calculate_pc_descriptors: "contains an NAN physchem descriptor" -> 0.
        self.values = values.map { $0.isFinite ? $0 : 0 }
    }
}

extension Molecule {
    /// `GraphDescriptors.BertzCT` (cutoff 100): Bertz's complexity index, 0 below two atoms.
    public func bertzCT() throws(PropertyError) -> Double {
        var error: UnsafeMutablePointer<CChar>? = nil
        let value = molshim_mol_bertz_ct(handle, &error)
        guard !value.isNaN else { throw PropertyError(description: takeString(error).nonEmpty ?? "BertzCT failed") }
        return value
    }

    /// GuacaMol's nine descriptors in two shim calls (no QED or SA score). Never throws: a
    /// failed calculation gives GuacaMol's -666, as in Python.
    public func guacamolDescriptors() -> GuacaMolDescriptors {
        let bertz = (try? bertzCT()) ?? GuacaMolDescriptors.failedValue
        var d = molshim_descriptors()
        var error: UnsafeMutablePointer<CChar>? = nil
        guard molshim_mol_descriptors(handle, &d, &error) == 1 else {
            _ = takeString(error)
            return GuacaMolDescriptors(values: [bertz] + Array(repeating: GuacaMolDescriptors.failedValue, count: 8))
        }
        return GuacaMolDescriptors(values: [bertz, d.logp, d.average_mw, d.tpsa, Double(d.hba), Double(d.hbd),
                                            Double(d.rotatable_bonds), Double(d.aliphatic_rings), Double(d.aromatic_rings)])
    }
}
