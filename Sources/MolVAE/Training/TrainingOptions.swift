/// Everything that decides what a training run computes (besides the data and the model size).
public struct TrainingOptions: Codable, Sendable, Equatable {
    public var batchSize = 256
    public var learningRate: Float = 1e-3
    /// How the learning rate changes with the step; nil keeps `learningRate` constant.
    public var learningRateSchedule: LearningRateSchedule?
    public var beta = 1.0
    public var klAnnealing: KLAnnealing = .constant
    /// λ nats per latent dimension; 0 turns free bits off.
    public var freeBits = 0.0
    /// Probability of replacing a decoder input token by <unk>; 0 turns word dropout off.
    public var wordDropout: Float = 0
    /// Weight of the validity term (nil or 0: off): each step decodes `validitySamples` prior
    /// samples and trains the decoder on the valid ones at their z, the REINFORCE gradient of
    /// the expected validity of prior samples with reward 1 for valid, 0 for invalid.
    /// Optional so that checkpoints written before it existed still decode.
    public var validityWeight: Float?
    public var validitySamples: Int?
    /// Weight of the prior-decoding term (nil or 0: off): each step the first
    /// `priorDecodingSamples` molecules of the batch are decoded from prior draws independent of
    /// them (`PriorDecodingTerm`). Optional so that older checkpoints still decode.
    public var priorDecodingWeight: Float?
    public var priorDecodingSamples: Int?
    /// Weight of the property head's MSE; 0 trains no head.
    public var propertyWeight: Float = 1
    public var propertyHidden = 64
    public var clipNorm: Float = 50
    public var seed: UInt64 = 0
    /// Stop after this many epochs / steps / minutes (whichever comes first; nil = no limit).
    public var epochs: Int?
    public var maxSteps: Int?
    public var maxMinutes: Double?
    /// Write DIR/checkpoint.safetensors every this many steps (0 = only at the end and on a signal).
    public var checkpointEvery = 1000
    /// Validation evaluation: prior samples checked by RDKit.
    public var priorSamples = 1000
    public var maxSampleSteps = 121
    /// FCD of this many prior samples against the validation set at every evaluation (nil or 0:
    /// off). Optional so that checkpoints written before it existed still decode.
    public var fcdSamples: Int?
    /// Keep best.safetensors by the lowest FCD instead of the lowest validation ELBO (needs
    /// `fcdSamples`).
    public var bestByFCD: Bool?
    /// Consecutive non-finite steps after which training stops.
    public var maxConsecutiveFailures = 10
    /// Evaluate at the end of every epoch (and always at the finish).
    public var evaluateEachEpoch = true
    /// Also evaluate every this many steps (nil or 0: only at epoch ends and the finish).
    public var evaluateEvery: Int?
    /// The fraction of the data held out for validation (nil: a validation file was given, or
    /// the checkpoint predates this record), so --resume can refuse another split.
    public var validFraction: Double?

    public init() {}
}

/// Where a run stands: enough, with the parameters and Adam moments, to continue exactly.
public struct TrainingState: Codable, Sendable, Equatable {
    /// Metadata key of the state in the model files `train` writes.
    public static let metadataKey = "molvae.training_state"
    public var step = 0
    public var epoch = 0
    public var batchInEpoch = 0
    /// The seed of every random stream (shuffles, noise, word dropout, samples): the counter
    /// RNG's whole state is (seed, step), so this and `step` restore it.
    public var seed: UInt64 = 0
    public var moleculesSeen = 0
    public var skippedSteps = 0
    public var consecutiveFailures = 0
    public var bestValidELBO: Double?
    public var bestStep: Int?
    /// The lowest FCD so far, when best.safetensors is chosen by FCD.
    public var bestFCD: Double?
    public var elapsedSeconds = 0.0

    public init(seed: UInt64 = 0) { self.seed = seed }

    /// The 1-based epoch the last step belonged to (0 before the first step): what the progress
    /// line, the evaluation lines, the summary and metrics.csv all call "epoch". `epoch` counts
    /// finished epochs, which after an epoch's last step already names the next one.
    public var epochOfLastStep: Int {
        step == 0 ? 0 : (batchInEpoch == 0 ? epoch : epoch + 1)
    }
}
