import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite struct ModelTests {
    static func tinyConfig() -> VAEConfig {
        var c = VAEConfig(vocabSize: 9)
        c.encoderEmbedding = 0          // one-hot path (identity embedding)
        c.convChannels = [4, 3]
        c.convKernels = [3, 5]
        c.convDilations = [1, 2]
        c.dense = 6
        c.latent = 3
        c.decoderEmbedding = 4
        c.hidden = 5
        c.layers = 2
        c.maxBatch = 4
        c.maxTokens = 9
        return c
    }

    static let sequences: [[Int32]] = [[4, 5, 6], [7, 8, 4, 4, 5, 6], [5], [6, 6, 7, 8]]

    /// Finite differences through the whole VAE loss (encoder, reparameterisation, GRU decoder,
    /// CE, beta·KL). The encoder has ReLUs: a kink crossed inside x ± h would add an error of
    /// the size of one unit's contribution, so h is smaller here (3e-3) and the tolerances the
    /// same as for single layers; with these seeds no sampled element sits on a kink.
    @Test(arguments: [PoolingKind.mean, .flatten])
    func wholeLossGradient(_ pooling: PoolingKind) throws {
        var config = Self.tinyConfig()
        config.pooling = pooling
        let model = try SmilesVAE(config: config, seed: 5)
        let batch = TokenBatch(sequences: Self.sequences)
        let eps = randomValues(4 * 3, seed: 40)
        let beta: Float = 0.7
        func loss() -> Double { model.forward(batch, epsilon: .given(eps)).total(beta: Double(beta)) }
        model.zeroGradients()
        model.forward(batch, epsilon: .given(eps))
        model.backward(reconWeight: 1, klWeight: beta)
        var gc = GradCheck()
        gc.h = 3e-3
        gc.absTolerance = 3e-3
        for p in model.parameters {
            #expect(gc.check(p.name, p.value, analytic: p.gradients, count: p.count, samples: 10, loss: loss) == 0)
        }
    }

    /// The extra gradient inputs (property head on mu, free bits on logvar) act like adding
    /// sum(g ⊙ mu) to the loss.
    @Test func extraLatentGradients() throws {
        let model = try SmilesVAE(config: Self.tinyConfig(), seed: 6)
        let batch = TokenBatch(sequences: Self.sequences)
        let eps = randomValues(12, seed: 41)
        let g = Vec(randomValues(12, seed: 42)), gl = Vec(randomValues(12, seed: 43))
        func loss() -> Double {
            let l = model.forward(batch, epsilon: .given(eps))
            return l.recon + weightedSum(model.mu.pointer, g.array) + weightedSum(model.logvar.pointer, gl.array)
        }
        model.zeroGradients()
        model.forward(batch, epsilon: .given(eps))
        model.backward(reconWeight: 1, klWeight: 0, muGrad: g.p, logvarGrad: gl.p)
        var gc = GradCheck()
        gc.h = 3e-3
        gc.absTolerance = 3e-3
        let dense = model.encoderDense.weight
        #expect(gc.check(dense.name, dense.value, analytic: dense.gradients, count: dense.count, samples: 12, loss: loss) == 0)
    }

    /// Batch order and padding do not matter: a molecule's loss and mu are the same alone.
    @Test(arguments: [PoolingKind.mean, .flatten])
    func batchOrderInvariance(_ pooling: PoolingKind) throws {
        var config = Self.tinyConfig()
        config.pooling = pooling
        let model = try SmilesVAE(config: config, seed: 7)
        let batch = TokenBatch(sequences: Self.sequences)
        let all = model.forward(batch, epsilon: .zero)
        let muAll = model.mu.toArray(12)
        var recon = 0.0
        for (b, s) in Self.sequences.enumerated() {
            let one = model.forward(TokenBatch(sequences: [s]), epsilon: .zero)
            recon += one.recon
            for j in 0..<3 { #expect(abs(model.mu.pointer[j] - muAll[b * 3 + j]) < 1e-6) }
        }
        #expect(abs(recon / 4 - all.recon) < 1e-5)
        #expect(all.tokens == Self.sequences.map { $0.count + 1 }.reduce(0, +))
    }

    /// Rows leave the active batch as they finish; the survivors' results must not change.
    @Test func samplingBatchEqualsSingle() throws {
        let model = try SmilesVAE(config: Self.tinyConfig(), seed: 8)
        let z = randomValues(6 * 3, seed: 44, scale: 2)
        let all = model.sample(latents: z, count: 6, maxSteps: 30, temperature: 1, greedy: false, seed: 9)
        #expect(all.finished.contains(true))
        // Multinomial draws use the RNG stream of the row's index in the batch, so a row alone
        // would draw differently; greedy decoding isolates the state compaction.
        let greedyAll = model.sample(latents: z, count: 6, maxSteps: 30, greedy: true)
        for b in 0..<6 {
            let one = model.sample(latents: Array(z[(b * 3)..<(b * 3 + 3)]), count: 1, maxSteps: 30, greedy: true)
            #expect(one.sequences[0] == greedyAll.sequences[b])
        }
        let again = model.sample(latents: z, count: 6, maxSteps: 30, temperature: 1, greedy: false, seed: 9)
        #expect(again.sequences == all.sequences)
        #expect(all.sequences.allSatisfy { $0.allSatisfy { $0 >= 0 && $0 < 9 && $0 != TokenID.eos } })
    }

    /// Decoding groups of molecules on 2 threads gives exactly the 1-thread result.
    @Test func samplingIndependentOfThreads() throws {
        let model = try SmilesVAE(config: Self.tinyConfig(), seed: 12)
        let z = randomValues(40 * 3, seed: 45, scale: 2)
        let one = withEngineThreads(1) { model.sample(latents: z, count: 40, maxSteps: 25, seed: 4) }
        withEngineThreads(2) {
            let two = model.sample(latents: z, count: 40, maxSteps: 25, seed: 4)
            #expect(one.sequences == two.sequences && one.finished == two.finished && one.steps == two.steps)
            let forced = model.sample(latents: z, count: 40, maxSteps: 25, seed: 4, stopAtEOS: false)
            #expect(forced.steps == 25 && forced.sequences == one.sequences)
        }
    }

    /// Training reduces the loss on a fixed batch (the pieces fit together).
    @Test func adamReducesLoss() throws {
        let model = try SmilesVAE(config: Self.tinyConfig(), seed: 10)
        let batch = TokenBatch(sequences: Self.sequences)
        let adam = AdamOptimizer(parameters: model.parameters, learningRate: 3e-2)
        var first = 0.0, last = 0.0
        for step in 0..<80 {
            model.zeroGradients()
            let l = model.forward(batch, epsilon: .random(seed: 1, step: UInt64(step)))
            model.backward(reconWeight: 1, klWeight: 0.1)
            clipGradientNorm(model.parameters, maxNorm: 5)
            adam.update()
            if step == 0 { first = l.recon }
            last = l.recon
        }
        #expect(last < 0.5 * first)
    }

    /// After reserveWorkspaces, steps of allowed sizes reuse the same buffers (no growth).
    @Test func workspacesAreReused() throws {
        let model = try SmilesVAE(config: Self.tinyConfig(), seed: 13)
        model.reserveWorkspaces()
        #expect(model.parameters.allSatisfy { p in (0..<p.count).allSatisfy { p.grad[$0] == 0 } })
        let buffers = [model.gru.inputGates[0], model.gru.gateValues[1], model.gru.dHiddenGates, model.dGRUOutput,
                       model.outputHead.output, model.convs[0].columns, model.convs[1].columnGrad]
        let before = buffers.map { ($0.pointer, $0.capacity) }
        for step in 0..<3 {
            model.zeroGradients()
            model.forward(TokenBatch(sequences: Self.sequences), epsilon: .random(seed: 2, step: UInt64(step)))
            model.backward()
        }
        let after = buffers.map { ($0.pointer, $0.capacity) }
        for (a, b) in zip(before, after) { #expect(a.0 == b.0 && a.1 == b.1) }
    }

    @Test func invalidConfigIsRejected() {
        var c = Self.tinyConfig()
        c.convKernels = [3]
        #expect(throws: VAEConfigError.self) { try SmilesVAE(config: c) }
    }
}
