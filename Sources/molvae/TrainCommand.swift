import ArgumentParser
import Foundation
import MolVAE

/// `molvae train`: train the SMILES VAE (with its property head) on the CPU.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the SMILES VAE and its property head on a molecule file.",
        discussion: """
            Writes into --out: checkpoint.safetensors (model, Adam state, data position; every \
            --checkpoint-every steps, at the end and on Ctrl-C/SIGTERM), best.safetensors (best \
            validation ELBO), last.safetensors, metrics.jsonl and metrics.csv (one row per \
            evaluation: each epoch end and the finish), curves.svg, and, unless --property-weight is 0, a property cache \
            (properties-data.safetensors, properties-valid.safetensors: logP, QED, SA keyed by the file's sha256) so a rerun does not recompute RDKit properties. \
            Every file is written atomically. --resume continues from checkpoint.safetensors; \
            with the same seed and --threads the result equals an uninterrupted run bit for bit.

            With --resume every option not given is the checkpoint's, not the default: the \
            sizes, the data layout (--batch, --seed, --valid-fraction, --max-length: refused \
            when given with another value; --valid: given again exactly when the run began \
            with it), and the optimisation (--lr, --beta, schedules, \
            term weights, evaluation), which may be given again with new values for a new \
            phase (the changes are listed). Only the stop (--epochs, --max-steps, \
            --max-minutes) and --threads are this invocation's alone. --init starts a new run \
            from a model file's weights with the defaults for every option not given.

            Examples:
              molvae train --data Data/moses-train-250k.smi.gz --out runs/a --epochs 10
              molvae train --data train.smi --valid valid.smi --out runs/b --max-minutes 30 --kl-warmup 5000 --anneal sigmoid --free-bits 0.1 --word-dropout 0.1
              molvae train --data train.smi --out runs/b --max-minutes 30 --resume
              molvae train --data Data/moses-train-250k.smi.gz --out runs/c --max-steps 15000 --hidden 256 --batch 128 --free-bits 0.3 --kl-warmup 1000 --lr-schedule cosine --eval-every 1000
            """
    )

    @Option(help: "Training molecules: .smi/.txt/.csv/.tsv, optionally gzip-compressed.")
    var data: String
    @Option(help: "Validation molecules (default: hold out --valid-fraction of --data, seeded).")
    var valid: String?
    @Option(help: "Output folder.")
    var out: String
    @Option(help: "Vocabulary JSON (default: built from --data).")
    var vocab: String?
    @Option(help: "Stop after this many epochs.")
    var epochs: Int?
    @Option(help: "Stop after this many minutes.")
    var maxMinutes: Double?
    @Option(help: "Stop after this many optimisation steps (in total, counting resumed ones).")
    var maxSteps: Int?
    @Option(help: "Molecules per batch (default: \(TrainDefaults.options.batchSize); with --resume, the checkpoint's).")
    var batch: Int?
    @Option(help: "Adam learning rate (default: \(TrainDefaults.text(TrainDefaults.options.learningRate))).")
    var lr: Float?
    @Option(help: "Latent dimensions (default: \(TrainDefaults.model.latent)).")
    var latent: Int?
    @Option(help: "GRU hidden size (default: \(TrainDefaults.model.hidden)).")
    var hidden: Int?
    @Option(help: "GRU layers (default: \(TrainDefaults.model.layers)).")
    var layers: Int?
    @Option(help: "Encoder Conv1d output channels, comma-separated, one per layer (the pooled vector has the last layer's width) (default: \(TrainDefaults.convChannels)).")
    var convChannels: String?
    @Option(help: "Encoder Conv1d kernel sizes, comma-separated, one per layer (default: \(TrainDefaults.convKernels)).")
    var convKernels: String?
    @Option(help: "Reduction of the last conv layer over each molecule's tokens: flatten (the default: every position's channels in order, zeros past the molecule's end, so the encoder keeps where each feature was; the dense layer has (max-length + 1) x channels inputs and reads only the batch's longest molecule), mean or max (one vector of the last layer's width; measured worse, docs/MODEL.md).")
    var pooling: String?
    @Option(help: "Encoder dense layer width (between the pooled vector and mu/log-variance) (default: \(TrainDefaults.model.dense)).")
    var dense: Int?
    @Option(help: "Weight of the KL term after warm-up (default: \(TrainDefaults.text(TrainDefaults.options.beta))).")
    var beta: Double?
    @Option(help: "KL warm-up steps (default: 0, full weight from the start).")
    var klWarmup: Int?
    @Option(help: "KL warm-up shape: linear (the default), sigmoid or cyclical (cyclical: period = --kl-warmup, ramp over half of it).")
    var anneal: String?
    @Option(help: "Free bits: λ nats per latent dimension (batch-averaged KL clamp; 0 = off) (default: \(TrainDefaults.text(TrainDefaults.options.freeBits))).")
    var freeBits: Double?
    @Option(help: "Probability of replacing a decoder input token by <unk>; 0 = off (default: \(TrainDefaults.text(TrainDefaults.options.wordDropout))).")
    var wordDropout: Float?
    @Option(help: "Weight of the validity term; 0 = off (the default). Each step draws --validity-samples points from the prior, decodes each once (temperature 1, syntax mask on) and trains the decoder on the molecules RDKit accepts at their z: the REINFORCE gradient of the validity of prior samples (reward 1 valid, 0 invalid). Costs about 1.5x per step; docs/MODEL.md section 9.")
    var validityWeight: Float?
    @Option(help: "Prior samples per step of the validity term (default: \(TrainDefaults.termSamples)).")
    var validitySamples: Int?
    @Option(help: "Weight of the prior-decoding term; 0 = off (the default). Each step the first --prior-decoding-samples molecules of the batch are also decoded (teacher-forced) from points drawn from the prior independently of them, and the decoder is trained on that: the ELBO whose posterior is the prior itself, so the decoder learns to write molecules like the data wherever z carries none. Rewards no property of samples. docs/MODEL.md section 10.")
    var priorDecodingWeight: Float?
    @Option(help: "Molecules per step of the prior-decoding term, the first ones of each batch (default: \(TrainDefaults.termSamples)).")
    var priorDecodingSamples: Int?
    @Flag(name: .customLong("as-written"), help: "Validate the training molecules but train on their SMILES as written instead of RDKit's canonical form. Only to repeat runs made before train canonicalised (scripts/train-default-model); every inference command canonicalises, so a model trained on non-canonical SMILES reconstructs them worse.")
    var asWritten = false
    @Option(name: .customLong("init"), help: "Start from this model file's weights (and its property head and vocabulary) with a fresh optimiser at step 0, instead of a random initialisation: to fine-tune a trained model with other options. Size options are taken from the file.")
    var initModel: String?
    @Option(name: .customLong("widen-decoder"), help: ArgumentHelp("With --init: widen the decoder's GRU to this many hidden units before training, keeping what the model computes (each new unit copies an old one and the weights that read a unit are split between it and its copies), so training goes on from the file's model with more decoder capacity. docs/MODEL.md section 12.", valueName: "hidden"))
    var widenDecoder: Int?
    @Flag(name: .customLong("deepen-decoder"), help: "With --init: add one GRU layer on top of the decoder before training (after --widen-decoder), started as nearly the identity (its candidate reads the layer below through 0.1 x I, its update gate is almost shut, the output head is scaled to match), so training goes on from the file's model with a deeper decoder; the loss moves by a few tenths of a percent. docs/MODEL.md section 13.")
    var deepenDecoder = false
    @Flag(name: .customLong("structure-features"), help: ArgumentHelp("Let the decoder read, at every step, what the SMILES written so far says about the molecule: branch depth, open rings, the size of the ring closing the newest one would make, whether the current aromatic system has an odd number of atoms still needing a double bond, and the current atom's bonds (23 categories, each a learned row of the first GRU layer's input gates). With --init they are added to the file's model at zero, so it decodes as before until training moves them. Inputs, not constraints: nothing is refused. docs/MODEL.md section 16."))
    var structureFeatures = false
    @Option(help: "Learning-rate schedule: constant (the default), or cosine (linear warm-up over --lr-warmup steps, then cosine decay to --lr-min at the last step; needs --epochs or --max-steps).")
    var lrSchedule: String?
    @Option(help: "Warm-up steps of the cosine schedule (default: 0).")
    var lrWarmup: Int?
    @Option(help: "Final learning rate of the cosine schedule (default: --lr / 10).")
    var lrMin: Float?
    @Option(help: "Step at which the cosine schedule reaches --lr-min (default: --max-steps or --epochs; with --resume, the checkpoint's). Set it to stop a phase early with --max-steps on the same curve, e.g. to repeat a run that was stopped by a signal, or to stretch a resumed run's curve to its new --max-steps.")
    var scheduleSteps: Int?
    @Option(help: "Weight of the property head's MSE (logP, QED, SA); 0 = no head, and no RDKit properties computed (default: \(TrainDefaults.text(TrainDefaults.options.propertyWeight))).")
    var propertyWeight: Float?
    @Option(help: "Gradient clipping: maximum global L2 norm (default: \(TrainDefaults.text(TrainDefaults.options.clipNorm))).")
    var clip: Float?
    @Option(help: "Drop (with --skip-unknown) or reject SMILES over this many tokens (default: \(TrainDefaults.maxLength); with --resume, the checkpoint's).")
    var maxLength: Int?
    @Flag(help: "Skip molecules with tokens outside the vocabulary or over --max-length instead of failing.")
    var skipUnknown = false
    @Option(help: "Fraction held out for validation when --valid is not given (default: \(TrainDefaults.text(TrainDefaults.validFraction)); with --resume, the checkpoint's).")
    var validFraction: Double?
    @Option(help: "Write a checkpoint every this many steps; 0: only at the end and on a signal (default: \(TrainDefaults.options.checkpointEvery)).")
    var checkpointEvery: Int?
    @Option(help: "Also evaluate every this many steps (default: 0, only at each epoch end and the finish).")
    var evalEvery: Int?
    @Option(help: "Prior samples checked by RDKit at each evaluation (default: \(TrainDefaults.options.priorSamples)).")
    var samples: Int?
    @Option(name: .customLong("eval-fcd"), help: "At each evaluation, the FCD (Fréchet ChemNet Distance, as MOSES computes it) of this many prior samples, drawn as `molvae sample` draws them, against the validation molecules; in metrics.jsonl, metrics.csv and curves.svg. 0 = off (the default). About 1 s per 1,000 samples on 2 cores, plus the validation set's features once at the start.")
    var evalFCD: Int?
    @Option(name: .customLong("best-by"), help: "What best.safetensors keeps: elbo (lowest validation ELBO, the default) or fcd (lowest FCD; needs --eval-fcd).")
    var bestBy: String?
    @Option(help: "Seed of every random stream (initialisation, shuffling, noise, dropout, split) (default: \(TrainDefaults.options.seed); with --resume, the checkpoint's).")
    var seed: UInt64?
    @Option(help: "Threads (our loops, OpenBLAS and RDKit scoring).")
    var threads = defaultThreads
    @Flag(help: "Continue from OUT/checkpoint.safetensors.")
    var resume = false

    func validate() throws {
        if epochs == nil && maxMinutes == nil && maxSteps == nil {
            throw ValidationError("give --epochs N, --max-minutes M or --max-steps S")
        }
        guard [batch, latent, hidden, layers].allSatisfy({ ($0 ?? 1) >= 1 }), threads >= 1 else {
            throw ValidationError("--batch, --latent, --hidden, --layers and --threads must be at least 1")
        }
        guard (lr ?? 1) > 0, (beta ?? 0) >= 0, (klWarmup ?? 0) >= 0, (freeBits ?? 0) >= 0, (propertyWeight ?? 0) >= 0, (clip ?? 1) > 0 else {
            throw ValidationError("--lr and --clip must be positive; --beta, --kl-warmup, --free-bits, --property-weight non-negative")
        }
        if let lrSchedule, !["constant", "cosine"].contains(lrSchedule) { throw ValidationError("--lr-schedule must be constant or cosine") }
        if let scheduleSteps, scheduleSteps <= 0 { throw ValidationError("--schedule-steps must be positive") }
        if lrSchedule == "cosine" && epochs == nil && maxSteps == nil && scheduleSteps == nil && !resume {
            throw ValidationError("--lr-schedule cosine decays to --lr-min at the last step, so it needs --epochs N, --max-steps S or --schedule-steps S")
        }
        if convChannels != nil || convKernels != nil {
            guard let channels = Self.sizes(convChannels ?? TrainDefaults.convChannels), let kernels = Self.sizes(convKernels ?? TrainDefaults.convKernels),
                  channels.count == kernels.count else {
                throw ValidationError("--conv-channels and --conv-kernels need the same number of positive integers, e.g. 32,64,128 and 9,9,11")
            }
        }
        if let pooling, PoolingKind(rawValue: pooling) == nil { throw ValidationError("--pooling must be mean, max or flatten") }
        guard (dense ?? 1) >= 1 else { throw ValidationError("--dense must be at least 1") }
        guard (evalEvery ?? 0) >= 0 else { throw ValidationError("--eval-every must be non-negative") }
        guard (evalFCD ?? 0) >= 0 else { throw ValidationError("--eval-fcd must be non-negative") }
        guard evalFCD != 1 else { throw ValidationError("--eval-fcd needs at least 2 samples (a covariance needs two)") }
        if let bestBy, !["elbo", "fcd"].contains(bestBy) { throw ValidationError("--best-by must be elbo or fcd") }
        if bestBy == "fcd" && (evalFCD ?? 0) == 0 && !(resume && evalFCD == nil) {
            throw ValidationError("--best-by fcd needs --eval-fcd N")
        }
        guard (lrWarmup ?? 0) >= 0, (lrMin ?? 0) >= 0 else { throw ValidationError("--lr-warmup and --lr-min must be non-negative") }
        guard (0...1).contains(wordDropout ?? 0) else { throw ValidationError("--word-dropout must be between 0 and 1") }
        guard (priorDecodingWeight ?? 0) >= 0, (priorDecodingSamples ?? 1) > 0 else {
            throw ValidationError("--prior-decoding-weight must be non-negative and --prior-decoding-samples positive")
        }
        if widenDecoder != nil && initModel == nil { throw ValidationError("--widen-decoder widens the model of --init: give --init MODEL too") }
        if deepenDecoder && initModel == nil { throw ValidationError("--deepen-decoder deepens the model of --init: give --init MODEL too") }
        if initModel != nil && resume { throw ValidationError("--init starts a new run from a model file; --resume continues a checkpoint: give one of them") }
        guard (validityWeight ?? 0) >= 0, (validitySamples ?? 1) > 0 else {
            throw ValidationError("--validity-weight must be non-negative and --validity-samples positive")
        }
        if let validFraction, !(validFraction > 0 && validFraction < 1) {
            throw ValidationError("--valid-fraction must be above 0 and below 1: training evaluates on held-out molecules "
                                  + "(give --valid FILE to choose them yourself)")
        }
        if let anneal, !["linear", "sigmoid", "cyclical"].contains(anneal) { throw ValidationError("--anneal must be linear, sigmoid or cyclical") }
        if let maxLength, maxLength < 1 { throw ValidationError("--max-length must be at least 1") }
    }

    /// A training file validated and canonicalised (or its cached preparation), with progress
    /// on standard error and a stop on Ctrl-C/SIGTERM between chunks.
    func prepare(_ path: String, stem: String, stop: @escaping () -> Bool, writeCache: Bool = true) throws -> PreparedTrainingFile {
        let progress = ProgressLine(silent: !ProcessGroup.world.isRoot)
        let prepared = try TrainingFilePreparation.prepare(path: path, threads: threads, cacheStem: stem, writeCache: writeCache,
                                                           canonicalize: !asWritten,
                                                           progress: { done in
            progress.update("train: validating and canonicalising \(path): \(done) molecules, "
                            + "\(Int(Double(done) / max(progress.elapsed, 1e-9))) molecules/s")
        }, shouldStop: stop)
        progress.finish()
        log("train: \(prepared.record)" + (prepared.fromCache ? " (prepared earlier: \(stem).smi)" : ""))
        return prepared
    }

    /// Where a run folder caches its prepared `--valid` file (`.smi` and `.json`).
    static func preparedValidStem(_ out: String) -> String { out + "/prepared-valid" }

    /// RDKit's logP, QED and SA of each sequence (cached), with progress and a stop between chunks.
    func properties(of sequences: [[Int32]], path: String, vocabulary: Vocabulary, cachePath: String,
                    stop: @escaping () -> Bool, group: ProcessGroup) throws -> (values: [Float], cached: Bool) {
        let progress = ProgressLine(silent: !group.isRoot)
        defer { progress.finish() }
        return try TrainingDataPreparation.cachedProperties(of: sequences, dataPath: path, vocabulary: vocabulary, cachePath: cachePath,
                                                            threads: threads, group: group, progress: { done in
            progress.update("train: RDKit properties of \(path): \(done) of \(sequences.count) molecules, "
                            + "\(Int(Double(done) / max(progress.elapsed, 1e-9))) molecules/s")
        }, shouldStop: stop)
    }

    /// "32,64,128" -> [32, 64, 128]; nil unless every part is a positive integer.
    static func sizes(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        return parts.map { $0! }
    }

    func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("molvae train: \(message)\n".utf8))
        return ExitCode.failure
    }

    /// Progress and summaries: rank 0 speaks for the job.
    func log(_ s: String) {
        guard ProcessGroup.world.isRoot else { return }
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    func run() throws {
        let group = ProcessGroup.world
        EngineThreads.set(threads)
        StopSignal.install()
        try RankedRun.run("train", group: group) {
            do {
                try train(group: group)
            } catch let code as ExitCode {
                throw code
            } catch let error as CollectiveError where group.usesMPI {
                throw error
            } catch {
                if group.usesMPI { throw error }
                throw fail("\(error)")
            }
        }
    }

    /// What each rank reads alone before the ranks meet: a failure here on any rank is
    /// reported by rank 0 through the agreement instead of leaving the others waiting.
    struct Inputs {
        var checkpoint: Checkpoint?
        var vocabulary: Vocabulary
        var sequences: [[Int32]]
        var validSequences: [[Int32]]?
        /// How --data (and --valid) were validated and canonicalised, for the model's metadata.
        var preparation: [String: DataPreparationRecord]
        /// The model file of --init, with its property head when it has one.
        typealias Initial = (model: SmilesVAE, head: (head: PropertyHead, standardisation: PropertyStandardisation)?)
        var initial: Initial?
        /// Data-defining options: the checkpoint's when resuming, the model file's length limit
        /// with --init, else what was given or the defaults.
        var batch: Int
        var seed: UInt64
        var maxLength: Int
        var validFraction: Double
    }

    func readInputs(group: ProcessGroup) throws -> Inputs {
        let checkpointPath = out + "/checkpoint.safetensors"
        if group.usesMPI, data == "-" || valid == "-" {
            throw CommandFailure("under mpirun --data and --valid must be files: standard input reaches rank 0 only")
        }
        let checkpoint = resume ? try Checkpoint.read(from: checkpointPath) : nil
        // Only rank 0 writes into --out, so only its view of the folder counts.
        if !resume, group.isRoot, FileManager.default.fileExists(atPath: checkpointPath) {
            throw CommandFailure("\(checkpointPath) exists: add --resume to continue it, or choose another --out")
        }
        // Data-defining options: the checkpoint's when resuming; another value given is refused.
        if let checkpoint {
            let recorded = TrainingFilePreparation.cachedRecord(stem: Self.preparedValidStem(out))?.path
            let conflicts = TrainResume.conflicts(with: checkpoint, batch: self.batch, seed: self.seed,
                                                   validFraction: self.validFraction, maxLength: self.maxLength,
                                                   validFile: valid, recordedValidFile: recorded)
            if !conflicts.isEmpty {
                throw CommandFailure("cannot resume with " + conflicts.joined(separator: ", ") + ": the saved position and split belong "
                                     + "to the checkpoint's values; omit these options (or give the checkpoint's values), or start a new --out")
            }
        }
        let batch = self.batch ?? checkpoint?.options.batchSize ?? TrainDefaults.options.batchSize
        let seed = checkpoint?.state.seed ?? self.seed ?? TrainDefaults.options.seed
        var maxLength = checkpoint?.model.config.maxTokens ?? self.maxLength ?? TrainDefaults.maxLength
        let validFraction = self.validFraction ?? checkpoint?.options.validFraction ?? TrainDefaults.validFraction
        // A run started from a model file takes its vocabulary and its length limit.
        var initial: Inputs.Initial?
        var initialVocabulary: [String]?
        if let initModel {
            let loaded = try SmilesVAE.loadWithPropertyHead(from: initModel)
            initialVocabulary = loaded.vocabulary
            let head = loaded.propertyHead.flatMap { h in loaded.standardisation.map { (head: h, standardisation: $0) } }
            initial = (loaded.model, head)
            if let widenDecoder {
                do {
                    initial = (try loaded.model.widened(hidden: widenDecoder, seed: seed), head)
                } catch let error as SmilesVAE.WideningError {
                    throw CommandFailure("--widen-decoder \(widenDecoder) with --init \(initModel): \(error)")
                }
                log("train: --init \(initModel): decoder widened from \(loaded.model.config.hidden) to \(widenDecoder) hidden units")
            }
            if deepenDecoder {
                let model = try initial!.model.deepened()
                initial = (model, head)
                log("train: --init \(initModel): decoder deepened from \(model.config.layers - 1) to \(model.config.layers) GRU layers")
            }
            if structureFeatures {
                do {
                    initial = (try initial!.model.withStructureFeatures(vocabulary: loaded.vocabulary), head)
                } catch {
                    throw CommandFailure("--structure-features with --init \(initModel): \(error)")
                }
                log("train: --init \(initModel): decoder structure features added (at zero)")
            }
            if let given = self.maxLength, given != loaded.model.config.maxTokens {
                log("train: --init \(initModel) reads at most \(loaded.model.config.maxTokens) tokens; --max-length \(given) ignored")
            }
            maxLength = loaded.model.config.maxTokens
            if let vocab, try Vocabulary.load(path: vocab).tokens != loaded.vocabulary {
                throw CommandFailure("--vocab \(vocab) differs from the vocabulary of --init \(initModel); leave --vocab out to use the model's")
            }
        }
        let stop = { StopSignal.received != 0 }
        let prepared = try prepare(data, stem: out + "/prepared-data", stop: stop, writeCache: group.isRoot)
        // Vocabulary: the checkpoint's when resuming (a different --vocab is a mismatch), the
        // model file's with --init; else built from the canonical molecules that will be trained on.
        let vocabulary: Vocabulary
        if let vocab {
            vocabulary = try Vocabulary.load(path: vocab)
        } else if let checkpoint {
            vocabulary = try Vocabulary(tokens: checkpoint.vocabulary)
        } else if let initialVocabulary {
            vocabulary = try Vocabulary(tokens: initialVocabulary)
        } else {
            vocabulary = Vocabulary.build(fromSMILES: prepared.records.map(\.smiles),
                                          source: .init(path: data, sha256: prepared.record.sha256, molecules: prepared.record.kept))
        }
        let all = try TrainingDataPreparation.sequences(of: prepared, vocabulary: vocabulary, maxLength: maxLength, skipUnknown: skipUnknown)
        var preparation = ["data": prepared.record]
        var validSequences: [[Int32]]?
        if let valid {
            let preparedValid = try prepare(valid, stem: Self.preparedValidStem(out), stop: stop, writeCache: group.isRoot)
            preparation["valid"] = preparedValid.record
            validSequences = try TrainingDataPreparation.sequences(of: preparedValid, vocabulary: vocabulary, maxLength: maxLength,
                                                                   skipUnknown: skipUnknown)
        }
        return Inputs(checkpoint: checkpoint, vocabulary: vocabulary, sequences: all, validSequences: validSequences,
                      preparation: preparation, initial: initial, batch: batch, seed: seed, maxLength: maxLength,
                      validFraction: validFraction)
    }

    /// What the ranks must share: every option but --threads (a rank may have other cores) and
    /// the paths (the same content may live at other paths on other machines), and the content
    /// of the data, the vocabulary and the checkpoint.
    func facts(of inputs: Inputs) throws -> [RankFact] {
        let skipped: Set<String> = ["threads", "data", "valid", "out", "vocab", "initModel"]
        var facts: [RankFact] = Mirror(reflecting: self).children.compactMap { child in
            guard let label = child.label?.drop(while: { $0 == "_" }), !skipped.contains(String(label)) else { return nil }
            let value = OptionValueText.of(child.value)
            return RankFact(name: "option \(label)", digest: value, detail: value)
        }
        let digest = TrainingDataPreparation.sequencesDigest(inputs.sequences, vocabulary: inputs.vocabulary)
        facts.append(RankFact(name: "training data", digest: digest,
                              detail: "\(data): \(inputs.sequences.count) molecules, sha256 of the tokens \(digest.prefix(12))"))
        if let seqs = inputs.validSequences {
            let d = TrainingDataPreparation.sequencesDigest(seqs, vocabulary: inputs.vocabulary)
            facts.append(RankFact(name: "validation data", digest: d, detail: "\(valid ?? ""): \(seqs.count) molecules, sha256 of the tokens \(d.prefix(12))"))
        }
        if let checkpoint = inputs.checkpoint {
            let d = try SHA256.hexDigest(ofFileAt: out + "/checkpoint.safetensors")
            facts.append(RankFact(name: "checkpoint", digest: d, detail: "\(out)/checkpoint.safetensors at step \(checkpoint.state.step), sha256 \(d.prefix(12))"))
        }
        if let initModel {
            let d = try SHA256.hexDigest(ofFileAt: initModel)
            facts.append(RankFact(name: "--init model", digest: d, detail: "\(initModel), sha256 \(d.prefix(12))"))
        }
        return facts
    }

    func train(group: ProcessGroup) throws {
        let checkpointPath = out + "/checkpoint.safetensors"
        var read: Inputs?
        var facts: [RankFact] = []
        var failure: String?
        do {
            read = try readInputs(group: group)
            if group.usesMPI { facts = try self.facts(of: read!) }
        } catch {
            if !group.usesMPI { throw error }
            failure = "\(error)"
        }
        // Before any collective that a failed or different rank would leave hanging.
        try group.agree(failure: failure, facts: facts)
        let inputs = read!
        let checkpoint = inputs.checkpoint, vocabulary = inputs.vocabulary, all = inputs.sequences
        let batch = inputs.batch, seed = inputs.seed, maxLength = inputs.maxLength, validFraction = inputs.validFraction
        let started = Date()
        let stop = { StopSignal.received != 0 }
        // A run without a property head never reads the properties: computing them is about a
        // millisecond of RDKit per molecule, 47 minutes for an augmented corpus of 2.94M lines.
        let needsProperties = (propertyWeight ?? checkpoint?.options.propertyWeight ?? TrainDefaults.options.propertyWeight) > 0
        func headProperties(of sequences: [[Int32]], path: String, cache: String) throws -> (values: [Float], cached: Bool) {
            guard needsProperties else { return ([], false) }
            return try properties(of: sequences, path: path, vocabulary: vocabulary, cachePath: out + "/" + cache, stop: stop, group: group)
        }
        let props = try headProperties(of: all, path: data, cache: "properties-data.safetensors")
        var train = TrainingData(sequences: all, properties: props.values)
        var validData: TrainingData
        if let valid, let seqs = inputs.validSequences {
            let vp = try headProperties(of: seqs, path: valid, cache: "properties-valid.safetensors")
            validData = TrainingData(sequences: seqs, properties: vp.values)
        } else {
            let split = try TrainingDataPreparation.holdOut(all, fraction: validFraction, seed: seed, path: data)
            func pick(_ idx: [Int]) -> TrainingData {
                TrainingData(sequences: idx.map { all[$0] },
                             properties: props.values.isEmpty ? [] : idx.flatMap { props.values[($0 * 3)..<($0 * 3 + 3)] })
            }
            validData = pick(split.valid)
            train = pick(split.train)
        }
        let propertySource = !needsProperties ? "not computed (--property-weight 0)"
            : props.cached ? "from the cache" : "computed with RDKit"
        log(String(format: "train: %d training and %d validation molecules, %d tokens in the vocabulary; properties %@ (%.1f s)",
                   train.count, validData.count, vocabulary.count, propertySource, Date().timeIntervalSince(started)))

        let options = try trainingOptions(resuming: checkpoint?.options, batch: batch, seed: seed, validFraction: validFraction,
                                          maxLength: maxLength, trainingMolecules: train.count)
        let config = modelConfig(vocabularySize: vocabulary.count, batch: batch, maxLength: maxLength)
        let model = try checkpoint?.model ?? inputs.initial?.model
            ?? SmilesVAE(config: config, seed: seed,
                         structure: config.hasStructureFeatures ? StructureFeatures(vocabulary: vocabulary.tokens) : nil)
        if let checkpoint {
            let ignored = ignoredSizes(keeping: checkpoint.model.config)
            if !ignored.isEmpty {
                log("train: resuming with the checkpoint's architecture; ignored " + ignored.joined(separator: ", "))
            }
            let changed = TrainResume.changes(from: checkpoint.options, to: options)
            if !changed.isEmpty { log("train: resuming with options changed from the checkpoint's: " + changed.joined(separator: ", ")) }
        } else if let initial = inputs.initial {
            let ignored = ignoredSizes(keeping: initial.model.config)
            if !ignored.isEmpty { log("train: starting from --init's architecture; ignored " + ignored.joined(separator: ", ")) }
        }
        // Only rank 0 writes (checkpoints, best/last, metrics, curves).
        let trainer = try Trainer(model: model, vocabulary: vocabulary, train: train, valid: validData, options: options,
                                  directory: group.isRoot ? out : nil, resumeFrom: checkpoint,
                                  initialPropertyHead: inputs.initial?.head, group: group)
        trainer.threads = threads
        trainer.modelMetadata[DataPreparationRecord.metadataKey] = DataPreparationRecord.jsonString(inputs.preparation)
        let progress = TrainProgress(options: trainer.options, terminal: isatty(2) != 0, silent: !group.isRoot)
        let fault = RankFault.fromEnvironment()
        trainer.onStep = { report in
            progress.step(report)
            fault?.strike(rank: group.rank, step: report.step)
        }
        trainer.onWarning = { progress.warn($0) }
        trainer.onEvaluation = { progress.evaluation($0) }
        if let checkpoint {
            log("train: resuming after step \(checkpoint.state.step) (epoch \(checkpoint.state.epochOfLastStep), "
                + "\(checkpoint.state.batchInEpoch) batches into epoch \(checkpoint.state.epoch + 1))")
        }
        log("train: \(model.parameterCount + (trainer.propertyHead?.parameters.scalarCount ?? 0)) parameters, "
            + "\(trainer.batchesPerEpoch) batches per epoch, \(threads) threads"
            + (group.usesMPI ? " per rank, \(group.size) ranks (each a block of every batch; gradients summed with MPI_Allreduce, "
               + "\(trainer.gradientBytesPerStep) bytes per step)" : ""))
        let reason = try trainer.run()
        progress.finish()
        let s = trainer.state
        log(String(format: "train: %@ at step %d (epoch %d) after %.1f min; best validation ELBO %.4f at step %d; wrote %@",
                   reason.description, s.step, s.epochOfLastStep, s.elapsedSeconds / 60, s.bestValidELBO ?? .nan, s.bestStep ?? 0, out))
        if trainer.stepSeconds > 0 {
            let steps = s.step - (checkpoint?.state.step ?? 0)
            log(String(format: "train: %d steps in %.2f s of step time (evaluations excluded): %.1f molecules/s", steps,
                       trainer.stepSeconds, Double(steps * batch) / trainer.stepSeconds))
        }
        if group.usesMPI, trainer.communicationSteps > 0 {
            log(String(format: "train: allreduce %.2f ms per step on average (%.1f%% of step time), rank 0",
                       trainer.communicationSeconds / Double(trainer.communicationSteps) * 1000,
                       100 * trainer.communicationSeconds / max(trainer.stepSeconds, 1e-9)))
        }
        if reason == .interrupted {
            let message = "interrupted by a signal; checkpoint written to \(checkpointPath) (continue with --resume)"
            if group.usesMPI { throw TrainingInterrupted(description: message) }
            throw fail(message)
        }
    }
}

