import Foundation

/// Errors of reading a checkpoint or resuming from it; each names the file.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case notACheckpoint(path: String, reason: String)
    case vocabularyMismatch(path: String, detail: String)
    case missing(path: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot resume from \(path): \(reason)"
        case let .notACheckpoint(path, reason): return "\(path) is not a molvae training checkpoint: \(reason)"
        case let .vocabularyMismatch(path, detail): return "cannot resume from \(path): vocabulary mismatch: \(detail)"
        case .missing(let path): return "cannot resume: \(path) does not exist (nothing to resume; run without --resume)"
        }
    }
}

/// A training checkpoint: one safetensors file with the model (and property head) parameters,
/// Adam's moments (`optimizer.m.<name>`, `optimizer.v.<name>`) and, in the metadata, the model
/// configuration and vocabulary, the property standardisation, the options and the
/// TrainingState (step, epoch, batch within the epoch, seed, best validation ELBO).
public struct Checkpoint {
    public static let formatKey = "molvae.checkpoint"
    public static let formatValue = "training-checkpoint-1"
    public static let stateKey = "molvae.training_state"
    public static let optionsKey = "molvae.training_options"
    public static let adamStepKey = "molvae.adam_step"

    public var model: SmilesVAE
    public var propertyHead: PropertyHead?
    public var standardisation: PropertyStandardisation?
    public var vocabulary: [String]
    public var state: TrainingState
    public var options: TrainingOptions
    public var adamStep: Int
    public var moments: [String: (m: [Float], v: [Float])]

    public static func write(to path: String, model: SmilesVAE, propertyHead: PropertyHead?, standardisation: PropertyStandardisation?,
                             optimizer: AdamOptimizer, vocabulary: [String], state: TrainingState, options: TrainingOptions) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var meta: [String: String] = [
            formatKey: formatValue,
            stateKey: String(decoding: try encoder.encode(state), as: UTF8.self),
            optionsKey: String(decoding: try encoder.encode(options), as: UTF8.self),
            adamStepKey: String(optimizer.step),
        ]
        if propertyHead != nil, let standardisation { meta[PropertyStandardisation.metadataKey] = standardisation.jsonString() }
        var file = try model.safeTensors(vocabulary: vocabulary, extraParameters: propertyHead?.parameters ?? [], metadata: meta)
        for (k, p) in optimizer.parameters.enumerated() {
            let (m, v) = optimizer.moments(of: k)
            file.add("optimizer.m.\(p.name)", shape: p.shape, values: Array(UnsafeBufferPointer(start: m, count: p.count)))
            file.add("optimizer.v.\(p.name)", shape: p.shape, values: Array(UnsafeBufferPointer(start: v, count: p.count)))
        }
        try file.write(to: path)
    }

    /// Reads a checkpoint; every problem (missing, truncated, corrupt, a model file or another
    /// safetensors file instead of a checkpoint) is a CheckpointError naming the file.
    public static func read(from path: String) throws -> Checkpoint {
        guard FileManager.default.fileExists(atPath: path) else { throw CheckpointError.missing(path: path) }
        let file: SafeTensors
        do { file = try SafeTensors.read(from: path) } catch { throw CheckpointError.unreadable(path: path, reason: "\(error)") }
        guard file.metadata[formatKey] == formatValue else {
            throw CheckpointError.notACheckpoint(path: path, reason: "no \(formatKey)=\(formatValue) in __metadata__")
        }
        do {
            let (model, vocabulary, meta) = try SmilesVAE.load(file: file)
            let head = try SmilesVAE.propertyHead(in: file, latent: model.config.latent)
            guard let stateText = meta[stateKey], let optionsText = meta[optionsKey],
                  let adamText = meta[adamStepKey], let adamStep = Int(adamText) else {
                throw CheckpointError.notACheckpoint(path: path, reason: "training state missing from __metadata__")
            }
            let state = try JSONDecoder().decode(TrainingState.self, from: Data(stateText.utf8))
            let options = try JSONDecoder().decode(TrainingOptions.self, from: Data(optionsText.utf8))
            var moments: [String: (m: [Float], v: [Float])] = [:]
            for p in model.parameters + (head?.0.parameters ?? []) {
                let m = try file.finiteTensor("optimizer.m.\(p.name)"), v = try file.finiteTensor("optimizer.v.\(p.name)")
                guard m.shape == p.shape, v.shape == p.shape else {
                    throw SafeTensorsError.shapeMismatch(tensor: "optimizer.*.\(p.name)", expected: p.shape, found: m.shape)
                }
                moments[p.name] = (m.values, v.values)
            }
            return Checkpoint(model: model, propertyHead: head?.0, standardisation: head?.1, vocabulary: vocabulary, state: state,
                              options: options, adamStep: adamStep, moments: moments)
        } catch let error as CheckpointError {
            throw error
        } catch {
            throw CheckpointError.notACheckpoint(path: path, reason: "\(error)")
        }
    }

    /// Copies the saved moments and step into an optimiser over the same parameters.
    public func restore(into optimizer: AdamOptimizer) {
        for (k, p) in optimizer.parameters.enumerated() {
            guard let saved = moments[p.name] else { continue }
            let (m, v) = optimizer.moments(of: k)
            saved.m.withUnsafeBufferPointer { m.update(from: $0.baseAddress!, count: p.count) }
            saved.v.withUnsafeBufferPointer { v.update(from: $0.baseAddress!, count: p.count) }
        }
        optimizer.restore(step: adamStep)
    }
}
