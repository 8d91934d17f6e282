/// One molecule generated from the prior.
public struct GeneratedSample: Sendable, Equatable {
    /// The sample's number in the run (0-based): it names its random streams.
    public let index: Int
    /// The string the decoder wrote.
    public let raw: String
    /// RDKit's canonical SMILES; nil when RDKit rejects `raw`.
    public let canonical: String?

    public var isValid: Bool { canonical != nil }
}

/// Draws z ~ N(0, I) and decodes it: the model as a generator.
///
/// Sample i draws its latent point from the counter stream named by i and decodes from the
/// decoder stream named by i, so for a seed the i-th molecule is the same whatever the batch
/// size or thread count (and a run's first batch equals `SmilesVAE.sampleFromPrior` given the same
/// syntax mask). The syntax mask is on by default (`DecodingMasks(syntax: false)` gives the raw model).
public final class PriorSampler {
    public let decoder: LatentDecoder
    public var temperature: Float
    public var topK: Int?
    public var greedy: Bool
    public var seed: UInt64
    /// Ranks that decode together: each decodes a contiguous block of every batch of samples
    /// and all ranks receive all of them (sample i is the same whichever rank draws it).
    public var group: ProcessGroup = .single

    public init(_ trained: TrainedModel, temperature: Float = 1, topK: Int? = nil, greedy: Bool = false, seed: UInt64 = 0,
                masks: DecodingMasks = DecodingMasks()) {
        decoder = LatentDecoder(trained, masks: masks)
        self.temperature = temperature
        self.topK = topK
        self.greedy = greedy
        self.seed = seed
    }

    /// The prior points of samples first ..< first + count, [count, latent].
    public func latents(first: Int, count: Int) -> [Float] {
        let lat = decoder.model.config.latent
        var z = [Float](repeating: 0, count: count * lat)
        for b in 0..<count {
            var rng = CounterRNG(seed: seed, stream: 0x5A4D_0000_0000 ^ UInt64(first + b))
            for j in 0..<lat { z[b * lat + j] = rng.nextNormal() }
        }
        return z
    }

    /// Samples first ..< first + count, judged by RDKit (over the ranks of `group`, if several).
    public func samples(first: Int, count: Int) -> [GeneratedSample] {
        guard count > 0 else { return [] }
        guard group.isParallel else { return decoded(first: first, count: count) }
        let share = group.contiguousShare(of: count)
        // Two strings per sample: the decoder's string, and "+canonical" or "-" (invalid).
        let mine = decoded(first: first + share.lowerBound, count: share.count).flatMap { [$0.raw, $0.canonical.map { "+" + $0 } ?? "-"] }
        let all = group.allGather(ProcessGroup.encode(mine)).flatMap(ProcessGroup.decode)
        return (0..<count).map { k in
            GeneratedSample(index: first + k, raw: all[2 * k], canonical: all[2 * k + 1].hasPrefix("+") ? String(all[2 * k + 1].dropFirst()) : nil)
        }
    }

    func decoded(first: Int, count: Int) -> [GeneratedSample] {
        guard count > 0 else { return [] }
        let decoded = decoder.decodings(latents: latents(first: first, count: count), count: count, tries: 1,
                                        temperature: temperature, topK: topK, seed: seed, firstIndex: first, greedy: greedy)
        let canonical = MoleculeCanonicaliser.canonical(decoded.raw)
        return (0..<count).map { GeneratedSample(index: first + $0, raw: decoded.raw[$0], canonical: canonical[$0]) }
    }
}
