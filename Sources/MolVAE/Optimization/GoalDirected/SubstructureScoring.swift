/// GuacaMol's `SMARTSScoringFunction`: 1 when the SMARTS matches (0 otherwise), or with
/// `inverse` 1 when it does not match.
public struct SubstructureScoring: MoleculeScoringFunction {
    public let smarts: String
    public let inverse: Bool
    private let pattern: StructuralFilters

    public init(smarts: String, inverse: Bool = false) throws {
        self.smarts = smarts
        self.inverse = inverse
        // Matched without the pattern-fingerprint prescreen and without added hydrogens, as
        // GuacaMol's mol.GetSubstructMatches(pattern) does.
        pattern = try StructuralFilters(patterns: [.init(name: smarts, smarts: smarts)], screening: false)
    }

    public func score(_ molecule: Molecule) -> Double? {
        guard let matched = try? pattern.matches(in: molecule, explicitHydrogens: false) else { return nil }
        return matched.isEmpty != inverse ? 0.0 : 1.0
    }
}
