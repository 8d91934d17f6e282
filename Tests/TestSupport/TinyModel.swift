import Foundation
import MolVAE

/// A tiny VAE (with a property head) trained inside the test process on twelve molecules until it
/// has memorised most of them: seconds of work, shared by the generation and optimisation test targets. The molecules
/// are `Fixtures/twelve.smi` (the first twelve of the training tests' fixture, MOSES molecules).
/// The model is trained once and saved; every test loads its own copy (a SmilesVAE keeps
/// workspaces, so tests running in parallel must not share one).
public enum TinyModel {
    public static func fixture(_ name: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    public static let smilesPath = fixture("twelve.smi")

    /// The training molecules, as written in the fixture.
    public static let molecules: [String] = {
        (try? String(contentsOfFile: smilesPath, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }()

    /// A fresh copy of the trained model.
    public static func load() throws -> TrainedModel { try TrainedModel.load(path: savedPath) }

    /// The trained model's file, trained and written once per test process.
    public static let savedPath: String = withEngineThreads(1) {
        let vocabulary = try! Vocabulary.build(fromCorpusAt: smilesPath)
        let sequences = try! TrainingDataPreparation.sequences(path: smilesPath, vocabulary: vocabulary, maxLength: 120, skipUnknown: false)
        let properties = try! TrainingDataPreparation.properties(of: sequences, vocabulary: vocabulary, threads: 1)
        let data = TrainingData(sequences: sequences, properties: properties)
        var config = VAEConfig(vocabSize: vocabulary.count)
        config.convChannels = [8, 8]
        config.convKernels = [3, 3]
        config.convDilations = [1, 1]
        config.dense = 32
        config.latent = 8
        config.decoderEmbedding = 8
        config.hidden = 64
        config.maxBatch = 64
        config.maxTokens = 80
        let model = try! SmilesVAE(config: config, seed: 1)
        var o = TrainingOptions()
        o.batchSize = 12
        o.learningRate = 5e-3
        o.maxSteps = 1500
        o.seed = 5
        o.beta = 0.01
        o.klAnnealing = .constant
        o.propertyWeight = 0.5
        o.propertyHidden = 8
        o.checkpointEvery = 0
        o.priorSamples = 10
        o.maxSampleSteps = 80
        o.evaluateEachEpoch = false
        let trainer = try! Trainer(model: model, vocabulary: vocabulary, train: data, valid: data, options: o, directory: nil)
        try! trainer.run()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("molvae-tiny-\(UUID().uuidString).safetensors").path
        try! trainer.saveModel(to: path)
        return path
    }
}
