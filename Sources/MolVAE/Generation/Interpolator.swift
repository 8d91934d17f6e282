/// Runs an interpolation with a model: encodes both endpoints to their means, walks the path,
/// decodes every point with one strategy, and judges each decoding with RDKit.
public struct Interpolator {
    public var steps: Int
    public var method: InterpolationMethod
    /// How each point becomes a molecule (`molvae interpolate` uses `.tries(K)`).
    public var strategy: DecodingStrategy
    public var seed: UInt64
    /// The rules decoding applies (syntax mask, valence, canonical form).
    public var masks: DecodingMasks

    public init(steps: Int, method: InterpolationMethod, strategy: DecodingStrategy, seed: UInt64 = 0, masks: DecodingMasks = DecodingMasks()) {
        precondition(steps >= 2, "an interpolation needs at least its two endpoints")
        self.steps = steps
        self.method = method
        self.strategy = strategy
        self.seed = seed
        self.masks = masks
    }

    /// Throws naming `fromRole`/`toRole` (e.g. "--from") when an endpoint cannot be encoded.
    public func run(_ trained: TrainedModel, from: String, to: String, fromRole: String = "from", toRole: String = "to")
        throws(UnencodableMoleculeError) -> Interpolation {
        let encoder = LatentEncoder(trained)
        let a = try UnencodableMoleculeError.encode(from, role: fromRole, with: encoder)
        let b = try UnencodableMoleculeError.encode(to, role: toRole, with: encoder)
        let points = LatentPath.points(from: a.encoded.latent.mu, to: b.encoded.latent.mu, steps: steps, method: method)
        let decoder = LatentDecoder(trained, masks: masks)
        let decoded = decoder.decode(latents: points.flatMap(\.z), count: points.count, strategy: strategy, seed: seed)
        return Interpolation(from: a.profile, fromSMILES: from, to: b.profile, toSMILES: to, method: method,
                             points: points, decoded: decoded.map(\.smiles))
    }
}
