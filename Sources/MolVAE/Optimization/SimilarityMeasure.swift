/// How similarity to a start molecule is measured: Tanimoto on Morgan radius-2 fingerprints,
/// either the unhashed count form of the JT-VAE constrained benchmark
/// (`AllChem.GetMorganFingerprint(mol, 2)` + `TanimotoSimilarity`) or 2048-bit vectors.
public enum SimilarityMeasure: String, CaseIterable, Sendable {
    case counts
    case bits

    public var label: String {
        switch self {
        case .counts: return "Tanimoto on unhashed Morgan radius-2 counts"
        case .bits: return "Tanimoto on 2048-bit Morgan radius-2 vectors"
        }
    }
}

/// A start molecule's fingerprint, against which decoded molecules are compared.
public struct SimilarityReference: Sendable {
    enum Fingerprint: Sendable {
        case counts(CountFingerprint)
        case bits(MorganFingerprint)
    }

    public let measure: SimilarityMeasure
    let fingerprint: Fingerprint

    public init(molecule: Molecule, measure: SimilarityMeasure) throws(PropertyError) {
        self.measure = measure
        fingerprint = try Self.fingerprint(of: molecule, measure: measure)
    }

    static func fingerprint(of molecule: Molecule, measure: SimilarityMeasure) throws(PropertyError) -> Fingerprint {
        switch measure {
        case .counts: return .counts(try molecule.countFingerprint(radius: 2))
        case .bits: return .bits(try molecule.morganFingerprint(radius: 2, bits: 2048))
        }
    }

    /// Tanimoto similarity of `molecule` to the reference (1 for the same molecule).
    public func similarity(to molecule: Molecule) throws(PropertyError) -> Double {
        switch (fingerprint, try Self.fingerprint(of: molecule, measure: measure)) {
        case (.counts(let a), .counts(let b)): return a.tanimoto(b)
        case (.bits(let a), .bits(let b)): return a.tanimoto(b)
        default: preconditionFailure("one measure gives one fingerprint kind")
        }
    }
}
