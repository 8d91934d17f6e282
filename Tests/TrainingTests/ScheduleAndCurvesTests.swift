import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite struct LearningRateScheduleTests {
    /// The trainer sets Adam's rate from the schedule before every update: warm-up, then cosine
    /// down to the minimum at the last step.
    @Test func trainerFollowsTheCosineSchedule() throws {
        try withEngineThreads(1) {
            let (vocabulary, data) = try Fixtures.data()
            let train = Fixtures.subset(data, 0..<16), valid = Fixtures.subset(data, 16..<20)
            var o = TrainerTests.options(steps: 12)
            o.evaluateEachEpoch = false
            let schedule = LearningRateSchedule.warmupCosine(peak: 4e-3, minimum: 4e-4, warmupSteps: 3, totalSteps: 12)
            o.learningRateSchedule = schedule
            let trainer = try Trainer(model: try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 1),
                                      vocabulary: vocabulary, train: train, valid: valid, options: o, directory: nil)
            var rates: [Float] = []
            trainer.onStep = { [unowned trainer] _ in rates.append(trainer.optimizer.learningRate) }
            try trainer.run()
            #expect(rates.count == 12)
            #expect(rates == (0..<12).map { schedule.rate(at: $0) })
            #expect(abs(rates[0] - 4e-3 / 3) < 1e-9)            // first warm-up step
            #expect(abs(rates[2] - 4e-3) < 1e-9)                // peak at the end of warm-up
            #expect(rates[11] < rates[6] && rates[6] < rates[3]) // decaying
            #expect(abs(schedule.rate(at: 12) - 4e-4) < 1e-9)   // the minimum at the last step
        }
    }
}

@Suite struct CurvesTests {
    static func row(step: Int, elbo: Double) -> EvaluationMetrics {
        var m = EvaluationMetrics()
        m.step = step
        m.validELBO = elbo
        m.trainLoss = elbo + 1
        m.validity = 0.5
        return m
    }

    static func xTicks(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text class=\"xtick\"").dropFirst().map { part in
            String(part[part.index(after: part.firstIndex(of: ">")!)..<part.range(of: "</text>")!.lowerBound])
        }
    }

    /// One evaluation: one tick per chart at its step, not fractional steps around it.
    @Test func singleEvaluationHasOneWholeStepTick() {
        let ticks = Self.xTicks(CurvesSVG.render([Self.row(step: 138, elbo: 40)]))
        #expect(ticks == ["138", "138", "138"])
    }

    @Test func ticksAreDistinctWholeSteps() {
        let ticks = Self.xTicks(CurvesSVG.render([Self.row(step: 0, elbo: 50), Self.row(step: 2, elbo: 45)]))
        // Five evenly spaced ticks over 0...2 round to 0, 1 (from 0.5), 1, 2 (from 1.5), 2: three distinct.
        #expect(ticks.count == 9)
        #expect(Array(ticks.prefix(3)) == ["0", "1", "2"])
    }
}

@Suite struct EvaluationIntervalTests {
    /// --eval-every N evaluates after every N steps as well as at the finish.
    @Test func evaluatesEveryNSteps() throws {
        try withEngineThreads(1) {
            let (vocabulary, data) = try Fixtures.data()
            let train = Fixtures.subset(data, 0..<40), valid = Fixtures.subset(data, 40..<44)
            var o = TrainerTests.options(steps: 10)
            o.evaluateEachEpoch = false
            o.evaluateEvery = 4
            o.priorSamples = 4
            let trainer = try Trainer(model: try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 1),
                                      vocabulary: vocabulary, train: train, valid: valid, options: o, directory: nil)
            var steps: [Int] = []
            trainer.onEvaluation = { steps.append($0.step) }
            try trainer.run()
            #expect(steps == [4, 8, 10])
        }
    }
}
