import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// The validity term: a decoder-only loss at given latent points, and the training term that
/// feeds it the valid prior samples the decoder drew itself.
@Suite(.serialized) struct ValidityTermTests {
    static func gradients(_ parameters: [Parameter]) -> [[Float]] { parameters.map(\.gradients) }

    var encoderParameters: (SmilesVAE) -> [Parameter] {
        { m in m.encoderEmbedding.parameters + m.convs.flatMap(\.parameters) + m.encoderDense.parameters + m.muHead.parameters + m.logvarHead.parameters }
    }
    var decoderParameters: (SmilesVAE) -> [Parameter] {
        { m in m.latentToHidden.parameters + m.decoderEmbedding.parameters + m.gru.parameters + m.outputHead.parameters }
    }

    /// At z = mu, the decoder-only loss is the VAE's reconstruction term with eps = 0, and its
    /// decoder gradients are those of the full backward pass (already checked by finite
    /// differences and against PyTorch); the encoder gets nothing.
    @Test func decoderLossAgreesWithTheFullBackwardPass() throws {
        try withEngineThreads(1) {
            let (vocabulary, data) = try Fixtures.data()
            let model = try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 5)
            let batch = TokenBatch(sequences: Array(data.sequences[3..<11]))
            let weight: Float = 0.7

            model.zeroGradients()
            let full = model.forward(batch, epsilon: .zero)
            let mu = model.mu.toArray(batch.count * model.config.latent)
            model.backward(reconWeight: weight, klWeight: 0)
            let reference = Self.gradients(decoderParameters(model))

            model.zeroGradients()
            let loss = model.decoderLossAndBackward(batch, latents: mu, weight: weight)
            #expect(abs(loss - full.recon) < 1e-9 * max(1, full.recon))
            let decoder = Self.gradients(decoderParameters(model))
            var worst: Float = 0, largest: Float = 0
            for (a, b) in zip(decoder.joined(), reference.joined()) { worst = max(worst, abs(a - b)); largest = max(largest, abs(b)) }
            #expect(largest > 1e-3)
            #expect(worst <= 1e-5 * max(1, largest), "largest decoder-gradient difference \(worst)")
            #expect(Self.gradients(encoderParameters(model)).joined().allSatisfy { $0 == 0 })

            // Finite differences of weight · loss on the GRU's recurrent weights and the head.
            for parameter in [model.gru.weightHH[0], model.outputHead.weight, model.latentToHidden.weight] {
                model.zeroGradients()
                _ = model.decoderLossAndBackward(batch, latents: mu, weight: weight)
                let analytic = Array(UnsafeBufferPointer(start: parameter.grad, count: parameter.count))
                let n = finiteDifferenceMismatches(parameter.value, analytic: analytic, count: parameter.count, samples: 12) {
                    Double(weight) * model.decoderLossAndBackward(batch, latents: mu, weight: 0)
                }
                #expect(n == 0, "\(parameter.name)")
            }
        }
    }

    /// The term keeps only finished molecules RDKit accepts, draws the same samples for the
    /// same step (so a resumed run repeats it), other samples at another step, and touches
    /// only the decoder.
    @Test func validityTermTrainsTheDecoderOnItsValidPriorSamples() throws {
        try withEngineThreads(1) {
            let (vocabulary, _) = try Fixtures.data()
            let model = try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 8)
            let term = ValidityTerm(samples: 48, weight: 1, mask: SMILESSyntaxMask(vocabulary: vocabulary))
            model.zeroGradients()
            let first = term.accumulate(model: model, vocabulary: vocabulary, seed: 4, step: 10)
            let g1 = Self.gradients(model.parameters)
            #expect(first.drawn == 48)
            #expect(first.kept > 0 && first.kept <= 48)
            #expect(first.loss > 0 && first.loss.isFinite)
            #expect(Self.gradients(encoderParameters(model)).joined().allSatisfy { $0 == 0 })
            #expect(Self.gradients(decoderParameters(model)).joined().contains { $0 != 0 })

            model.zeroGradients()
            let again = term.accumulate(model: model, vocabulary: vocabulary, seed: 4, step: 10)
            #expect(again.kept == first.kept && again.loss == first.loss)
            #expect(Self.gradients(model.parameters) == g1)

            model.zeroGradients()
            let other = term.accumulate(model: model, vocabulary: vocabulary, seed: 4, step: 11)
            #expect(other.loss != first.loss || other.kept != first.kept)

            // Counting valid samples by hand agrees with what the term kept.
            let lat = model.config.latent
            var latents = [Float](repeating: 0, count: 48 * lat)
            for i in 0..<48 {
                var rng = CounterRNG(seed: 4 ^ 0x7A11_D000, stream: (UInt64(10) << 20) ^ UInt64(i))
                for j in 0..<lat { latents[i * lat + j] = rng.nextNormal() }
            }
            let result = model.sample(latents: latents, count: 48, maxSteps: model.config.maxTokens + 1, seed: 4 ^ 0x7A11_D000,
                                      rowOffset: 10 * 48, syntaxMask: SMILESSyntaxMask(vocabulary: vocabulary))
            let valid = zip(result.sequences, result.finished).filter { seq, done in
                done && !seq.isEmpty && MoleculeCanonicaliser.canonical((try? vocabulary.decode(seq)) ?? "") != nil
            }.count
            #expect(valid == first.kept)
        }
    }

    /// With the term on, a resumed run still equals an uninterrupted one bit for bit, the
    /// parameters differ from a run without it, and the metrics record the term's validity.
    @Test func trainingWithTheTermResumesExactly() throws {
        try withEngineThreads(1) {
            let problem = try TinyTrainingProblem()
            var o = TrainerTests.options(steps: 7)
            o.validityWeight = 0.5
            o.validitySamples = 24
            let straightDir = Fixtures.temporaryDirectory()
            let straight = try problem.trainer(o, directory: straightDir)
            try straight.run()
            let rows = try String(contentsOfFile: straightDir + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            let last = try JSONDecoder().decode(EvaluationMetrics.self, from: Data(rows.last!.utf8))
            #expect(last.trainSampleValidity.map { (0...1).contains($0) } == true)

            let (resumed, checkpoint) = try problem.stoppedAndResumed(options: o, stopAt: 3)
            #expect(checkpoint.options.validityWeight == 0.5)
            #expect(bits(resumed.allParameters) == bits(straight.allParameters))

            var off = o
            off.validityWeight = nil
            let plain = try problem.trainer(off)
            try plain.run()
            #expect(bits(plain.allParameters) != bits(straight.allParameters))
        }
    }
}
