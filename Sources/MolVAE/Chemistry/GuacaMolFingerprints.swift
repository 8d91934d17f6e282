import CMolShim

/// A set of on bits of a sparse bit vector (RDKit's `SparseBitVect`), ascending: the form of
/// GuacaMol's PHCO fingerprint (`Generate.Gen2DFingerprint(mol, Gobbi_Pharm2D.factory)`).
public struct SparseBitFingerprint: Sendable, Hashable {
    /// On bits, strictly ascending.
    public let bits: [UInt32]

    public init(bits: [UInt32]) {
        self.bits = bits
    }

    /// RDKit's `TanimotoSimilarity` on bit vectors: common / (a + b − common), 1 when both are
    /// empty (RDKit's choice for bit vectors).
    public func tanimoto(_ other: SparseBitFingerprint) -> Double {
        var i = 0, j = 0, common = 0
        while i < bits.count && j < other.bits.count {
            if bits[i] == other.bits[j] {
                common += 1
                i += 1
                j += 1
            } else if bits[i] < other.bits[j] {
                i += 1
            } else {
                j += 1
            }
        }
        let denominator = bits.count + other.bits.count - common
        return denominator == 0 ? 1 : Double(common) / Double(denominator)
    }
}

extension Molecule {
    /// Unhashed Morgan counts on feature invariants: `AllChem.GetMorganFingerprint(mol, radius,
    /// useFeatures=True)` (FCFP).
    public func featureCountFingerprint(radius: Int = 2) throws(PropertyError) -> CountFingerprint {
        guard radius >= 0 else { throw PropertyError(description: "negative Morgan radius") }
        return try takeCounts("feature Morgan fingerprint") { ids, counts, length, error in
            molshim_mol_feature_morgan_counts(handle, UInt32(radius), ids, counts, length, error)
        }
    }

    /// Atom-pair counts: `AllChem.GetAtomPairFingerprint(mol, maxLength=maxLength)`.
    public func atomPairFingerprint(maxLength: Int = 30) throws(PropertyError) -> CountFingerprint {
        guard maxLength >= 1 else { throw PropertyError(description: "atom-pair maximum length below 1") }
        return try takeCounts("atom-pair fingerprint") { ids, counts, length, error in
            molshim_mol_atom_pair_counts(handle, UInt32(maxLength), ids, counts, length, error)
        }
    }

    /// RDKit's 2D pharmacophore fingerprint with Gobbi and Poppinger's features
    /// (`Generate.Gen2DFingerprint(mol, Gobbi_Pharm2D.factory)`, GuacaMol's PHCO), ported to C++
    /// in the shim (goal_directed.cpp).
    public func gobbiPharmacophoreFingerprint() throws(PropertyError) -> SparseBitFingerprint {
        var bits: UnsafeMutablePointer<UInt32>? = nil
        var length = 0
        var error: UnsafeMutablePointer<CChar>? = nil
        guard molshim_mol_gobbi_pharm2d(handle, &bits, &length, &error) == 1 else {
            throw PropertyError(description: takeString(error).nonEmpty ?? "pharmacophore fingerprint failed")
        }
        defer { molshim_free_buffer(bits) }
        return SparseBitFingerprint(bits: Array(UnsafeBufferPointer(start: bits, count: length)))
    }
}
