import Foundation
import Testing
@testable import MolVAE

@Suite struct LossTests {
    @Test func klAnnealingSchedules() {
        #expect(KLAnnealing.constant.factor(at: 0) == 1)
        let lin = KLAnnealing.linear(warmupSteps: 100)
        #expect(lin.factor(at: 0) == 0 && lin.factor(at: 50) == 0.5 && lin.factor(at: 100) == 1 && lin.factor(at: 500) == 1)
        let sig = KLAnnealing.sigmoid(warmupSteps: 100)
        #expect(abs(sig.factor(at: 50) - 0.5) < 1e-12)
        #expect(sig.factor(at: 1) < 0.01 && sig.factor(at: 99) > 0.99 && sig.factor(at: 100) == 1)
        #expect(sig.factor(at: 30) < sig.factor(at: 31))
        let cyc = KLAnnealing.cyclical(periodSteps: 100, rampFraction: 0.5)
        #expect(cyc.factor(at: 25) == 0.5 && cyc.factor(at: 60) == 1 && cyc.factor(at: 100) == 0 && cyc.factor(at: 125) == 0.5)
    }

    @Test func freeBitsClampsAndMatchesPlainKLAtZero() {
        let rows = 6, dim = 4
        var rng = CounterRNG(seed: 2)
        var mu = (0..<(rows * dim)).map { i in rng.nextNormal() * (0.2 + Float(i % dim)) }
        let logvar = (0..<(rows * dim)).map { _ in rng.nextNormal() * 0.3 }
        var dmu = [Float](repeating: 0, count: rows * dim), dlv = dmu
        var refMu = dmu, refLv = dmu
        let r = FreeBits.apply(mu: mu, logvar: logvar, rows: rows, dim: dim, lambda: 0, weight: 1, dmu: &dmu, dlogvar: &dlv)
        GaussianLatent.klBackward(mu: mu, logvar: logvar, scale: 1 / Float(rows), dmu: &refMu, dlogvar: &refLv, count: rows * dim)
        #expect(abs(r.clamped - GaussianLatent.kl(mu: mu, logvar: logvar, count: rows * dim) / Double(rows)) < 1e-9)
        #expect(dmu == refMu && dlv == refLv)
        // λ between the dimensions' KLs: low dimensions count λ and get no gradient.
        var perDim = [Double](repeating: 0, count: dim)
        GaussianLatent.klPerDimension(mu: mu, logvar: logvar, rows: rows, dim: dim, into: &perDim)
        let means = perDim.map { $0 / Double(rows) }
        let lambda = means.sorted()[1] + 1e-3
        var g = [Float](repeating: 0, count: rows * dim), gl = g
        let c = FreeBits.apply(mu: mu, logvar: logvar, rows: rows, dim: dim, lambda: lambda, weight: 1, dmu: &g, dlogvar: &gl)
        #expect(abs(c.clamped - means.map { max(lambda, $0) }.reduce(0, +)) < 1e-9)
        for j in 0..<dim where means[j] <= lambda { for b in 0..<rows { #expect(g[b * dim + j] == 0 && gl[b * dim + j] == 0) } }
        for j in 0..<dim where means[j] > lambda { #expect(g[j] == refMu[j]) }
        // Finite differences of the clamped KL with respect to mu.
        let gradient = g
        mu.withUnsafeMutableBufferPointer { m in
            let n = finiteDifferenceMismatches(m.baseAddress!, analytic: gradient, count: rows * dim, samples: 24, h: 1e-3) {
                var scratch = [Float](repeating: 0, count: rows * dim), s2 = scratch
                return FreeBits.apply(mu: m.baseAddress!, logvar: logvar, rows: rows, dim: dim, lambda: lambda, weight: 1,
                                      dmu: &scratch, dlogvar: &s2).clamped
            }
            #expect(n == 0)
        }
    }

    @Test func wordDropoutSubstitutesDecoderInputs() throws {
        let (vocabulary, data) = try Fixtures.data()
        let model = try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 3)
        let batch = TokenBatch(sequences: Array(data.sequences[0..<8]))
        func run(_ wd: WordDropout?) -> (Double, [Float]) {
            model.wordDropout = wd
            model.zeroGradients()
            let l = model.forward(batch, epsilon: .zero)
            model.backward()
            model.wordDropout = nil
            return (l.recon, model.decoderEmbedding.weight.gradients)
        }
        let plain = run(nil)
        let zero = run(WordDropout(probability: 0, seed: 1, step: 0))
        #expect(plain.0 == zero.0 && plain.1 == zero.1)
        // p = 1: every decoder input after <bos> is <unk>, so only the <bos> and <unk>
        // embedding rows receive gradient.
        let all = run(WordDropout(probability: 1, seed: 1, step: 0))
        #expect(all.0 != plain.0)
        let e = model.config.decoderEmbedding
        for token in 0..<vocabulary.count {
            let row = all.1[(token * e)..<((token + 1) * e)]
            let touched = row.contains { $0 != 0 }
            #expect(touched == (token == Int(TokenID.bos) || token == Int(TokenID.unk)), "token \(token)")
        }
        // p = 0.25: about a quarter dropped, reproducibly, and a different draw per step.
        let wd = WordDropout(probability: 0.25, seed: 7, step: 3)
        var dropped = 0
        for row in 0..<200 { for t in 1...50 where wd.drops(row: row, position: t) { dropped += 1 } }
        #expect(abs(Double(dropped) / 10_000 - 0.25) < 0.02)
        #expect(!wd.drops(row: 0, position: 0))
        let other = WordDropout(probability: 0.25, seed: 7, step: 4)
        #expect((0..<200).contains { wd.drops(row: $0, position: 1) != other.drops(row: $0, position: 1) })
        #expect(run(wd).0 != plain.0 && run(wd).0 == run(wd).0)
    }

    @Test func batchPlanCoversEveryMoleculeOnceAndIsSeeded() {
        var rng = CounterRNG(seed: 1)
        let lengths = (0..<1000).map { _ in 10 + Int(rng.nextUInt64() % 50) }
        let plan = BatchPlan.batches(lengths: lengths, batchSize: 32, seed: 5, epoch: 0, bucketBatches: 4)
        #expect(plan.flatMap { $0 }.sorted() == Array(0..<1000))
        #expect(plan.count == 32)
        #expect(plan == BatchPlan.batches(lengths: lengths, batchSize: 32, seed: 5, epoch: 0, bucketBatches: 4))
        #expect(plan != BatchPlan.batches(lengths: lengths, batchSize: 32, seed: 5, epoch: 1, bucketBatches: 4))
        #expect(plan != BatchPlan.batches(lengths: lengths, batchSize: 32, seed: 6, epoch: 0, bucketBatches: 4))
        // Bucketing: the spread of lengths within a batch is far below the corpus spread.
        let spread = plan.map { b in b.map { lengths[$0] }.max()! - b.map { lengths[$0] }.min()! }
        #expect(Double(spread.reduce(0, +)) / Double(spread.count) < 20)
    }
}
