/// Which rules a `LatentDecoder` applies before each token: the SMILES syntax mask (on by
/// default, so every string parses), its optional valence counts, and RDKit's canonical form
/// (kept only for a model trained on canonical SMILES: `LatentDecoder.learnedCanonicalForm`). One
/// value that interpolation, neighbour search, the optimiser and the commands hand to the decoder
/// they build (`LatentDecoder.masks`).
public struct DecodingMasks: Equatable, Sendable {
    /// The SMILES syntax mask: every decoding parses.
    public var syntax: Bool
    /// Per-atom valence counts on top of the syntax mask (`SMILESSyntaxState+Valence`); only with `syntax`.
    public var valence: Bool
    /// RDKit's canonical form (`SMILESSyntaxState+CanonicalForm`), for a model trained on canonicalised
    /// molecules; only with `syntax`.
    public var canonicalForm: Bool

    public init(syntax: Bool = true, valence: Bool = false, canonicalForm: Bool = true) {
        self.syntax = syntax
        self.valence = valence
        self.canonicalForm = canonicalForm
    }

    /// These rules as they apply to a model: the canonical form only where it learned from RDKit's
    /// canonical SMILES, since a model trained on strings as written has seen other forms.
    public func inEffect(learnedCanonicalForm: Bool) -> DecodingMasks {
        var rules = self
        rules.canonicalForm = canonicalForm && learnedCanonicalForm
        return rules
    }
}

extension DecodingMasks: CustomStringConvertible {
    /// For summary lines: "syntax mask on (canonical form), valence mask on", "syntax mask off".
    public var description: String {
        guard syntax else { return "syntax mask off" }
        return "syntax mask on" + (canonicalForm ? " (canonical form)" : "") + (valence ? ", valence mask on" : "")
    }
}