/// The progress bar (terminal) or plain log lines (not a terminal).
final class TrainProgress {
    /// The trainer's options, not the trainer: the trainer holds this object through its
    /// callbacks, and a reference back would be a cycle that never frees the model
    /// (LeakSanitizer found it).
    let options: TrainingOptions
    let terminal: Bool
    let started = Date()
    var lastPrint = Date.distantPast
    var molecules = 0
    var window: (loss: Double, recon: Double, kl: Double, property: Double, n: Int) = (0, 0, 0, 0, 0)
    var lineOpen = false

    /// Ranks other than 0 print nothing.
    let silent: Bool

    init(options: TrainingOptions, terminal: Bool, silent: Bool = false) {
        self.options = options
        self.terminal = terminal
        self.silent = silent
    }

    func write(_ s: String) { if !silent { FileHandle.standardError.write(Data(s.utf8)) } }

    func step(_ r: StepReport) {
        molecules += r.molecules
        if !r.skipped { window.loss += r.loss; window.recon += r.recon; window.kl += r.kl; window.property += r.property; window.n += 1 }
        let now = Date()
        let interval = terminal ? 0.25 : 30
        guard now.timeIntervalSince(lastPrint) >= interval else { return }
        lastPrint = now
        let elapsed = now.timeIntervalSince(started)
        let rate = Double(molecules) / max(elapsed, 1e-9)
        let n = Double(max(1, window.n))
        let parts = String(format: "loss %.3f (recon %.3f kl %.3f prop %.3f) beta·%.3f", window.loss / n, window.recon / n,
                           window.kl / n, window.property / n, r.klWeight)
        window = (0, 0, 0, 0, 0)
        var eta = ""
        let o = options
        var remaining: Double?
        if let e = o.epochs { remaining = Double((e - r.epoch) * r.batchesInEpoch - r.batchInEpoch) * Double(o.batchSize) / rate }
        if let s = o.maxSteps { remaining = min(remaining ?? .infinity, Double(s - r.step) * Double(o.batchSize) / rate) }
        if let m = o.maxMinutes { remaining = min(remaining ?? .infinity, m * 60 - elapsed) }
        if let remaining, remaining.isFinite { eta = " ETA " + Self.duration(max(0, remaining)) }
        // The epoch this step belonged to, as the evaluation lines, the summary and metrics.csv say.
        let ended = r.batchInEpoch == 0
        let position = "epoch \(ended ? r.epoch : r.epoch + 1) step \(r.step) [\(ended ? r.batchesInEpoch : r.batchInEpoch)/\(r.batchesInEpoch)]"
        if terminal {
            let width = 20, filled = r.batchesInEpoch > 0 ? width * r.batchInEpoch / r.batchesInEpoch : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            write("\r\u{1B}[K[\(bar)] \(position) \(parts) \(Int(rate)) mol/s\(eta)")
            lineOpen = true
        } else {
            write("\(position) \(parts) \(Int(rate)) mol/s\(eta)\n")
        }
    }

