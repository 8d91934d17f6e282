import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// The syntax mask on the tiny model, through every decoding path.
@Suite(.serialized) struct SyntaxMaskTests {
    /// Hot prior sampling writes syntax errors without the mask and none with it; the draws are
    /// the same ones (the mask only moves where a draw lands), so the masked run is as
    /// deterministic as the raw one.
    @Test func maskedPriorSamplesHaveNoSyntaxFailures() throws {
        let tiny = try TinyModel.load()
        var masked: [GeneratedSample] = [], raw: [GeneratedSample] = []
        try PriorSampler(tiny, temperature: 1.5, seed: 8).run(goal: .samples(300), batchSize: 100) { masked.append($0) }
        try PriorSampler(tiny, temperature: 1.5, seed: 8, masks: DecodingMasks(syntax: false)).run(goal: .samples(300), batchSize: 300) { raw.append($0) }
        let rawSyntax = raw.filter { !$0.isValid && failsRDKitSyntax($0.raw) }.count
        let maskedSyntax = masked.filter { !$0.isValid && failsRDKitSyntax($0.raw) }
        #expect(rawSyntax > 10, "the control needs raw syntax failures (\(rawSyntax))")
        #expect(maskedSyntax.isEmpty, "\(maskedSyntax.count) masked samples fail RDKit's syntax: \(maskedSyntax.prefix(3).map(\.raw))")
        #expect(masked.filter(\.isValid).count > raw.filter(\.isValid).count)
        // Greedy and top-k decoding under the mask: no syntax failures either.
        for sampler in [PriorSampler(tiny, greedy: true, seed: 8), PriorSampler(tiny, temperature: 2, topK: 4, seed: 8)] {
            var samples: [GeneratedSample] = []
            try sampler.run(goal: .samples(100), batchSize: 100) { samples.append($0) }
            #expect(samples.allSatisfy { $0.isValid || !failsRDKitSyntax($0.raw) })
        }
    }

