import MolVAE

/// What `train --resume` does with options that differ from the checkpoint's.
///
/// Why: a resumed run used to keep the checkpoint's seed while taking a new `--batch`, so the
/// data position pointed into another batch plan, and said nothing either way. Now:
/// - options that define the data the run walks through (`--batch`, `--seed`,
///   `--valid-fraction`, `--max-length`) are the checkpoint's when omitted, and refused when
///   given with another value: the saved position means nothing under other values; `--valid`
///   must be given again exactly when the checkpoint was trained with it;
/// - sizes (`--latent`, `--hidden`, …) are the checkpoint's, with a note when others were given
///   (`TrainCommand.ignoredSizes`);
/// - optimisation options (`--lr`, `--beta`, schedules, weights, evaluation) are the
///   checkpoint's when omitted (`TrainCommand.trainingOptions`) and may change between phases,
///   as scripts/train-default-model does, and the change is listed.
enum TrainResume {
    /// The data-defining options given with a value other than the checkpoint's, as messages.
    /// `validFile` is this invocation's `--valid`; `recordedValidFile` the path the run folder's
    /// prepared-valid.json names, if any. A checkpoint whose options hold no valid fraction was
    /// trained with `--valid FILE`: resumed without it, train would hold out part of `--data` and
    /// train on another set (it did, in session 24).
    static func conflicts(with checkpoint: Checkpoint, batch: Int?, seed: UInt64?, validFraction: Double?,
                          maxLength: Int?, validFile: String?, recordedValidFile: String?) -> [String] {
        var out: [String] = []
        switch (checkpoint.options.validFraction, validFile) {
        case (nil, nil):
            out.append("no --valid (the checkpoint validated on "
                       + (recordedValidFile.map { "--valid \($0)" } ?? "a --valid file") + "; give it again)")
        case let (fraction?, file?):
            out.append("--valid \(file) (the checkpoint held out --valid-fraction \(fraction) of --data)")
        default:
            break
        }
        if let batch, batch != checkpoint.options.batchSize {
            out.append("--batch \(batch) (the checkpoint's is \(checkpoint.options.batchSize))")
        }
        if let seed, seed != checkpoint.state.seed {
            out.append("--seed \(seed) (the checkpoint's is \(checkpoint.state.seed))")
        }
        if let validFraction, let saved = checkpoint.options.validFraction, validFraction != saved {
            out.append("--valid-fraction \(validFraction) (the checkpoint's is \(saved))")
        }
        if let maxLength, maxLength != checkpoint.model.config.maxTokens {
            out.append("--max-length \(maxLength) (the checkpoint's is \(checkpoint.model.config.maxTokens))")
        }
        return out
    }

    /// Optimisation options that differ from the checkpoint's, as `--option new (was old)`.
    static func changes(from old: TrainingOptions, to new: TrainingOptions) -> [String] {
        var out: [String] = []
        func note<T: Equatable>(_ option: String, _ a: T, _ b: T) {
            if a != b { out.append("\(option) \(describe(b)) (was \(describe(a)))") }
        }
        note("--lr", old.learningRate, new.learningRate)
        note("--lr-schedule", old.learningRateSchedule, new.learningRateSchedule)
        note("--beta", old.beta, new.beta)
        note("--kl-warmup/--anneal", old.klAnnealing, new.klAnnealing)
        note("--free-bits", old.freeBits, new.freeBits)
        note("--word-dropout", old.wordDropout, new.wordDropout)
        note("--validity-weight", old.validityWeight, new.validityWeight)
        note("--validity-samples", old.validitySamples, new.validitySamples)
        note("--prior-decoding-weight", old.priorDecodingWeight, new.priorDecodingWeight)
        note("--prior-decoding-samples", old.priorDecodingSamples, new.priorDecodingSamples)
        note("--property-weight", old.propertyWeight, new.propertyWeight)
        note("--clip", old.clipNorm, new.clipNorm)
        note("--samples", old.priorSamples, new.priorSamples)
        note("--eval-fcd", old.fcdSamples, new.fcdSamples)
        note("--best-by fcd", old.bestByFCD, new.bestByFCD)
        note("--eval-every", old.evaluateEvery, new.evaluateEvery)
        note("--checkpoint-every", old.checkpointEvery, new.checkpointEvery)
        return out
    }

    private static func describe<T>(_ value: T) -> String {
        if let optional = value as? (any OptionalDescribable) { return optional.describedValue }
        return "\(value)"
    }
}

/// Prints an optional's wrapped value, or "off" for nil (`--eval-fcd off`).
private protocol OptionalDescribable { var describedValue: String { get } }

extension Optional: OptionalDescribable {
    fileprivate var describedValue: String {
        switch self {
        case .some(let value): return "\(value)"
        case .none: return "off"
        }
    }
}
