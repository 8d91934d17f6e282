import Foundation
import Testing
@testable import MolVAE

@Suite struct LossGradientTests {
    let gc = GradCheck()

    @Test func crossEntropyWithPadding() {
        let rows = 4, classes = 5
        let logits = Vec(randomValues(rows * classes, seed: 30, scale: 3))
        let targets = IVec([2, 0, 4, 1])   // row 1 is padding (ignore index 0)
        let scratch = Vec(zeros: rows * classes)
        func loss() -> Double {
            SoftmaxCrossEntropy.forwardBackward(logits: logits.p, targets: targets.p, rows: rows, classes: classes,
                                                ignoreIndex: 0, dlogits: scratch.p).loss
        }
        let value = loss()
        let grad = scratch.array
        #expect(gc.check("ce", logits.p, analytic: grad, count: rows * classes, samples: 20, loss: loss) == 0)
        // Real value: the sum of -log softmax over rows 0, 2, 3.
        var expected = 0.0
        for r in [0, 2, 3] {
            let row = (0..<classes).map { Double(logits[r * classes + $0]) }
            let m = row.max()!
            let lse = log(row.map { exp($0 - m) }.reduce(0, +)) + m
            expected += lse - row[Int(targets.p[r])]
        }
        #expect(abs(value - expected) < 1e-5)
        for j in 0..<classes { #expect(grad[classes + j] == 0) }
        // Stable for huge logits.
        let big = Vec([1000, -1000, 0])
        let t0 = IVec([0])
        let out = SoftmaxCrossEntropy.forwardBackward(logits: big.p, targets: t0.p, rows: 1, classes: 3, ignoreIndex: nil, dlogits: big.p)
        #expect(out.loss.isFinite && out.loss < 1e-6)
    }

    @Test func klAndReparameterisation() {
        let n = 8
        let mu = Vec(randomValues(n, seed: 31)), lv = Vec(randomValues(n, seed: 32))
        let eps = Vec(randomValues(n, seed: 33))
        let w = randomValues(n, seed: 34)
        let z = Vec(zeros: n)
        // loss = 0.7 * KL + sum w * z
        func loss() -> Double {
            GaussianLatent.reparameterise(mu: mu.p, logvar: lv.p, eps: eps.p, z: z.p, count: n)
            return 0.7 * GaussianLatent.kl(mu: mu.p, logvar: lv.p, count: n) + weightedSum(z.p, w)
        }
        _ = loss()
        let dmu = Vec(zeros: n), dlv = Vec(zeros: n)
        let wv = Vec(w)
        GaussianLatent.reparameteriseBackward(dz: wv.p, logvar: lv.p, eps: eps.p, dmu: dmu.p, dlogvar: dlv.p, count: n)
        GaussianLatent.klBackward(mu: mu.p, logvar: lv.p, scale: 0.7, dmu: dmu.p, dlogvar: dlv.p, count: n)
        #expect(gc.check("dmu", mu.p, analytic: dmu.array, count: n, samples: n, loss: loss) == 0)
        #expect(gc.check("dlogvar", lv.p, analytic: dlv.array, count: n, samples: n, loss: loss) == 0)
        // KL of N(0, 1) is 0; of N(1, e^0) is 0.5 per dimension.
        let zero = Vec([0]), one = Vec([1])
        #expect(GaussianLatent.kl(mu: zero.p, logvar: zero.p, count: 1) == 0)
        #expect(abs(GaussianLatent.kl(mu: one.p, logvar: zero.p, count: 1) - 0.5) < 1e-9)
    }

    @Test func meanSquaredError() {
        let p = Vec(randomValues(6, seed: 35)), t = Vec(randomValues(6, seed: 36))
        func loss() -> Double { MeanSquaredError.loss(prediction: p.p, target: t.p, count: 6) }
        let d = Vec(zeros: 6)
        MeanSquaredError.backward(prediction: p.p, target: t.p, count: 6, dprediction: d.p)
        #expect(gc.check("mse", p.p, analytic: d.array, count: 6, samples: 6, loss: loss) == 0)
        let expected = zip(p.array, t.array).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +) / 6
        #expect(abs(loss() - expected) < 1e-7)
    }
}
