import Foundation
import Testing
@testable import MolVAE

enum Fixtures {
    static func path(_ name: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    static let smiles = path("sixty.smi")

    /// Vocabulary and sequences of the sixty-molecule fixture (with RDKit properties).
    static func data() throws -> (Vocabulary, TrainingData) {
        let vocabulary = try Vocabulary.build(fromCorpusAt: smiles)
        let sequences = try TrainingDataPreparation.sequences(path: smiles, vocabulary: vocabulary, maxLength: 120, skipUnknown: false)
        let properties = try TrainingDataPreparation.properties(of: sequences, vocabulary: vocabulary, threads: 2)
        return (vocabulary, TrainingData(sequences: sequences, properties: properties))
    }

    static func tinyConfig(vocab: Int, latent: Int = 6, hidden: Int = 24) -> VAEConfig {
        var c = VAEConfig(vocabSize: vocab)
        c.convChannels = [6, 6]
        c.convKernels = [3, 3]
        c.convDilations = [1, 1]
        c.dense = 16
        c.latent = latent
        c.decoderEmbedding = 8
        c.hidden = hidden
        c.maxBatch = 16
        c.maxTokens = 60
        return c
    }

    static func temporaryDirectory() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("molvae-train-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func subset(_ d: TrainingData, _ range: Range<Int>) -> TrainingData {
        TrainingData(sequences: Array(d.sequences[range]), properties: Array(d.properties[(range.lowerBound * 3)..<(range.upperBound * 3)]))
    }
}

/// Central finite differences; tolerances as in EngineTests/GradCheck.swift (Float32 forward,
/// Double loss accumulation, h = 1e-2).
func finiteDifferenceMismatches(_ values: UnsafeMutablePointer<Float>, analytic: [Float], count: Int, samples: Int = 16,
                                h: Float = 1e-2, abs absTol: Double = 2e-3, rel: Double = 2e-2, loss: () -> Double) -> Int {
    var failures = 0
    let stride = max(1, count / samples)
    var i = 0
    while i < count {
        let saved = values[i]
        values[i] = saved + h
        let lp = loss()
        values[i] = saved - h
        let lm = loss()
        values[i] = saved
        let numeric = (lp - lm) / Double(2 * h)
        let a = Double(analytic[i])
        if Swift.abs(numeric - a) > absTol + rel * Swift.abs(a) {
            failures += 1
            Issue.record("element \(i): numeric \(numeric) analytic \(a)")
        }
        i += stride
    }
    return failures
}

func bits(_ parameters: [Parameter]) -> [[UInt32]] { parameters.map { $0.values.map(\.bitPattern) } }

/// The sixty-molecule fixture cut into a training and a validation range, with the tiny model
/// configuration: the small training problem the trainer tests share.
struct TinyTrainingProblem {
    let vocabulary: Vocabulary
    let train: TrainingData
    let valid: TrainingData
    let config: VAEConfig

    init(train trainRange: Range<Int> = 0..<24, valid validRange: Range<Int> = 24..<32) throws {
        let (vocabulary, data) = try Fixtures.data()
        self.vocabulary = vocabulary
        train = Fixtures.subset(data, trainRange)
        valid = Fixtures.subset(data, validRange)
        config = Fixtures.tinyConfig(vocab: vocabulary.count)
    }

    /// A trainer on this problem whose model starts from `modelSeed` (2 unless a test says).
    func trainer(_ options: TrainingOptions, directory: String? = nil, modelSeed: UInt64 = 2,
                 resumeFrom checkpoint: Checkpoint? = nil,
                 initialPropertyHead: (head: PropertyHead, standardisation: PropertyStandardisation)? = nil) throws -> Trainer {
        try Trainer(model: try SmilesVAE(config: config, seed: modelSeed), vocabulary: vocabulary, train: train, valid: valid,
                    options: options, directory: directory, resumeFrom: checkpoint, initialPropertyHead: initialPropertyHead)
    }

    /// A run of `options` stopped by a signal after `stopAt` steps, then resumed to its end from
    /// the checkpoint by a new trainer whose model starts from another seed (as a new process
    /// would): returns the finished resumed trainer and the checkpoint it resumed from.
    func stoppedAndResumed(options: TrainingOptions, stopAt: Int) throws -> (resumed: Trainer, checkpoint: Checkpoint) {
        let dir = Fixtures.temporaryDirectory()
        let first = try trainer(options, directory: dir)
        first.onStep = { [unowned first] in if $0.step == stopAt { first.requestStop() } }
        #expect(try first.run() == .interrupted)
        #expect(first.state.step == stopAt)
        let checkpoint = try Checkpoint.read(from: dir + "/checkpoint.safetensors")
        #expect(checkpoint.state.step == stopAt)
        let resumed = try trainer(options, directory: dir, modelSeed: 99, resumeFrom: checkpoint)
        #expect(try resumed.run() == .finished)
        return (resumed, checkpoint)
    }
}