    func closeLine() { if lineOpen { write("\n"); lineOpen = false } }

    func warn(_ s: String) { closeLine(); write("warning: \(s)\n") }

    func evaluation(_ m: EvaluationMetrics) {
        closeLine()
        let r2 = ["logp", "qed", "sa"].compactMap { k in m.propertyR2[k].map { String(format: "%@ %.3f", k, $0) } }.joined(separator: " ")
        let epoch = m.epoch  // the epoch of the last step, as everywhere
        write(String(format: "eval step %d epoch %d: valid ELBO %.4f (recon %.4f kl %.4f) token acc %.4f active units %d R² [%@] "
                     + "prior validity %.3f uniqueness %.3f", m.step, epoch, m.validELBO, m.validRecon, m.validKL, m.tokenAccuracy,
                     m.activeUnits, r2, m.validity, m.uniqueness)
              + (m.trainSampleValidity.map { String(format: "; validity term %.3f", $0) } ?? "")
              + (options.fcdSamples.map { n in m.fcd.map { String(format: "; FCD %.3f (%d samples)", $0, n) } ?? "; FCD undefined (under 2 valid samples)" } ?? "")
              + "\n")
    }

    func finish() { closeLine() }

    static func duration(_ s: Double) -> String {
        let t = Int(s)
        return t >= 3600 ? String(format: "%dh%02dm", t / 3600, (t % 3600) / 60) : String(format: "%dm%02ds", t / 60, t % 60)
    }
}
