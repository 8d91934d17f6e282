import CMolShim

/// Every property the chemistry layer computes for one molecule, as the Python reference
/// (RDKit 2022.09, `rdkit.Chem.QED`, Contrib `sascorer.py`) computes it. Filled by a single call
/// into the shim so batch scoring crosses the C boundary once per molecule.
public struct MolecularProperties: Sendable, Equatable {
    /// Wildman–Crippen logP (`Crippen.MolLogP`).
    public var logP: Double
    /// Wildman–Crippen molar refractivity (`Crippen.MolMR`).
    public var molarRefractivity: Double
    /// Average molecular weight (`Descriptors.MolWt`).
    public var molecularWeight: Double
    /// Monoisotopic mass (`Descriptors.ExactMolWt`).
    public var exactMolecularWeight: Double
    /// Topological polar surface area, N and O only (`CalcTPSA`).
    public var topologicalPolarSurfaceArea: Double
    /// Hydrogen-bond donors (`Lipinski.NumHDonors`).
    public var hydrogenBondDonors: Int
    /// Hydrogen-bond acceptors (`Lipinski.NumHAcceptors`).
    public var hydrogenBondAcceptors: Int
    /// Rotatable bonds (`Descriptors.NumRotatableBonds`, RDKit's strict default).
    public var rotatableBonds: Int
    /// Rings in the SSSR (`Lipinski.RingCount`).
    public var ringCount: Int
    /// Aromatic rings (`Lipinski.NumAromaticRings`).
    public var aromaticRingCount: Int
    /// Aliphatic rings, those with at least one non-aromatic bond (`Lipinski.NumAliphaticRings`).
    public var aliphaticRingCount: Int
    /// Heavy (non-hydrogen) atoms.
    public var heavyAtomCount: Int
    /// Net formal charge (`Chem.GetFormalCharge`).
    public var formalCharge: Int
    /// Size of the largest SSSR ring, 0 for acyclic molecules.
    public var largestRingSize: Int
    /// Drug-likeness, `rdkit.Chem.QED.qed` with mean weights (0…1, higher is more drug-like).
    public var qed: Double
    /// Synthetic accessibility, Contrib `sascorer.calculateScore` (1 easy … 10 hard).
    public var syntheticAccessibility: Double

    /// Raw penalized logP: see ``PenalizedLogP/raw(logP:syntheticAccessibility:largestRingSize:)``.
    public var penalizedLogP: Double {
        PenalizedLogP.raw(logP: logP, syntheticAccessibility: syntheticAccessibility, largestRingSize: largestRingSize)
    }

    /// Benchmark-normalised penalized logP: see
    /// ``PenalizedLogP/normalized(logP:syntheticAccessibility:largestRingSize:)``.
    public var normalizedPenalizedLogP: Double {
        PenalizedLogP.normalized(logP: logP, syntheticAccessibility: syntheticAccessibility, largestRingSize: largestRingSize)
    }

    init(_ scores: molshim_scores) {
        let d = scores.descriptors
        logP = d.logp
        molarRefractivity = d.molar_refractivity
        molecularWeight = d.average_mw
        exactMolecularWeight = d.exact_mw
        topologicalPolarSurfaceArea = d.tpsa
        hydrogenBondDonors = Int(d.hbd)
        hydrogenBondAcceptors = Int(d.hba)
        rotatableBonds = Int(d.rotatable_bonds)
        ringCount = Int(d.rings)
        aromaticRingCount = Int(d.aromatic_rings)
        aliphaticRingCount = Int(d.aliphatic_rings)
        heavyAtomCount = Int(d.heavy_atoms)
        formalCharge = Int(d.formal_charge)
        largestRingSize = Int(d.largest_ring)
        qed = scores.qed
        syntheticAccessibility = scores.sa
    }
}

/// A property could not be computed for a valid molecule (an RDKit error, or missing data).
public struct PropertyError: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension Molecule {
    /// All descriptors, QED and SA score in one shim call. Loads the SA fragment table on first
    /// use; throws if it cannot be found.
    public func properties() throws(PropertyError) -> MolecularProperties {
        do {
            try SAFragmentTable.ensureLoaded()
        } catch {
            throw PropertyError(description: error.description)
        }
        var scores = molshim_scores()
        var error: UnsafeMutablePointer<CChar>? = nil
        guard molshim_mol_scores(handle, &scores, &error) == 1 else {
            throw PropertyError(description: takeString(error).nonEmpty ?? "RDKit could not compute the properties")
        }
        return MolecularProperties(scores)
    }

    /// QED alone (`rdkit.Chem.QED.qed`, mean weights).
    public func qed() throws(PropertyError) -> Double {
        var error: UnsafeMutablePointer<CChar>? = nil
        let value = molshim_mol_qed(handle, &error)
        guard !value.isNaN else { throw PropertyError(description: takeString(error).nonEmpty ?? "QED failed") }
        return value
    }

    /// SA score alone (Contrib `sascorer.calculateScore`).
    public func syntheticAccessibility() throws(PropertyError) -> Double {
        do {
            try SAFragmentTable.ensureLoaded()
        } catch {
            throw PropertyError(description: error.description)
        }
        var error: UnsafeMutablePointer<CChar>? = nil
        let value = molshim_mol_sa_score(handle, &error)
        guard !value.isNaN else { throw PropertyError(description: takeString(error).nonEmpty ?? "SA score failed") }
        return value
    }
}

extension String {
    /// nil for the empty string, so `?? default` can supply a message.
    var nonEmpty: String? { isEmpty ? nil : self }
}
