import CMolShim

/// The molecular descriptors GuacaMol's `RdkitScoringFunction`s score (`guacamol/utils/descriptors.py`),
/// each the RDKit 2022.09 calculation the Python function calls.
public enum GoalDirectedDescriptor: Sendable, Equatable {
    /// `logP`: `Descriptors.MolLogP` (Crippen).
    case logP
    /// `tpsa`: `Descriptors.TPSA` (N and O only).
    case tpsa
    /// `bertz`: `Descriptors.BertzCT`.
    case bertz
    /// `mol_weight`: `Descriptors.MolWt` (average weight, hydrogens included).
    case molecularWeight
    /// `num_H_donors`: `Descriptors.NumHDonors`.
    case hydrogenBondDonors
    /// `num_H_acceptors`: `Descriptors.NumHAcceptors`.
    case hydrogenBondAcceptors
    /// `num_rotatable_bonds`: `Descriptors.NumRotatableBonds`.
    case rotatableBonds
    /// `num_rings`: `rdMolDescriptors.CalcNumRings`.
    case rings
    /// `num_aromatic_rings`: `rdMolDescriptors.CalcNumAromaticRings`.
    case aromaticRings
    /// `qed`: `Descriptors.qed`.
    case qed
    /// `AtomCounter(element)`: atoms of one element (hydrogens after `Chem.AddHs`).
    case atomCount(element: String)
    /// `num_atoms`: all atoms after `Chem.AddHs`.
    case atomsWithHydrogens

    /// The value for `molecule`, or nil when RDKit fails (GuacaMol's corrupt score then).
    public func value(of molecule: Molecule) -> Double? {
        switch self {
        case .bertz:
            return try? molecule.bertzCT()
        case .qed:
            return try? molecule.qed()
        case .atomCount(let element):
            return (try? molecule.elementCounts([element])).map { Double($0.counts[0]) }
        case .atomsWithHydrogens:
            return (try? molecule.elementCounts([])).map { Double($0.atomsWithHydrogens) }
        default:
            var d = molshim_descriptors()
            var error: UnsafeMutablePointer<CChar>? = nil
            guard molshim_mol_descriptors(molecule.handle, &d, &error) == 1 else {
                _ = takeString(error)
                return nil
            }
            switch self {
            case .logP: return d.logp
            case .tpsa: return d.tpsa
            case .molecularWeight: return d.average_mw
            case .hydrogenBondDonors: return Double(d.hbd)
            case .hydrogenBondAcceptors: return Double(d.hba)
            case .rotatableBonds: return Double(d.rotatable_bonds)
            case .rings: return Double(d.rings)
            case .aromaticRings: return Double(d.aromatic_rings)
            default: return nil
            }
        }
    }
}
