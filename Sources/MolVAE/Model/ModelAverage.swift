import Foundation

/// The uniform average of the weights of several model files: checkpoint averaging, as fairseq's
/// `scripts/average_checkpoints.py` does it. The files must be one model at different points of
/// one training run (same configuration, vocabulary, property head and data), such as the model
/// files a run wrote at its last few thousand steps; the average smooths out the optimiser's
/// last steps of noise (docs/MODEL.md section 17 measures what it buys).
public struct ModelAverage {
    /// Why a file cannot join the average, naming the file.
    public struct Mismatch: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    private typealias LoadedModel = (model: SmilesVAE, propertyHead: PropertyHead?, standardisation: PropertyStandardisation?,
                                     vocabulary: [String], metadata: [String: String])

    /// Metadata key listing the averaged files (JSON array of {file, step}).
    public static let metadataKey = "molvae.averaged_from"

    public let model: SmilesVAE
    public let propertyHead: PropertyHead?
    public let standardisation: PropertyStandardisation?
    public let vocabulary: [String]
    /// The last file's metadata (data preparation, training state, version) with `metadataKey` added.
    public let metadata: [String: String]

    /// Averages `paths` (at least one). Each file is read, checked for finite weights and compared
    /// with the first: a different configuration, vocabulary, property head or data-preparation
    /// record throws `Mismatch`, as does a training checkpoint (it has no data-preparation record,
    /// so its average would decode differently from the run's model files).
    public init(of paths: [String]) throws {
        precondition(!paths.isEmpty, "nothing to average")
        var first: LoadedModel?
        var sums: [[Double]] = []
        var sources: [[String: String]] = []
        var lastMetadata: [String: String] = [:]
        for path in paths {
            let loaded: LoadedModel
            do { loaded = try SmilesVAE.loadWithPropertyHead(from: path) } catch {
                throw Mismatch(path: path, reason: "cannot be read as a molvae model (\(error))")
            }
            if loaded.metadata[Checkpoint.formatKey] != nil {
                throw Mismatch(path: path, reason: "is a training checkpoint, not a model file; average the model files a run "
                                                  + "writes (last.safetensors, best.safetensors)")
            }
            let parameters = loaded.model.parameters + (loaded.propertyHead?.parameters ?? [])
            if let reference = first {
                try Self.check(loaded, against: reference, path: path, firstPath: paths[0])
                for (i, p) in parameters.enumerated() {
                    for j in 0..<p.count { sums[i][j] += Double(p.value[j]) }
                }
            } else {
                first = loaded
                sums = parameters.map { p in (0..<p.count).map { Double(p.value[$0]) } }
            }
            var source = ["file": (path as NSString).lastPathComponent]
            if let step = Self.trainingStep(in: loaded.metadata) { source["step"] = String(step) }
            sources.append(source)
            lastMetadata = loaded.metadata
        }
        let base = first!
        let parameters = base.model.parameters + (base.propertyHead?.parameters ?? [])
        let n = Double(paths.count)
        for (i, p) in parameters.enumerated() {
            for j in 0..<p.count { p.value[j] = Float(sums[i][j] / n) }
        }
        model = base.model
        propertyHead = base.propertyHead
        standardisation = base.standardisation
        vocabulary = base.vocabulary
        var metadata = lastMetadata
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        metadata[Self.metadataKey] = String(decoding: try encoder.encode(sources), as: UTF8.self)
        self.metadata = metadata
    }

    /// Writes the averaged model atomically, as `train` writes its model files.
    public func save(to path: String) throws {
        try model.save(to: path, vocabulary: vocabulary, propertyHead: propertyHead, standardisation: standardisation,
                       metadata: metadata)
    }

    private static func check(_ file: LoadedModel, against reference: LoadedModel, path: String, firstPath: String) throws {
        guard file.model.config == reference.model.config else {
            throw Mismatch(path: path, reason: "its model configuration differs from that of \(firstPath); only one model's files can be averaged")
        }
        guard file.vocabulary == reference.vocabulary else {
            throw Mismatch(path: path, reason: "its vocabulary differs from that of \(firstPath)")
        }
        guard file.standardisation == reference.standardisation else {
            throw Mismatch(path: path, reason: "its property head differs from that of \(firstPath) (or one of them has none)")
        }
        let key = DataPreparationRecord.metadataKey
        guard file.metadata[key] == reference.metadata[key] else {
            throw Mismatch(path: path, reason: "it was trained on other data than \(firstPath) (its \(key) record differs)")
        }
    }

    private static func trainingStep(in metadata: [String: String]) -> Int? {
        guard let text = metadata[TrainingState.metadataKey] else { return nil }
        return (try? JSONDecoder().decode(TrainingState.self, from: Data(text.utf8)))?.step
    }
}
