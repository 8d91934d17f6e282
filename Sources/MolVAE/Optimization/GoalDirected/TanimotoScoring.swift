/// GuacaMol's `TanimotoScoringFunction`: Tanimoto similarity to a target molecule on one
/// fingerprint, through a score modifier.
public struct TanimotoScoring: MoleculeScoringFunction {
    public let target: String
    public let fingerprint: SimilarityFingerprint
    public let modifier: ScoreModifier
    private let targetFingerprint: SimilarityFingerprint.Value

    /// Throws when `target` is not a valid molecule (GuacaMol raises too).
    public init(target: String, fingerprint: SimilarityFingerprint, modifier: ScoreModifier = .identity) throws {
        self.target = target
        self.fingerprint = fingerprint
        self.modifier = modifier
        targetFingerprint = try fingerprint.fingerprint(of: try Molecule(smiles: target))
    }

    public func score(_ molecule: Molecule) -> Double? {
        guard let value = try? fingerprint.fingerprint(of: molecule),
              let similarity = value.tanimoto(targetFingerprint) else { return nil }
        return modifier(similarity)
    }
}
