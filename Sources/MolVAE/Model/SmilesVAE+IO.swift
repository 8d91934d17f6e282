import Foundation

/// Errors for model files beyond the safetensors container itself.
public enum ModelFileError: Error, CustomStringConvertible {
    case notAMolVAEModel(String)
    case badConfiguration(String)

    public var description: String {
        switch self {
        case .notAMolVAEModel(let s): return "not a molvae model file: \(s)"
        case .badConfiguration(let s): return "model configuration unreadable: \(s)"
        }
    }
}

extension SmilesVAE {
    public static let formatKey = "molvae.format"
    public static let formatValue = "smiles-vae-1"
    public static let configKey = "molvae.config"
    public static let vocabularyKey = "molvae.vocabulary"

    /// Parameters (F32, torch-style names) with the configuration and vocabulary as JSON strings
    /// in __metadata__, written atomically. Python's safetensors/PyTorch can open it.
    public func save(to path: String, vocabulary: [String], metadata extra: [String: String] = [:]) throws {
        try safeTensors(vocabulary: vocabulary, metadata: extra).write(to: path)
    }

    /// The model file's contents: parameters (then extraParameters, e.g. a property head) and
    /// metadata with the format, configuration and vocabulary.
    public func safeTensors(vocabulary: [String], extraParameters: [Parameter] = [],
                            metadata extra: [String: String] = [:]) throws -> SafeTensors {
        var meta = extra
        meta[SmilesVAE.formatKey] = SmilesVAE.formatValue
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        meta[SmilesVAE.configKey] = String(decoding: try encoder.encode(config), as: UTF8.self)
        meta[SmilesVAE.vocabularyKey] = String(decoding: try encoder.encode(vocabulary), as: UTF8.self)
        return SafeTensors.from(parameters: parameters + extraParameters, metadata: meta)
    }

    /// Loads a model written by save(to:) (or by Python with the same names and metadata).
    public static func load(from path: String) throws -> (model: SmilesVAE, vocabulary: [String], metadata: [String: String]) {
        try load(file: SafeTensors.read(from: path))
    }

    /// The model in an already-read safetensors file (tensors beyond the model's are ignored).
    public static func load(file: SafeTensors) throws -> (model: SmilesVAE, vocabulary: [String], metadata: [String: String]) {
        guard let configText = file.metadata[configKey] else { throw ModelFileError.notAMolVAEModel("no \(configKey) in __metadata__") }
        guard let vocabText = file.metadata[vocabularyKey] else { throw ModelFileError.notAMolVAEModel("no \(vocabularyKey) in __metadata__") }
        let config: VAEConfig
        let vocabulary: [String]
        do {
            config = try JSONDecoder().decode(VAEConfig.self, from: Data(configText.utf8))
            vocabulary = try JSONDecoder().decode([String].self, from: Data(vocabText.utf8))
        } catch {
            throw ModelFileError.badConfiguration("\(error)")
        }
        guard vocabulary.count == config.vocabSize else {
            throw ModelFileError.badConfiguration("vocabulary has \(vocabulary.count) tokens, config says \(config.vocabSize)")
        }
        let model: SmilesVAE
        let structure = config.hasStructureFeatures ? StructureFeatures(vocabulary: vocabulary) : nil
        do { model = try SmilesVAE(config: config, structure: structure) } catch { throw ModelFileError.badConfiguration("\(error)") }
        try file.load(into: model.parameters)
        return (model, vocabulary, file.metadata)
    }
}
