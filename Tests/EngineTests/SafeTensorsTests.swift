import Foundation
import Testing
@testable import MolVAE

@Suite struct SafeTensorsTests {
    func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "molvae-engine-\(getpid())-\(name)"
    }

    @Test func modelRoundTrip() throws {
        let model = try SmilesVAE(config: ModelTests.tinyConfig(), seed: 3)
        let path = temporaryPath("roundtrip.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let vocab = TokenID.specials + ["C", "c", "O", "N", "("]
        try model.save(to: path, vocabulary: vocab, metadata: ["note": "hello"])
        let (loaded, v, meta) = try SmilesVAE.load(from: path)
        #expect(v == vocab)
        #expect(meta["note"] == "hello")
        #expect(loaded.config == model.config)
        for (a, b) in zip(model.parameters, loaded.parameters) {
            #expect(a.name == b.name && a.values == b.values)
        }
        // Header layout: 8-byte little-endian length, then JSON, data 8-byte aligned.
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let n = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        #expect(n % 8 == 0)
        #expect(data.count == 8 + Int(n) + 4 * model.parameterCount)
    }

    @Test func truncatedFilesGiveErrors() throws {
        var file = SafeTensors()
        file.add("a", shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        file.metadata = ["k": "v"]
        let data = try file.encoded()
        let back = try SafeTensors.decode(data)
        #expect(back.tensors["a"]!.values == [1, 2, 3, 4, 5, 6] && back.metadata["k"] == "v")
        for cut in [0, 4, 8, 20, data.count - 1] {
            #expect(throws: SafeTensorsError.self) { try SafeTensors.decode(data.prefix(cut)) }
        }
    }

    @Test func corruptAndForeignFilesGiveErrors() throws {
        func file(header: String, data: [UInt8] = []) -> Data {
            var d = Data()
            var n = UInt64(header.utf8.count).littleEndian
            withUnsafeBytes(of: &n) { d.append(contentsOf: $0) }
            d.append(contentsOf: Array(header.utf8))
            d.append(contentsOf: data)
            return d
        }
        let four = [UInt8](repeating: 0, count: 4)
        let cases: [Data] = [
            file(header: "{not json"),
            file(header: "[1, 2]"),
            file(header: #"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 4]}}"#, data: four),      // size mismatch
            file(header: #"{"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 400]}}"#, data: four),    // out of bounds
            file(header: #"{"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 4]}}"#, data: four),     // negative dim
            file(header: #"{"a": {"dtype": "BF16", "shape": [2], "data_offsets": [0, 4]}}"#, data: four),     // foreign dtype
            file(header: #"{"a": {"dtype": "F32", "shape": [1]}}"#, data: four),                               // no offsets
            file(header: #"{"__metadata__": {"k": 3}}"#),                                                    // non-string metadata
            Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B]),                                    // absurd length
            Data("PK\u{03}\u{04} this is a zip file, not safetensors".utf8),
        ]
        for (i, d) in cases.enumerated() {
            #expect(throws: SafeTensorsError.self, "case \(i)") { try SafeTensors.decode(d) }
        }
        // A valid safetensors file that is not a molvae model.
        let path = temporaryPath("foreign.safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var other = SafeTensors()
        other.add("weight", shape: [1], values: [1])
        try other.write(to: path)
        #expect(throws: ModelFileError.self) { try SmilesVAE.load(from: path) }
        #expect(throws: SafeTensorsError.self) { try SafeTensors.read(from: path + ".missing") }
        // Shapes are checked against the model.
        let model = try SmilesVAE(config: ModelTests.tinyConfig())
        var wrong = SafeTensors.from(parameters: model.parameters)
        wrong.add(model.parameters[0].name, shape: [1], values: [0])
        #expect(throws: SafeTensorsError.self) { try wrong.load(into: model.parameters) }
    }
}
