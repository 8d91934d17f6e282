import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite struct OptimizerTests {
    /// One Adam step by hand: m = 0.1 g, v = 0.001 g^2, m_hat = g, v_hat = g^2,
    /// update = lr * g / (|g| + eps).
    @Test func adamFirstStep() {
        let p = Parameter(name: "p", shape: [3])
        p.values = [1, -2, 0.5]
        for (i, g) in [Float(0.5), -4, 1e-9].enumerated() { p.grad[i] = g }
        let adam = AdamOptimizer(parameters: [p], learningRate: 0.1)
        adam.update()
        #expect(abs(p.value[0] - (1 - 0.1 * 0.5 / (0.5 + 1e-8))) < 1e-6)
        #expect(abs(p.value[1] - (-2 + 0.1)) < 1e-6)
        #expect(abs(p.value[2] - (0.5 - 0.1 * 1e-9 / (1e-9 + 1e-8))) < 1e-6)
    }

    @Test func adamWDecouplesWeightDecay() {
        let p = Parameter(name: "p", shape: [1])
        p.values = [2]
        let adamW = AdamOptimizer.adamW(parameters: [p], learningRate: 0.1, weightDecay: 0.5)
        adamW.update()   // zero gradient: only the decay acts
        #expect(abs(p.value[0] - 2 * (1 - 0.05)) < 1e-6)
        let q = Parameter(name: "q", shape: [1])
        q.values = [2]
        let adam = AdamOptimizer(parameters: [q], learningRate: 0.1, weightDecay: 0.5)
        adam.update()    // L2 in the gradient: g = 1, normalised step of lr
        #expect(abs(q.value[0] - 1.9) < 1e-6)
    }

    @Test func clipping() {
        let a = Parameter(name: "a", shape: [2]), b = Parameter(name: "b", shape: [1])
        a.grad[0] = 3; a.grad[1] = 0; b.grad[0] = 4
        let norm = clipGradientNorm([a, b], maxNorm: 1)
        #expect(abs(norm - 5) < 1e-6)
        #expect(abs(a.grad[0] - 0.6) < 1e-5 && abs(b.grad[0] - 0.8) < 1e-5)
        let untouched = clipGradientNorm([a, b], maxNorm: 10)
        #expect(abs(untouched - 1) < 1e-5 && abs(b.grad[0] - 0.8) < 1e-5)
    }

    @Test func schedules() {
        #expect(LearningRateSchedule.constant(0.3).rate(at: 1000) == 0.3)
        let s = LearningRateSchedule.warmupCosine(peak: 1, minimum: 0.1, warmupSteps: 10, totalSteps: 110)
        #expect(abs(s.rate(at: 0) - 0.1) < 1e-6)
        #expect(abs(s.rate(at: 9) - 1) < 1e-6)
        #expect(abs(s.rate(at: 10) - 1) < 1e-6)
        #expect(abs(s.rate(at: 60) - 0.55) < 1e-5)
        #expect(abs(s.rate(at: 110) - 0.1) < 1e-6)
        #expect(abs(s.rate(at: 500) - 0.1) < 1e-6)
    }

    @Test func counterRNG() {
        var a = CounterRNG(seed: 1, stream: 2), b = CounterRNG(seed: 1, stream: 2), c = CounterRNG(seed: 1, stream: 3)
        let xs = (0..<5).map { _ in a.nextUInt64() }
        #expect(xs == (0..<5).map { _ in b.nextUInt64() })
        #expect(xs != (0..<5).map { _ in c.nextUInt64() })
        // Position-addressable: the 4th value is hash(seed, stream, 3).
        #expect(xs[3] == CounterRNG.hash(seed: 1, stream: 2, counter: 3))
        var r = CounterRNG(seed: 7)
        let n = 20000
        let normals = (0..<n).map { _ in Double(r.nextNormal()) }
        let mean = normals.reduce(0, +) / Double(n)
        let variance = normals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
        let uniforms = (0..<n).map { _ in r.nextFloat() }
        #expect(uniforms.allSatisfy { $0 >= 0 && $0 < 1 })
    }

    /// Our parallel loops and OpenBLAS's threads give the same training numbers for 1 and 2 threads
    /// up to GEMM summation order.
    @Test func threadCountDoesNotChangeResults() throws {
        let batch = TokenBatch(sequences: ModelTests.sequences)
        func run(_ threads: Int) throws -> Double {
            try withEngineThreads(threads) {
                let model = try SmilesVAE(config: ModelTests.tinyConfig(), seed: 11)
                return model.forward(batch, epsilon: .random(seed: 3, step: 4)).total()
            }
        }
        let one = try run(1), two = try run(2)
        #expect(abs(one - two) < 1e-5 * abs(one))
    }
}

@Suite struct OptimizerStateTests {
    /// Saving and restoring Adam's moments continues training exactly.
    @Test func adamStateRoundTrip() throws {
        func makeParam() -> Parameter { let p = Parameter(name: "w", shape: [2, 2]); p.values = [1, 2, 3, 4]; return p }
        func grads(_ p: Parameter, _ s: Int) { for i in 0..<4 { p.grad[i] = Float(i + s) * 0.1 - 0.15 } }
        let a = makeParam(), adamA = AdamOptimizer(parameters: [a], learningRate: 0.01)
        for s in 0..<3 { grads(a, s); adamA.update() }
        var file = SafeTensors.from(parameters: [a])
        adamA.addState(to: &file)
        let decoded = try SafeTensors.decode(try file.encoded())
        let b = makeParam(), adamB = AdamOptimizer(parameters: [b], learningRate: 0.01)
        try decoded.load(into: [b])
        try adamB.loadState(from: decoded)
        #expect(adamB.step == 3)
        for s in 3..<5 { grads(a, s); adamA.update(); grads(b, s); adamB.update() }
        #expect(a.values == b.values)
        #expect(throws: SafeTensorsError.self) { try adamB.loadState(from: SafeTensors()) }
    }
}
