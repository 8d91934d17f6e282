import Foundation
import Testing
@testable import MolVAE

@Suite struct ErrorTests {
    @Test func missingAndEmptyDataFilesNameTheFile() throws {
        let (vocabulary, _) = try Fixtures.data()
        let dir = Fixtures.temporaryDirectory()
        let missing = dir + "/nope.smi"
        do {
            _ = try TrainingDataPreparation.sequences(path: missing, vocabulary: vocabulary, maxLength: 120, skipUnknown: false)
            Issue.record("missing file accepted")
        } catch { #expect("\(error)".contains("nope.smi")) }
        let empty = dir + "/empty.smi"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        do {
            _ = try TrainingDataPreparation.sequences(path: empty, vocabulary: vocabulary, maxLength: 120, skipUnknown: false)
            Issue.record("empty file accepted")
        } catch { #expect("\(error)".contains("empty.smi")) }
        // Every line skipped: no usable molecules, named.
        let foreign = dir + "/foreign.smi"
        try "[Xe]\n[Kr]\n".write(toFile: foreign, atomically: true, encoding: .utf8)
        #expect(throws: TrainingDataError.self) {
            _ = try TrainingDataPreparation.sequences(path: foreign, vocabulary: vocabulary, maxLength: 120, skipUnknown: true)
        }
        #expect(throws: TrainingDataError.self) { _ = try TrainingDataPreparation.holdOut([[4]], fraction: 0.1, seed: 0, path: foreign) }
    }

    @Test func badCheckpointsGiveClearErrors() throws {
        let (vocabulary, data) = try Fixtures.data()
        let dir = Fixtures.temporaryDirectory()
        var o = TrainerTests.options(steps: 2)
        o.priorSamples = 0
        let trainer = try Trainer(model: try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 2), vocabulary: vocabulary,
                                  train: Fixtures.subset(data, 0..<10), valid: Fixtures.subset(data, 10..<12), options: o, directory: dir)
        try trainer.run()
        let good = dir + "/checkpoint.safetensors"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        func expectError(_ path: String, _ fragment: String) {
            do {
                _ = try Checkpoint.read(from: path)
                Issue.record("\(path) accepted")
            } catch {
                #expect(error is CheckpointError)
                #expect("\(error)".contains(path), "\(error)")
                #expect("\(error)".contains(fragment), "\(error)")
            }
        }
        let truncated = dir + "/truncated.safetensors"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
        expectError(truncated, "truncated")
        let garbage = dir + "/garbage.safetensors"
        try Data((0..<500).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: garbage))
        expectError(garbage, "resume")
        expectError(dir + "/last.safetensors", "not a molvae training checkpoint")   // a model, not a checkpoint
        expectError(dir + "/absent.safetensors", "does not exist")
        // Vocabulary mismatch on resume.
        let checkpoint = try Checkpoint.read(from: good)
        let other = try Vocabulary(tokens: vocabulary.tokens.dropLast() + ["[Xe]"])
        do {
            _ = try Trainer(model: checkpoint.model, vocabulary: other, train: Fixtures.subset(data, 0..<10), valid: Fixtures.subset(data, 10..<12),
                            options: o, directory: dir, resumeFrom: checkpoint)
            Issue.record("vocabulary mismatch accepted")
        } catch {
            #expect("\(error)".contains("vocabulary mismatch") && "\(error)".contains("checkpoint.safetensors"))
        }
    }

    @Test func propertyCacheIsReused() throws {
        let (vocabulary, data) = try Fixtures.data()
        let dir = Fixtures.temporaryDirectory()
        let cache = dir + "/properties.safetensors"
        let first = try TrainingDataPreparation.cachedProperties(of: data.sequences, dataPath: Fixtures.smiles, vocabulary: vocabulary,
                                                                 cachePath: cache, threads: 2)
        #expect(!first.cached)
        #expect(first.values.count == 180 && first.values.allSatisfy(\.isFinite))
        #expect(first.values.map(\.bitPattern) == data.properties.map(\.bitPattern))
        let second = try TrainingDataPreparation.cachedProperties(of: data.sequences, dataPath: Fixtures.smiles, vocabulary: vocabulary,
                                                                  cachePath: cache, threads: 2)
        #expect(second.cached && second.values.map(\.bitPattern) == first.values.map(\.bitPattern))
        // Different molecules: recomputed.
        let third = try TrainingDataPreparation.cachedProperties(of: Array(data.sequences.prefix(5)), dataPath: Fixtures.smiles,
                                                                 vocabulary: vocabulary, cachePath: cache, threads: 2)
        #expect(!third.cached && third.values.count == 15)
    }
}
