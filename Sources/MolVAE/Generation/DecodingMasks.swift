/// Which rules a `LatentDecoder` applies before each token: the SMILES syntax mask (on by
/// default, so every string parses), its optional valence counts, and RDKit's canonical form
/// (kept only for a model trained on canonical SMILES). One value that interpolation, neighbour
/// search, the optimiser and the commands hand to the decoder they build, so the three switches
/// and the rule that joins them live in one place.
public struct DecodingMasks: Equatable, Sendable {
    /// The SMILES syntax mask (`LatentDecoder.syntaxMask`).
    public var syntax: Bool
    /// Per-atom valence counts on top of the syntax mask (`LatentDecoder.valenceMask`); only with `syntax`.
    public var valence: Bool
    /// RDKit's canonical form, for a model trained on canonicalised molecules (`LatentDecoder.canonicalForm`).
    public var canonicalForm: Bool

    public init(syntax: Bool = true, valence: Bool = false, canonicalForm: Bool = true) {
        self.syntax = syntax
        self.valence = valence
        self.canonicalForm = canonicalForm
    }

    /// Sets `decoder`'s switches. The canonical form stays off for a decoder whose model was not
    /// trained on canonical SMILES (`LatentDecoder(_:)` starts it from what the model learned).
    public func apply(to decoder: LatentDecoder) {
        decoder.syntaxMask = syntax
        decoder.valenceMask = valence
        decoder.canonicalForm = decoder.canonicalForm && canonicalForm
    }
}
