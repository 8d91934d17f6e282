import Foundation
import Testing
@testable import MolVAE

@Suite struct PropertyHeadTests {
    @Test func headGradientsMatchFiniteDifferences() {
        let rows = 5, latent = 4
        let head = PropertyHead(latent: latent, hidden: 7, outputs: 3, seed: 3)
        var rng = CounterRNG(seed: 9)
        let mu = UnsafeMutablePointer<Float>.allocate(capacity: rows * latent)
        defer { mu.deallocate() }
        for i in 0..<(rows * latent) { mu[i] = rng.nextNormal() }
        var targets = (0..<(rows * 3)).map { _ in rng.nextNormal() }
        targets[4] = .nan  // an unscored molecule's value is left out
        let weight: Float = 0.7
        func loss() -> Double {
            targets.withUnsafeBufferPointer { t in
                let p = head.predict(mu, rows: rows)
                var s = 0.0, n = 0
                for i in 0..<(rows * 3) where t[i].isFinite { let d = Double(p[i] - t[i]); s += d * d; n += 1 }
                return Double(weight) * s / Double(n)
            }
        }
        head.parameters.zeroGrad()
        var dmu = [Float](repeating: 0, count: rows * latent)
        targets.withUnsafeBufferPointer { t in dmu.withUnsafeMutableBufferPointer { d in
            _ = head.lossAndBackward(mu: mu, targets: t.baseAddress!, rows: rows, weight: weight, dmu: d.baseAddress!)
        } }
        for p in head.parameters {
            #expect(finiteDifferenceMismatches(p.value, analytic: p.gradients, count: p.count, h: 1e-3, loss: loss) == 0, "\(p.name)")
        }
        #expect(finiteDifferenceMismatches(mu, analytic: dmu, count: rows * latent, samples: 20, h: 1e-3, loss: loss) == 0)
        #expect(head.parameters.map(\.name) == ["property_head.hidden.weight", "property_head.hidden.bias",
                                                 "property_head.out.weight", "property_head.out.bias"])
    }

    /// The whole objective recon + beta·KL + w·MSE(head(mu)): its gradient with respect to the
    /// encoder's mu layer (which moves mu directly) and the head's weights, through
    /// backward(muGrad:), against finite differences.
    @Test func combinedLossGradientThroughMu() throws {
        let (vocabulary, data) = try Fixtures.data()
        let model = try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count, latent: 4, hidden: 12), seed: 1)
        let head = PropertyHead(latent: 4, hidden: 8, seed: 2)
        let rows = 4
        let batch = TokenBatch(sequences: Array(data.sequences[0..<rows]))
        let standardisation = PropertyStandardisation.fit(data.properties)
        let targets = standardisation.standardise(Array(data.properties[0..<(rows * 3)]))
        var rng = CounterRNG(seed: 5)
        let eps = (0..<(rows * 4)).map { _ in rng.nextNormal() }
        let beta: Float = 0.5, w: Float = 2
        func loss() -> Double {
            let l = model.forward(batch, epsilon: .given(eps))
            let p = head.predict(model.mu.pointer, rows: rows)
            var s = 0.0
            for i in 0..<(rows * 3) { let d = Double(p[i] - targets[i]); s += d * d }
            return l.recon + Double(beta) * l.kl + Double(w) * s / Double(rows * 3)
        }
        model.zeroGradients()
        head.parameters.zeroGrad()
        model.forward(batch, epsilon: .given(eps))
        var dmu = [Float](repeating: 0, count: rows * 4)
        targets.withUnsafeBufferPointer { t in dmu.withUnsafeMutableBufferPointer { d in
            _ = head.lossAndBackward(mu: model.mu.pointer, targets: t.baseAddress!, rows: rows, weight: w, dmu: d.baseAddress!)
        } }
        dmu.withUnsafeBufferPointer { model.backward(reconWeight: 1, klWeight: beta, muGrad: $0.baseAddress!) }
        for p in [model.muHead.bias!, model.muHead.weight] + head.parameters {
            #expect(finiteDifferenceMismatches(p.value, analytic: p.gradients, count: p.count, loss: loss) == 0, "\(p.name)")
        }
        // Without the head's muGrad the mu-layer gradient would differ: the check can fail.
        let withHead = model.muHead.bias!.gradients
        model.zeroGradients()
        model.forward(batch, epsilon: .given(eps))
        model.backward(reconWeight: 1, klWeight: beta)
        let differs = withHead != model.muHead.bias!.gradients
        #expect(differs)
    }

    @Test func saveAndLoadWithHead() throws {
        let model = try SmilesVAE(config: Fixtures.tinyConfig(vocab: 12), seed: 4)
        let head = PropertyHead(latent: 6, hidden: 5, seed: 8)
        let st = PropertyStandardisation(names: ["logp", "qed", "sa"], means: [2.5, 0.7, 3], sds: [1.4, 0.1, 0.8], hidden: 5)
        let dir = Fixtures.temporaryDirectory()
        let path = dir + "/m.safetensors"
        let tokens = Vocabulary.specialTokenStrings + ["C", "c", "N", "O", "1", "(", ")", "="]
        try model.save(to: path, vocabulary: tokens, propertyHead: head, standardisation: st)
        let loaded = try SmilesVAE.loadWithPropertyHead(from: path)
        #expect(loaded.vocabulary == tokens)
        #expect(loaded.standardisation == st)
        let h2 = try #require(loaded.propertyHead)
        let sameHead = bits(h2.parameters) == bits(head.parameters), sameModel = bits(loaded.model.parameters) == bits(model.parameters)
        #expect(sameHead && sameModel)
        let file = try SafeTensors.read(from: path)
        #expect(file.order.filter { $0.hasPrefix("property_head.") }.count == 4)
        // A model saved without a head loads with none, and the plain loader ignores the head.
        try model.save(to: dir + "/plain.safetensors", vocabulary: tokens)
        #expect(try SmilesVAE.loadWithPropertyHead(from: dir + "/plain.safetensors").propertyHead == nil)
        #expect(try SmilesVAE.load(from: path).vocabulary == tokens)
        #expect(abs(st.destandardise(1, property: 0) - 3.9) < 1e-9)
    }

    @Test func standardisationFit() {
        let raw: [Float] = [1, 10, .nan, 3, 20, 5]
        let st = PropertyStandardisation.fit(raw)
        #expect(st.means == [2, 15, 5])
        #expect(st.sds[0] == 1 && st.sds[1] == 5 && st.sds[2] == 1)
        let z = st.standardise(raw)
        #expect(z[0] == -1 && z[1] == -1 && z[2].isNaN && z[3] == 1)
    }
}
