import Foundation

/// A model file loaded for use: the VAE, its vocabulary, its property head (when it was trained
/// with one) and where it came from. Every command that takes `--model` goes through here, so
/// a missing, truncated or foreign file gives the same clear error everywhere.
public final class TrainedModel {
    /// The file name of the shipped default model inside the package's `Models/` folder.
    public static let defaultFileName = "default.safetensors"

    public let path: String
    public let model: SmilesVAE
    public let vocabulary: Vocabulary
    public let propertyHead: PropertyHead?
    public let standardisation: PropertyStandardisation?
    public let metadata: [String: String]
    /// Whether every file the model was trained on was canonicalised by RDKit (its data-preparation
    /// record says so): then every string it learned from has RDKit's canonical form, which the
    /// syntax mask can keep (`SMILESSyntaxState+CanonicalForm`). False for a model trained
    /// `--as-written` and for a file without the record. Read once, at load.
    public let wasTrainedOnCanonicalSMILES: Bool

    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Loads `path`, or the shipped default model when path is nil.
    public static func load(path: String?) throws -> TrainedModel {
        let resolved = try path ?? defaultPath()
        guard FileManager.default.fileExists(atPath: resolved) else {
            throw LoadError(path: resolved, reason: "no such model file")
        }
        do {
            let loaded = try SmilesVAE.loadWithPropertyHead(from: resolved)
            let vocabulary = try Vocabulary(tokens: loaded.vocabulary)
            return TrainedModel(path: resolved, model: loaded.model, vocabulary: vocabulary, propertyHead: loaded.propertyHead,
                                standardisation: loaded.standardisation, metadata: loaded.metadata)
        } catch {
            throw LoadError(path: resolved, reason: "cannot be read as a molvae model (\(error))")
        }
    }

    public init(path: String, model: SmilesVAE, vocabulary: Vocabulary, propertyHead: PropertyHead?,
                standardisation: PropertyStandardisation?, metadata: [String: String] = [:]) {
        self.path = path
        self.model = model
        self.vocabulary = vocabulary
        self.propertyHead = propertyHead
        self.standardisation = standardisation
        self.metadata = metadata
        wasTrainedOnCanonicalSMILES = Self.recordsCanonicalData(metadata)
    }

    private static func recordsCanonicalData(_ metadata: [String: String]) -> Bool {
        guard let text = metadata[DataPreparationRecord.metadataKey],
              let records = try? JSONDecoder().decode([String: DataPreparationRecord].self, from: Data(text.utf8)),
              !records.isEmpty else { return false }
        return records.values.allSatisfy(\.canonicalized)
    }

    /// The shipped model: `MOLVAE_MODEL` if set, else `Models/default.safetensors` found the way
    /// data files are (the package's folder, or next to the executable).
    public static func defaultPath() throws -> String {
        if let override = ProcessInfo.processInfo.environment["MOLVAE_MODEL"], !override.isEmpty { return override }
        let folders = DataFiles.candidateFolders().map { ($0 as NSString).deletingLastPathComponent + "/Models" }
        var seen = Set<String>()
        for folder in folders where seen.insert(folder).inserted {
            let candidate = folder + "/" + defaultFileName
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
        }
        throw LoadError(path: "Models/" + defaultFileName,
                        reason: "the default model was not found (searched \(seen.sorted().joined(separator: ", "))); "
                            + "give --model FILE or set MOLVAE_MODEL")
    }
}
