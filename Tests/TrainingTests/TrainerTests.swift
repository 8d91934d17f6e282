import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite(.serialized) struct TrainerTests {
    static func options(steps: Int, batch: Int = 8, seed: UInt64 = 3) -> TrainingOptions {
        var o = TrainingOptions()
        o.batchSize = batch
        o.learningRate = 3e-3
        o.maxSteps = steps
        o.seed = seed
        o.priorSamples = 20
        o.maxSampleSteps = 60
        o.checkpointEvery = 0
        o.klAnnealing = .linear(warmupSteps: 20)
        o.wordDropout = 0.1
        o.freeBits = 0.05
        o.propertyWeight = 0.5
        o.propertyHidden = 8
        return o
    }

    @Test func lossFallsAndAMemorisedMoleculeReconstructs() throws {
        try withEngineThreads(1) {
            let (vocabulary, data) = try Fixtures.data()
            let train = Fixtures.subset(data, 0..<4), valid = Fixtures.subset(data, 4..<8)
            let model = try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count, latent: 4, hidden: 32), seed: 1)
            var o = Self.options(steps: 250, batch: 4)
            o.learningRate = 1e-2
            o.beta = 0.01
            o.wordDropout = 0
            o.evaluateEachEpoch = false
            let trainer = try Trainer(model: model, vocabulary: vocabulary, train: train, valid: valid, options: o, directory: nil)
            var losses: [Double] = []
            trainer.onStep = { losses.append($0.recon) }
            #expect(try trainer.run() == .finished)
            #expect(losses.count == 250)
            let first = losses.prefix(10).reduce(0, +) / 10, last = losses.suffix(10).reduce(0, +) / 10
            #expect(last < first / 4, "recon \(first) -> \(last)")
            let (mu, _) = model.encode(TokenBatch(sequences: train.sequences))
            let decoded = model.sample(latents: mu, count: 4, maxSteps: 80, greedy: true).sequences
            let exact = zip(decoded, train.sequences).filter { $0 == $1 }.count
            #expect(exact >= 1, "greedy reconstructions: \(decoded.map { (try? vocabulary.decode($0)) ?? "?" })")
        }
    }

    /// N steps straight vs k steps, checkpoint, a fresh process-like resume to N: the same
    /// parameters, Adam moments and state bit for bit (crossing epoch boundaries, with word
    /// dropout, free bits, annealing and the property head all on).
    @Test func resumeGivesBitIdenticalParameters() throws {
        try withEngineThreads(2) {
            let problem = try TinyTrainingProblem(train: 0..<30, valid: 30..<40)
            let straightDir = Fixtures.temporaryDirectory()
            let straight = try problem.trainer(Self.options(steps: 17), directory: straightDir)
            try straight.run()

            let (resumed, _) = try problem.stoppedAndResumed(options: Self.options(steps: 17), stopAt: 6)
            #expect(resumed.state.step == 17 && resumed.state.epoch == straight.state.epoch)
            let sameParameters = bits(resumed.allParameters) == bits(straight.allParameters)
            var differentMoments = 0
            for k in 0..<straight.optimizer.parameters.count {
                let p = straight.optimizer.parameters[k]
                let (m1, v1) = straight.optimizer.moments(of: k), (m2, v2) = resumed.optimizer.moments(of: k)
                for i in 0..<p.count where m1[i].bitPattern != m2[i].bitPattern || v1[i].bitPattern != v2[i].bitPattern { differentMoments += 1 }
            }
            // No other test sets the thread count while this holds it (`withEngineThreads`), but
            // sampling in other suites drops matrix products to one thread around its groups for
            // a moment (`setGEMMThreads(1)`), so a product here may be split differently between
            // the runs; OpenBLAS's Haswell kernels (OPENBLAS_CORETYPE=Haswell, or an AMD Zen
            // machine) round a split product differently, its AVX-512 ones do not.
            withKnownIssue("split products round differently under OpenBLAS's Haswell kernels", isIntermittent: true) {
                #expect(sameParameters)
                #expect(differentMoments == 0)
            } when: { EngineThreads.blasRunsHaswellKernels }
            #expect(resumed.optimizer.step == straight.optimizer.step)
            // A model that diverged from the straight run would not match: compare against 16 steps.
            let short = try problem.trainer(Self.options(steps: 16))
            try short.run()
            let sameAsShort = bits(short.allParameters) == bits(straight.allParameters)
            #expect(!sameAsShort)
            // Output folder contents.
            for name in ["checkpoint.safetensors", "best.safetensors", "last.safetensors", "metrics.jsonl", "metrics.csv", "curves.svg"] {
                #expect(FileManager.default.fileExists(atPath: straightDir + "/" + name), "\(name)")
            }
            let jsonl = try String(contentsOfFile: straightDir + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            #expect(jsonl.count == straight.state.epoch + 1)   // each epoch end + the finish
            let csv = try String(contentsOfFile: straightDir + "/metrics.csv", encoding: .utf8).split(separator: "\n")
            #expect(csv.first.map(String.init) == EvaluationMetrics.csvColumns.joined(separator: ","))
            #expect(csv.count == jsonl.count + 1)
            #expect(try String(contentsOfFile: straightDir + "/curves.svg", encoding: .utf8).hasPrefix("<svg"))
            let best = try SmilesVAE.loadWithPropertyHead(from: straightDir + "/best.safetensors")
            #expect(best.propertyHead != nil && best.standardisation?.names == ["logp", "qed", "sa"])
        }
    }

    @Test func nonFiniteStepIsSkippedThenTrainingStops() throws {
        try withEngineThreads(1) {
            let problem = try TinyTrainingProblem(train: 0..<20, valid: 20..<24)
            let dir = Fixtures.temporaryDirectory()
            var o = Self.options(steps: 40)
            o.checkpointEvery = 2
            let trainer = try problem.trainer(o, directory: dir)
            var warnings: [String] = []
            trainer.onWarning = { warnings.append($0) }
            var poisonFrom = Int.max
            trainer.afterBackward = { [unowned trainer] step in if step == 3 || step >= poisonFrom { trainer.model.encoderDense.weight.grad[0] = .nan } }
            for _ in 0..<3 { try trainer.step() }
            let before = bits(trainer.allParameters), adamStep = trainer.optimizer.step
            let moment = trainer.optimizer.moments(of: 0).0[0]
            try trainer.step()                                  // step 3: NaN gradient
            let unchanged = bits(trainer.allParameters) == before
            #expect(unchanged)
            #expect(trainer.optimizer.step == adamStep && trainer.optimizer.moments(of: 0).0[0].bitPattern == moment.bitPattern)
            #expect(trainer.state.skippedSteps == 1 && warnings.count == 1)
            try trainer.step()                                  // step 4 is fine again
            let changed = bits(trainer.allParameters) != before
            #expect(changed && trainer.state.consecutiveFailures == 0)
            try trainer.writeCheckpoint()
            let goodStep = trainer.state.step
            poisonFrom = 5
            var diverged: TrainingDivergedError?
            do { try trainer.run() } catch let e as TrainingDivergedError { diverged = e }
            let error = try #require(diverged)
            #expect(error.failures == 10 && error.description.contains("checkpoint.safetensors"))
            #expect(try Checkpoint.read(from: dir + "/checkpoint.safetensors").state.step == goodStep)
        }
    }

    @Test func absurdLearningRateStopsWithAClearError() throws {
        try withEngineThreads(1) {
            let (vocabulary, data) = try Fixtures.data()
            let train = Fixtures.subset(data, 0..<16), valid = Fixtures.subset(data, 16..<20)
            var o = Self.options(steps: 200)
            o.learningRate = 1e30
            let trainer = try Trainer(model: try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 2),
                                      vocabulary: vocabulary, train: train, valid: valid, options: o, directory: nil)
            #expect(throws: TrainingDivergedError.self) { try trainer.run() }
            #expect(trainer.state.step < 200)
        }
    }
}
