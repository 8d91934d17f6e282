import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// The prior-decoding term: batch molecules decoded (teacher-forced) from prior draws that are
/// independent of them, through the decoder only.
@Suite(.serialized) struct PriorDecodingTermTests {
    static func priorLatents(count: Int, latent: Int, seed: UInt64, step: Int) -> [Float] {
        var latents = [Float](repeating: 0, count: count * latent)
        for i in 0..<count {
            var rng = CounterRNG(seed: seed ^ 0x9A10_DEC0, stream: (UInt64(step) << 20) ^ UInt64(i))
            for j in 0..<latent { latents[i * latent + j] = rng.nextNormal() }
        }
        return latents
    }

    /// The term is the decoder-only loss of the first `samples` molecules at their seeded prior
    /// draws: same loss, same gradients, nothing for the encoder; another step draws other points.
    @Test func termIsTheDecoderLossOfTheFirstMoleculesAtPriorDraws() throws {
        try withEngineThreads(1) {
            let (vocabulary, data) = try Fixtures.data()
            let model = try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 5)
            let sequences = Array(data.sequences.prefix(20))
            let term = PriorDecodingTerm(samples: 12, weight: 0.7)

            model.zeroGradients()
            let loss = term.accumulate(model: model, sequences: sequences, seed: 6, step: 9)
            let termGradients = model.parameters.map(\.gradients)
            #expect(loss > 0 && loss.isFinite)
            let encoder = model.encoderEmbedding.parameters + model.convs.flatMap(\.parameters) + model.encoderDense.parameters
                + model.muHead.parameters + model.logvarHead.parameters
            #expect(encoder.map(\.gradients).joined().allSatisfy { $0 == 0 })

            model.zeroGradients()
            let latents = Self.priorLatents(count: 12, latent: model.config.latent, seed: 6, step: 9)
            let direct = model.decoderLossAndBackward(TokenBatch(sequences: Array(sequences.prefix(12))), latents: latents, weight: 0.7)
            #expect(direct == loss)
            #expect(model.parameters.map(\.gradients) == termGradients)

            model.zeroGradients()
            let other = term.accumulate(model: model, sequences: sequences, seed: 6, step: 10)
            #expect(other != loss)
            // Fewer molecules than `samples`: all of them, averaged over their number.
            model.zeroGradients()
            let few = term.accumulate(model: model, sequences: Array(sequences.prefix(5)), seed: 6, step: 9)
            model.zeroGradients()
            let fewDirect = model.decoderLossAndBackward(TokenBatch(sequences: Array(sequences.prefix(5))),
                                                         latents: Array(latents.prefix(5 * model.config.latent)), weight: 0.7)
            #expect(few == fewDirect)
        }
    }

    /// What the term is for: after the same number of steps, a model trained with it writes the
    /// training molecules from fresh prior draws (never seen in training) more likely than one
    /// trained without it, and a resumed run with it equals an uninterrupted one bit for bit.
    @Test func trainingWithTheTermLowersTheCrossEntropyAtPriorDraws() throws {
        try withEngineThreads(1) {
            let problem = try TinyTrainingProblem()
            let train = problem.train
            var on = TrainerTests.options(steps: 40)
            on.beta = 0.01
            on.priorDecodingWeight = 1
            on.priorDecodingSamples = 8
            var off = on
            off.priorDecodingWeight = nil
            off.priorDecodingSamples = nil

            func priorCrossEntropy(_ model: SmilesVAE) -> Double {
                let latents = Self.priorLatents(count: train.count, latent: model.config.latent, seed: 99, step: 12345)
                model.zeroGradients()
                return model.decoderLossAndBackward(TokenBatch(sequences: train.sequences), latents: latents, weight: 0)
            }
            let withTerm = try problem.trainer(on)
            try withTerm.run()
            let without = try problem.trainer(off)
            try without.run()
            let a = priorCrossEntropy(withTerm.model), b = priorCrossEntropy(without.model)
            #expect(a < b, "prior-draw cross-entropy with the term \(a), without \(b)")

            let (resumed, checkpoint) = try problem.stoppedAndResumed(options: on, stopAt: 15)
            #expect(checkpoint.options.priorDecodingWeight == 1)
            #expect(bits(resumed.allParameters) == bits(withTerm.allParameters))
        }
    }

    /// A run started from a trained model's weights (`train --init`) keeps its property head.
    @Test func initialPropertyHeadIsKept() throws {
        try withEngineThreads(1) {
            let problem = try TinyTrainingProblem()
            let options = TrainerTests.options(steps: 1)
            let head = PropertyHead(latent: problem.config.latent, hidden: options.propertyHidden, seed: 77)
            let standardisation = PropertyStandardisation.fit(problem.train.properties, hidden: options.propertyHidden)
            let trainer = try problem.trainer(options, initialPropertyHead: (head, standardisation))
            #expect(trainer.propertyHead === head)
            let fresh = try problem.trainer(options)
            #expect(fresh.propertyHead !== head)
            #expect(bits(fresh.propertyHead!.parameters) != bits(head.parameters))
        }
    }
}
