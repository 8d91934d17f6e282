import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite struct ModelAverageTests {
    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("molvae-average-\(UUID().uuidString)-\(name)").path
    }

    /// The tiny model's file edited (weights or metadata), as another file of the run or of another run.
    private func variant(_ name: String, _ edit: (inout SafeTensors) -> Void) throws -> String {
        var file = try SafeTensors.read(from: TinyModel.savedPath)
        edit(&file)
        let path = temporaryPath(name)
        try file.write(to: path)
        return path
    }

    private func shifted(by shift: Float) throws -> String {
        try variant("shifted") { file in
            for name in file.order { file.tensors[name]!.values = file.tensors[name]!.values.map { $0 + shift } }
        }
    }

    @Test func everyWeightIsTheMeanOfTheFiles() throws {
        let files = [TinyModel.savedPath, try shifted(by: 0.5), try shifted(by: -0.2)]
        let out = temporaryPath("mean")
        try ModelAverage(of: files).save(to: out)
        let original = try SafeTensors.read(from: TinyModel.savedPath)
        let written = try SafeTensors.read(from: out)
        #expect(Set(written.order) == Set(original.order))
        #expect(original.order.contains { $0.hasPrefix("property_head.") })
        for name in original.order {
            // (x + (x + 0.5) + (x - 0.2)) / 3 = x + 0.1, up to the shifted files' Float rounding.
            let worst = zip(original.tensors[name]!.values, written.tensors[name]!.values).map { abs($0 + 0.1 - $1) }.max() ?? 0
            #expect(worst < 1e-6, "\(name): off by \(worst)")
        }
        let sources = try JSONDecoder().decode([[String: String]].self,
                                               from: Data(written.metadata[ModelAverage.metadataKey]!.utf8))
        #expect(sources.count == 3)
        #expect(sources.allSatisfy { $0["step"] == "1500" })
        #expect(written.metadata["molvae.training_state"] == original.metadata["molvae.training_state"])
        // What the commands load: the averaged file is a complete model with its property head.
        let loaded = try TrainedModel.load(path: out)
        #expect(loaded.propertyHead != nil)
    }

    @Test func averagingAModelWithItselfChangesNoWeight() throws {
        let copy = try variant("copy") { _ in }
        let out = temporaryPath("self")
        try ModelAverage(of: [TinyModel.savedPath, copy]).save(to: out)
        let original = try SafeTensors.read(from: TinyModel.savedPath)
        let written = try SafeTensors.read(from: out)
        for name in original.order { #expect(written.tensors[name]!.values == original.tensors[name]!.values, "\(name)") }
    }

    @Test func refusesFilesThatAreNotThisModelAtAnotherStep() throws {
        func refusal(_ second: String) -> String? {
            do {
                _ = try ModelAverage(of: [TinyModel.savedPath, second])
                return nil
            } catch let error as ModelAverage.Mismatch {
                #expect(error.path == second)
                return error.reason
            } catch {
                return "unexpected \(error)"
            }
        }
        let vocabulary = try variant("vocabulary") { file in
            var tokens = try! JSONDecoder().decode([String].self, from: Data(file.metadata[SmilesVAE.vocabularyKey]!.utf8))
            tokens.swapAt(tokens.count - 1, tokens.count - 2)
            file.metadata[SmilesVAE.vocabularyKey] = String(decoding: try! JSONEncoder().encode(tokens), as: UTF8.self)
        }
        #expect(refusal(vocabulary)?.contains("vocabulary differs") == true, "\(refusal(vocabulary) ?? "accepted")")
        let otherConfig = try variant("config") { file in
            file.metadata[SmilesVAE.configKey] = file.metadata[SmilesVAE.configKey]!.replacingOccurrences(of: "\"maxBatch\":64", with: "\"maxBatch\":32")
        }
        #expect(refusal(otherConfig)?.contains("configuration differs") == true, "\(refusal(otherConfig) ?? "accepted")")
        let otherData = try variant("data") { file in file.metadata[DataPreparationRecord.metadataKey] = "{}" }
        #expect(refusal(otherData)?.contains("trained on other data") == true, "\(refusal(otherData) ?? "accepted")")
        let noHead = try variant("no-head") { file in file.metadata[PropertyStandardisation.metadataKey] = nil }
        #expect(refusal(noHead)?.contains("property head differs") == true, "\(refusal(noHead) ?? "accepted")")
        let checkpoint = try variant("checkpoint") { file in file.metadata[Checkpoint.formatKey] = Checkpoint.formatValue }
        #expect(refusal(checkpoint)?.contains("training checkpoint") == true, "\(refusal(checkpoint) ?? "accepted")")
        let broken = try variant("nan") { file in
            let name = file.order[0]
            file.tensors[name]!.values[0] = .nan
        }
        #expect(refusal(broken)?.contains("cannot be read as a molvae model") == true, "\(refusal(broken) ?? "accepted")")
    }
}
