import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// Rule: numbers are checked where they enter. A model file with a NaN or infinite weight used
/// to load silently (encode wrote NaN latents, exit 0); now loading fails naming the tensor
/// (issue 18, part 4).
@Suite struct NonFiniteModelTests {
    func damagedCopy(_ change: (inout SafeTensors) -> Void) throws -> String {
        var file = try SafeTensors.read(from: TinyModel.savedPath)
        change(&file)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("molvae-nonfinite-\(UUID().uuidString).safetensors").path
        try file.write(to: path)
        return path
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func aNonFiniteWeightAnywhereIsALoadErrorNamingTheTensor(value: Float) throws {
        let names = try SafeTensors.read(from: TinyModel.savedPath).tensors.keys.sorted()
        // Encoder, decoder and property head tensors, first, middle and last elements.
        let chosen = [names.first { $0.hasPrefix("encoder") }, names.first { $0.hasPrefix("decoder") },
                      names.first { $0.hasPrefix("property_head") }, names.last].compactMap { $0 }
        #expect(chosen.count == 4)
        for name in chosen {
            for position in ["first", "middle", "last"] {
                var index = 0
                let path = try damagedCopy { file in
                    var t = file.tensors[name]!
                    index = position == "first" ? 0 : position == "middle" ? t.values.count / 2 : t.values.count - 1
                    t.values[index] = value
                    file.tensors[name] = t
                }
                defer { unlink(path) }
                let error = #expect(throws: TrainedModel.LoadError.self) { _ = try TrainedModel.load(path: path) }
                let text = error?.description ?? ""
                #expect(text.contains("tensor \(name): element \(index) of") && text.contains("is \(value)"), "\(text)")
                #expect(text.hasPrefix(path))
            }
        }
    }

    @Test func aNonFinitePropertyStandardisationIsALoadError() throws {
        let path = try damagedCopy { file in
            let key = PropertyStandardisation.metadataKey
            file.metadata[key] = file.metadata[key]!.replacingOccurrences(of: "\"sds\":[", with: "\"sds\":[0,")
                .replacingOccurrences(of: "\"means\":[", with: "\"means\":[0,")
        }
        defer { unlink(path) }
        // Three names but four means: inconsistent. Then a zero sd in the right count.
        let error = #expect(throws: TrainedModel.LoadError.self) { _ = try TrainedModel.load(path: path) }
        #expect(error?.description.contains(PropertyStandardisation.metadataKey) == true)

        let zero = try damagedCopy { file in
            let key = PropertyStandardisation.metadataKey
            var s = try! JSONDecoder().decode(PropertyStandardisation.self, from: Data(file.metadata[key]!.utf8))
            s.sds[1] = 0
            file.metadata[key] = s.jsonString()
        }
        defer { unlink(zero) }
        let zeroError = #expect(throws: TrainedModel.LoadError.self) { _ = try TrainedModel.load(path: zero) }
        #expect(zeroError?.description.contains("sds positive") == true, "\(String(describing: zeroError))")
    }

    @Test func theUndamagedModelStillLoads() throws {
        let path = try damagedCopy { _ in }
        defer { unlink(path) }
        #expect(try TrainedModel.load(path: path).model.parameterCount > 0)
    }
}