    /// The memorised molecules come back from their means with the mask on, greedily and by
    /// beam search.
    @Test func memorisedMoleculesAreStillReconstructed() throws {
        let tiny = try TinyModel.load()
        let encoded = try LatentEncoder(tiny).encode(TinyModel.molecules).map { try $0.get() }
        let mus = encoded.flatMap(\.latent.mu)
        for strategy in [DecodingStrategy.greedy, .beam(width: 3)] {
            let masked = LatentDecoder(tiny).decode(latents: mus, count: encoded.count, strategy: strategy)
            let raw = LatentDecoder(tiny, masks: DecodingMasks(syntax: false)).decode(latents: mus, count: encoded.count, strategy: strategy)
            let back = zip(masked, encoded).filter { $0.canonical == $1.molecule.canonical }.count
            #expect(back >= 10, "\(strategy.name): \(back) of \(encoded.count) came back")
            #expect(masked[0].canonical == TinyModel.molecules[0], "\(strategy.name): the first molecule")
            // Where greedy decoding already wrote a valid molecule, every likeliest token was
            // allowed, so the mask changed nothing. (Beam search may differ: removing invalid
            // prefixes can let a likelier valid one survive.)
            if strategy == .greedy {
                for (m, r) in zip(masked, raw) where r.isValid { #expect(m.tokens == r.tokens, "\(r.raw)") }
            }
            #expect(masked.allSatisfy { $0.isValid || !failsRDKitSyntax($0.raw) })
        }
    }

    /// Prior points decoded by tries, greedily and by beam search: masked decodings never fail
    /// RDKit's syntax, and beam scores stay the model's own log p(x | z).
    @Test func everyStrategyIsMasked() throws {
        let tiny = try TinyModel.load()
        let (z, count) = try testLatents(tiny, prior: 24)
        let decoder = LatentDecoder(tiny)
        let tries = decoder.decodings(latents: z, count: count, tries: 6, temperature: 1.6, topK: nil, seed: 3)
        #expect(tries.raw.allSatisfy { !failsRDKitSyntax($0) }, "tries")
        for strategy in [DecodingStrategy.greedy, .beam(width: 4)] {
            let decoded = decoder.decode(latents: z, count: count, strategy: strategy)
            #expect(decoded.allSatisfy { !failsRDKitSyntax($0.raw) }, "\(strategy.name)")
        }
        let beam = decoder.decode(latents: z, count: count, strategy: .beam(width: 4))
        let teacherForced = tiny.model.logLikelihoods(of: TokenBatch(sequences: beam.map(\.tokens)), latents: z)
        for (b, ll) in zip(beam, teacherForced) { #expect(abs(b.logLikelihood! - ll) < 1e-3 * max(1, abs(ll))) }
    }

    /// Switched off, the decoder is the raw model: the same tokens as the unmasked engine.
    @Test func switchedOffIsTheRawModel() throws {
        let tiny = try TinyModel.load()
        let (z, count) = try testLatents(tiny, prior: 12)
        let decoder = LatentDecoder(tiny, masks: DecodingMasks(syntax: false))
        #expect(decoder.activeSyntaxMask == nil)
        let decoded = decoder.decodings(latents: z, count: count, tries: 1, temperature: 1.4, topK: nil, seed: 6)
        let direct = tiny.model.sample(latents: z, count: count, maxSteps: decoder.maxSteps, temperature: 1.4, seed: 6)
        #expect(decoded.tokens == direct.sequences)
        #expect(LatentDecoder(tiny).activeSyntaxMask != nil, "the mask is on by default")
    }

    /// The form rules follow the model: on for one whose data-preparation record says RDKit
    /// canonicalised its molecules, off for one trained `--as-written` or without the record (the
    /// tiny model is trained in this process and has none).
    @Test func canonicalFormFollowsWhatTheModelWasTrainedOn() throws {
        let tiny = try TinyModel.load()
        #expect(!tiny.wasTrainedOnCanonicalSMILES)
        #expect(!LatentDecoder(tiny).learnedCanonicalForm)
        func recorded(canonicalized: Bool) -> TrainedModel {
            var record = DataPreparationRecord(path: "train.smi")
            record.canonicalized = canonicalized
            let metadata = [DataPreparationRecord.metadataKey: DataPreparationRecord.jsonString(["data": record])]
            return TrainedModel(path: tiny.path, model: tiny.model, vocabulary: tiny.vocabulary, propertyHead: nil,
                                standardisation: nil, metadata: metadata)
        }
        #expect(recorded(canonicalized: true).wasTrainedOnCanonicalSMILES)
        #expect(LatentDecoder(recorded(canonicalized: true)).learnedCanonicalForm)
        #expect(!recorded(canonicalized: false).wasTrainedOnCanonicalSMILES)
        #expect(!LatentDecoder(recorded(canonicalized: false)).learnedCanonicalForm)
    }

    /// Hot samples and beam decodings under the form rules all follow the form; without the rules
    /// some samples do not (the control).
    @Test func decodingsUnderTheFormFollowIt() throws {
        let tiny = try TinyModel.load()
        func outOfForm(_ strings: [String]) -> [String] {
            strings.filter { smiles in
                var state = SMILESSyntaxState(followsCanonicalForm: true)
                for token in SMILESTokenizer.tokenize(smiles) {
                    let kind = SMILESTokenClass(token: token)
                    guard state.allows(kind) else { return true }
                    state.advance(kind)
                }
                return !state.allows(.end)
            }
        }
        var inForm: [GeneratedSample] = [], plain: [GeneratedSample] = []
        let sampler = PriorSampler(tiny, temperature: 1.5, seed: 8)
        sampler.decoder.learnedCanonicalForm = true
        try sampler.run(goal: .samples(300), batchSize: 100) { inForm.append($0) }
        try PriorSampler(tiny, temperature: 1.5, seed: 8).run(goal: .samples(300), batchSize: 100) { plain.append($0) }
        #expect(outOfForm(inForm.map(\.raw)).isEmpty, "\(outOfForm(inForm.map(\.raw)).prefix(3))")
        #expect(!outOfForm(plain.map(\.raw)).isEmpty, "the control needs samples out of the form")
        #expect(inForm.filter { !$0.isValid && failsRDKitSyntax($0.raw) }.isEmpty)
        let (z, count) = try testLatents(tiny, prior: 24)
        let beam = sampler.decoder.decode(latents: z, count: count, strategy: .beam(width: 4))
        #expect(outOfForm(beam.map(\.raw)).isEmpty)
    }

    /// The mask a decoder hands its loops follows `masks`: none with the syntax mask off, the
    /// valence counts when asked, and the canonical form only for a model that learned it (the tiny
    /// model did not; setting `learnedCanonicalForm` stands for one that did). The cached mask is
    /// rebuilt when the rules change.
    @Test func theActiveMaskFollowsTheDecodingMasks() throws {
        let tiny = try TinyModel.load()
        #expect(!tiny.wasTrainedOnCanonicalSMILES)
        let decoder = LatentDecoder(tiny, masks: DecodingMasks(syntax: false, valence: false, canonicalForm: true))
        #expect(decoder.activeSyntaxMask == nil)
        decoder.masks = DecodingMasks(syntax: true, valence: true)
        var mask = try #require(decoder.activeSyntaxMask)
        #expect(mask.checksValence && !mask.followsCanonicalForm)
        #expect(decoder.rulesInEffect == DecodingMasks(syntax: true, valence: true, canonicalForm: false))
        decoder.learnedCanonicalForm = true
        decoder.masks = DecodingMasks()
        mask = try #require(decoder.activeSyntaxMask)
        #expect(!mask.checksValence && mask.followsCanonicalForm)
        decoder.masks.canonicalForm = false
        #expect(try #require(decoder.activeSyntaxMask).followsCanonicalForm == false)
    }

    /// Summary lines describe the rules in effect: the canonical form only where the model learned
    /// it, the valence mask only on top of the syntax mask.
    @Test func rulesInEffectDescribeThemselves() {
        let asked = DecodingMasks(syntax: true, valence: true, canonicalForm: true)
        #expect(asked.inEffect(learnedCanonicalForm: true).description == "syntax mask on (canonical form), valence mask on")
        #expect(asked.inEffect(learnedCanonicalForm: false).description == "syntax mask on, valence mask on")
        #expect(DecodingMasks().inEffect(learnedCanonicalForm: true).description == "syntax mask on (canonical form)")
        #expect(DecodingMasks(syntax: false).description == "syntax mask off")
        #expect(DecodingMasks(canonicalForm: false).inEffect(learnedCanonicalForm: true) == DecodingMasks(canonicalForm: false))
    }
}
