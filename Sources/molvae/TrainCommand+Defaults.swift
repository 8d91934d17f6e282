import Foundation
import MolVAE

/// The defaults of a new run, in one place: `train --help` prints them and the option resolution
/// (`TrainCommand+Options`, `TrainCommand.run`) falls back to them, so the two cannot drift apart.
/// With `--resume` an option not given is the checkpoint's instead.
enum TrainDefaults {
    /// Optimisation: batch, learning rate, beta, clipping, checkpoints, evaluation samples, seed.
    static let options = TrainingOptions()
    /// Architecture: the library's default sizes, read by the flatten pooling.
    static let model: VAEConfig = {
        var config = VAEConfig(vocabSize: 1)
        config.pooling = .flatten
        return config
    }()
    static let convChannels = model.convChannels.map(String.init).joined(separator: ",")
    static let convKernels = model.convKernels.map(String.init).joined(separator: ",")
    /// Tokens per molecule at most.
    static let maxLength = 120
    /// Held out for validation when `--valid` is not given (as `corpus` holds out).
    static let validFraction = CorpusPreparation.Options().validFraction
    /// Molecules per step of the validity and prior-decoding terms.
    static let termSamples = 64

    /// A number as the help text writes it: `1`, `0.05`, `0.001`.
    static func text(_ value: Double) -> String { String(format: "%g", value) }
    static func text(_ value: Float) -> String { text(Double(value)) }
}
