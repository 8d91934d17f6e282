/// The fingerprints of GuacaMol's `TanimotoScoringFunction` (`guacamol/utils/fingerprints.py`).
/// ECFP/FCFP are unhashed Morgan *counts* (`GetMorganFingerprint`, not the bit-vector form), AP
/// atom-pair counts with maxLength 10, PHCO RDKit's Gobbi 2D pharmacophore bit signature.
public enum SimilarityFingerprint: String, Sendable, Equatable, CaseIterable {
    case ecfp4 = "ECFP4"
    case ecfp6 = "ECFP6"
    case fcfp4 = "FCFP4"
    case fcfp6 = "FCFP6"
    case atomPairs = "AP"
    case pharmacophore = "PHCO"

    /// A computed fingerprint of one of these kinds.
    public enum Value: Sendable, Equatable {
        case counts(CountFingerprint)
        case bits(SparseBitFingerprint)

        /// RDKit's `TanimotoSimilarity` for the two values' type; nil for mismatched kinds.
        public func tanimoto(_ other: Value) -> Double? {
            switch (self, other) {
            case (.counts(let a), .counts(let b)): return a.tanimoto(b)
            case (.bits(let a), .bits(let b)): return a.tanimoto(b)
            default: return nil
            }
        }
    }

    public func fingerprint(of molecule: Molecule) throws(PropertyError) -> Value {
        switch self {
        case .ecfp4: return .counts(try molecule.countFingerprint(radius: 2))
        case .ecfp6: return .counts(try molecule.countFingerprint(radius: 3))
        case .fcfp4: return .counts(try molecule.featureCountFingerprint(radius: 2))
        case .fcfp6: return .counts(try molecule.featureCountFingerprint(radius: 3))
        case .atomPairs: return .counts(try molecule.atomPairFingerprint(maxLength: 10))
        case .pharmacophore: return .bits(try molecule.gobbiPharmacophoreFingerprint())
        }
    }
}
