/// Decodes latent points into molecules with a `DecodingStrategy`, judging every decoding with
/// RDKit.
///
/// Points are decoded in chunks (about `chunkSize` decoder rows per call). Each decoding draws
/// from the random stream of its global number (point index · tries + try), so for a seed the
/// result of a point depends only on the point, its index and the strategy: not on the chunk
/// size, the batch it came in, or the thread count.
///
/// `masks` says which rules apply before each token. The syntax mask (on by default) keeps every
/// decoding parsable by RDKit: at each step the tokens that would make a syntax error are
/// excluded (see `SMILESSyntaxState`), and for a model trained on canonicalised molecules
/// (`learnedCanonicalForm`) those that break RDKit's canonical form. Off, the decodings are the
/// raw model's output.
public final class LatentDecoder {
    public let model: SmilesVAE
    public let vocabulary: Vocabulary
    /// Decoder rows per call (a point with K tries takes K rows).
    public var chunkSize: Int
    /// Tokens generated at most per molecule, <eos> included.
    public var maxSteps: Int
    /// The rules applied before each token; the canonical form only where the model learned it.
    public var masks: DecodingMasks
    /// Whether the model learned from RDKit's canonical SMILES (set from a `TrainedModel`'s
    /// data-preparation record): only then does `masks.canonicalForm` take effect, since a model
    /// trained on strings as written has seen other forms.
    public var learnedCanonicalForm: Bool
    /// The last mask built and the rules it was built for: decoding calls (an optimiser makes
    /// thousands) reuse it instead of classing the vocabulary again.
    private var builtMask: (rules: DecodingMasks, mask: SMILESSyntaxMask?)?

    public init(model: SmilesVAE, vocabulary: Vocabulary, chunkSize: Int = 512, masks: DecodingMasks = DecodingMasks(),
                learnedCanonicalForm: Bool = false) {
        precondition(vocabulary.count == model.config.vocabSize, "the vocabulary does not belong to this model")
        self.model = model
        self.vocabulary = vocabulary
        self.chunkSize = max(1, chunkSize)
        maxSteps = model.config.maxTokens + 1
        self.masks = masks
        self.learnedCanonicalForm = learnedCanonicalForm
    }

    public convenience init(_ trained: TrainedModel, chunkSize: Int = 512, masks: DecodingMasks = DecodingMasks()) {
        self.init(model: trained.model, vocabulary: trained.vocabulary, chunkSize: chunkSize, masks: masks,
                  learnedCanonicalForm: trained.wasTrainedOnCanonicalSMILES)
    }

    /// The rules in effect: `masks`, with the canonical form dropped for a model that did not learn it.
    public var rulesInEffect: DecodingMasks { masks.inEffect(learnedCanonicalForm: learnedCanonicalForm) }

    /// The mask the decoding loops get: the vocabulary's when the syntax mask is on (nil for a
    /// vocabulary without atoms), else nil.
    public var activeSyntaxMask: SMILESSyntaxMask? {
        let rules = rulesInEffect
        guard rules.syntax else { return nil }
        if let built = builtMask, built.rules == rules { return built.mask }
        let mask = SMILESSyntaxMask(vocabulary: vocabulary, checksValence: rules.valence, followsCanonicalForm: rules.canonicalForm)
        builtMask = (rules, mask)
        return mask
    }

    /// One molecule per point of `latents` ([count, latent]). `firstIndex` is the global index
    /// of the first point (for runs cut into calls).
    public func decode(latents: [Float], count: Int, strategy: DecodingStrategy, seed: UInt64 = 0,
                       firstIndex: Int = 0) -> [DecodedMolecule] {
        let lat = model.config.latent
        precondition(latents.count == count * lat, "latents need count * latent values")
        switch strategy {
        case let .tries(k, temperature, topK):
            precondition(k >= 1, "tries must be at least 1")
            let all = decodings(latents: latents, count: count, tries: k, temperature: temperature, topK: topK, seed: seed,
                                firstIndex: firstIndex)
            let canonical = MoleculeCanonicaliser.canonical(all.raw)
            return (0..<count).map { p in
                let r = (p * k)..<((p + 1) * k)
                return DecodedMolecule.mostFrequent(raw: Array(all.raw[r]), canonical: Array(canonical[r]), tokens: Array(all.tokens[r]))
            }
        case .greedy:
            let all = decodings(latents: latents, count: count, tries: 1, temperature: 1, topK: nil, seed: seed,
                                firstIndex: firstIndex, greedy: true)
            let canonical = MoleculeCanonicaliser.canonical(all.raw)
            return (0..<count).map { p in
                DecodedMolecule(raw: all.raw[p], canonical: canonical[p], tokens: all.tokens[p], count: 1,
                                validCount: canonical[p] == nil ? 0 : 1, tries: 1)
            }
        case .beam(let width):
            precondition(width >= 1, "beam width must be at least 1")
            var found: [BeamHypothesis] = []
            let points = max(1, chunkSize / width)
            var start = 0
            while start < count {
                let end = min(count, start + points)
                found += BeamSearch.search(model: model, latents: Array(latents[(start * lat)..<(end * lat)]), count: end - start,
                                           width: width, maxSteps: maxSteps, syntaxMask: activeSyntaxMask)
                start = end
            }
            let raw = found.map { spell($0.tokens) }
            let canonical = MoleculeCanonicaliser.canonical(raw)
            return (0..<count).map { p in
                DecodedMolecule(raw: raw[p], canonical: canonical[p], tokens: found[p].tokens, count: 1,
                                validCount: canonical[p] == nil ? 0 : 1, tries: 1, logLikelihood: found[p].logLikelihood)
            }
        }
    }

    /// Every decoding, unjudged: `tries` per point, point-major (point p's tries are rows
    /// p·tries ..< (p+1)·tries).
    public func decodings(latents: [Float], count: Int, tries: Int, temperature: Float, topK: Int?, seed: UInt64,
                          firstIndex: Int = 0, greedy: Bool = false) -> (raw: [String], tokens: [[Int32]]) {
        let lat = model.config.latent
        let mask = activeSyntaxMask
        var tokens: [[Int32]] = []
        tokens.reserveCapacity(count * tries)
        let points = max(1, chunkSize / tries)
        var start = 0
        while start < count {
            let end = min(count, start + points)
            var rows = [Float]()
            rows.reserveCapacity((end - start) * tries * lat)
            for p in start..<end {
                let z = latents[(p * lat)..<((p + 1) * lat)]
                for _ in 0..<tries { rows.append(contentsOf: z) }
            }
            let result = model.sample(latents: rows, count: (end - start) * tries, maxSteps: maxSteps, temperature: temperature,
                                      greedy: greedy, seed: seed, topK: topK, rowOffset: (firstIndex + start) * tries,
                                      syntaxMask: mask)
            tokens += result.sequences
            start = end
        }
        return (tokens.map { spell($0) }, tokens)
    }

    /// The SMILES spelled by decoder output (ids the vocabulary always has).
    func spell(_ ids: [Int32]) -> String {
        (try? vocabulary.decode(ids)) ?? ""
    }
}
