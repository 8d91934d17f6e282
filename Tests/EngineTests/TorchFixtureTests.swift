import Foundation
import Testing
@testable import MolVAE

/// Agreement with PyTorch on a tiny VAE (fixture made by scripts/make-engine-fixture; no Python
/// at test time). Reading the fixture through SmilesVAE.load also proves safetensors interop.
@Suite struct TorchFixtureTests {
    static var path: String {
        Bundle.module.url(forResource: "Fixtures/tiny_vae_torch", withExtension: "safetensors")!.path
    }

    struct Setup {
        let model: SmilesVAE
        let file: SafeTensors
        let batch: TokenBatch
        let eps: [Float]
        let beta: Float
    }

    func setup() throws -> Setup {
        let file = try SafeTensors.read(from: Self.path)
        let (model, vocabulary, meta) = try SmilesVAE.load(from: Self.path)
        #expect(vocabulary.count == 10 && vocabulary[2] == "<eos>")
        let tokens = try file.tensor("input.tokens"), lengths = try file.tensor("input.lengths").values.map { Int($0) }
        let batch = TokenBatch(padded: tokens.values.map { Int32($0) }, stride: tokens.shape[1], lengths: lengths)
        return Setup(model: model, file: file, batch: batch, eps: try file.tensor("input.eps").values,
                     beta: Float(meta["fixture.beta"]!)!)
    }

    /// |ours − torch| ≤ tol·max|torch| over the tensor, plus tol·|torch| per element: relative
    /// agreement at the scale of the tensor (an element that is ~0 in both cannot be compared
    /// relatively to itself, Float32 sums in a different order differ by ~1e-7 of the magnitude).
    func expectClose(_ name: String, _ ours: [Float], _ theirs: [Float], tolerance: Float) {
        #expect(ours.count == theirs.count, "\(name): count")
        let scale = theirs.map { abs($0) }.max() ?? 0
        var worst: Float = 0
        for i in 0..<min(ours.count, theirs.count) {
            let err = abs(ours[i] - theirs[i])
            worst = max(worst, err / max(scale, 1e-12))
            if err > tolerance * (scale + abs(theirs[i])) {
                Issue.record("\(name)[\(i)]: ours \(ours[i]) torch \(theirs[i])")
                return
            }
        }
    }

    @Test func lossAndEveryGradientMatchTorch() throws {
        let s = try setup()
        s.model.zeroGradients()
        let loss = s.model.forward(s.batch, epsilon: .given(s.eps))
        s.model.backward(reconWeight: 1, klWeight: s.beta)
        let torchLoss = try s.file.tensor("output.loss").values[0]
        #expect(abs(Float(loss.total(beta: Double(s.beta))) - torchLoss) <= 1e-4 * abs(torchLoss))
        #expect(abs(Float(loss.recon) - (try s.file.tensor("output.recon").values[0])) <= 1e-4 * abs(torchLoss))
        #expect(abs(Float(loss.kl) - (try s.file.tensor("output.kl").values[0])) <= 1e-4 * max(1, abs(Float(loss.kl))))
        expectClose("mu", s.model.mu.toArray(s.batch.count * 5), try s.file.tensor("output.mu").values, tolerance: 1e-4)
        expectClose("logvar", s.model.logvar.toArray(s.batch.count * 5), try s.file.tensor("output.logvar").values, tolerance: 1e-4)
        #expect(s.model.parameters.count == 26)
        for p in s.model.parameters {
            expectClose("grad." + p.name, p.gradients, try s.file.tensor("grad." + p.name).values, tolerance: 1e-4)
        }
    }

    @Test func fiveClippedAdamStepsMatchTorch() throws {
        let s = try setup()
        let adam = AdamOptimizer(parameters: s.model.parameters, learningRate: 1e-2)
        let torchNorms = try s.file.tensor("adam5.grad_norms").values
        for step in 0..<5 {
            s.model.zeroGradients()
            s.model.forward(s.batch, epsilon: .given(s.eps))
            s.model.backward(reconWeight: 1, klWeight: s.beta)
            let norm = clipGradientNorm(s.model.parameters, maxNorm: 1.0)
            #expect(abs(norm - torchNorms[step]) < 1e-4 * torchNorms[step])
            adam.update()
        }
        for p in s.model.parameters {
            let theirs = try s.file.tensor("adam5." + p.name).values
            for i in 0..<p.count where abs(p.value[i] - theirs[i]) > 1e-5 {
                Issue.record("adam5.\(p.name)[\(i)]: ours \(p.value[i]) torch \(theirs[i])")
                break
            }
        }
    }

    @Test func greedyDecodingMatchesTorch() throws {
        let s = try setup()
        let (mu, _) = s.model.encode(s.batch)
        expectClose("encode mu", mu, try s.file.tensor("output.mu").values, tolerance: 1e-4)
        let result = s.model.sample(latents: mu, count: s.batch.count, maxSteps: 8, greedy: true)
        let torch = try s.file.tensor("output.greedy").values.map { Int32($0) }
        for b in 0..<s.batch.count {
            let row = Array(torch[(b * 8)..<(b * 8 + 8)]).prefix { $0 != TokenID.eos && $0 != -1 }
            #expect(result.sequences[b] == Array(row), "row \(b)")
            #expect(result.finished[b] == torch[(b * 8)..<(b * 8 + 8)].contains(TokenID.eos))
        }
    }
}
