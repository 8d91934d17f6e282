import ArgumentParser
import Foundation
import MolVAE

/// `molvae sample`: molecules from the prior, judged by RDKit.
struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate molecules: decode latent points drawn from the prior N(0, I).",
        discussion: """
            Writes CSV smiles,valid,canonical: one row per sample, in order (invalid ones too, \
            unless --valid-only). smiles is the decoder's string, canonical RDKit's canonical \
            SMILES (empty when invalid). With --unique-valid N sampling continues until N \
            distinct valid molecules exist (or --max-tries samples are spent) and the rows are \
            those N molecules, each at its first occurrence. The summary on standard error gives \
            validity, uniqueness, novelty (with --train) and molecules/s. Sample i depends only \
            on --seed and i, not on --batch or --threads. Decoding applies the SMILES syntax mask \
            (tokens that would make RDKit syntax errors are excluded) unless --no-syntax-mask: then \
            the validity is the raw model's, as in training's evaluation.

            Examples:
              molvae sample --n 10000 --out samples.csv --train Data/moses-train-250k.smi.gz
              molvae sample --unique-valid 1000 --max-tries 5000 --temperature 0.8 --out unique.csv
            """
    )

    @OptionGroup var options: ModelOptions

    @OptionGroup var decoding: DecodingOptions

    @Option(help: "Samples to draw (default 1000).")
    var n: Int?

    @Option(help: "Softmax temperature of the decoder (below 1: safer, less diverse).")
    var temperature: Float = 1

    @Option(help: "Draw each token among the K likeliest only.")
    var topK: Int?

    @Flag(help: "Take the likeliest token at every step (the latent point is still random).")
    var greedy = false

    @Option(help: "Molecules decoded per batch.")
    var batch = 500

    @Flag(help: "Leave invalid samples out of the CSV (they still count in the validity).")
    var validOnly = false

    @Option(help: "Sample until this many distinct valid molecules exist; write only those.")
    var uniqueValid: Int?

    @Option(help: "With --unique-valid: give up after this many samples (default 10 × N).")
    var maxTries: Int?

    @Option(help: "Training molecules (.smi/.csv, optionally .gz), for novelty.")
    var train: String?

    @OptionGroup var caching: CacheOptions

    func validate() throws {
        if let n, n < 1 { throw ValidationError("--n must be at least 1") }
        guard temperature > 0, temperature.isFinite else { throw ValidationError("--temperature must be a positive number, e.g. 1 or 0.7") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1 (1 is greedy)") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        if let uniqueValid {
            guard uniqueValid >= 1 else { throw ValidationError("--unique-valid must be at least 1") }
            guard n == nil else { throw ValidationError("give either --n (samples) or --unique-valid (distinct valid molecules), not both") }
            if let maxTries, maxTries < uniqueValid {
                throw ValidationError("--max-tries \(maxTries) is below --unique-valid \(uniqueValid): it can never be reached")
            }
        } else if maxTries != nil {
            throw ValidationError("--max-tries only applies with --unique-valid N")
        }
        try refusePathClashes(inputs: [("--train", train), ("--model", options.model)], outputs: [("--out", options.out)])
    }

    func run() throws {
        let group = ProcessGroup.world
        try RankedRun.run("sample", group: group) { try sample(group: group) }
    }

    /// Under mpirun every rank decodes a block of each batch; rank 0 alone reads --train (for
    /// novelty), prints and writes.
    func sample(group: ProcessGroup) throws {
        let trained = try RankAgreement.prepare(group: group, inputs: [options.model, group.isRoot ? train : nil]) { try options.load() }
        let training = try train.flatMap { path -> Set<String>? in
            guard group.isRoot else { return nil }
            note("sample: reading the training set \(path)")
            let started = Date()
            let (set, outcome) = try TrainingSet.load(path: path, threads: options.threads, cache: caching.cache) { note("sample: \($0)") }
            note("sample: training set \(describe(outcome)), \(fixed(Date().timeIntervalSince(started), 2)) s")
            return set.canonical
        }
        let sampler = PriorSampler(trained, temperature: temperature, topK: topK, greedy: greedy, seed: options.seed,
                                   masks: decoding.masks)
        sampler.group = group
        let goal: SamplingGoal = uniqueValid.map { .distinctValid($0, maxSamples: maxTries ?? 10 * $0) } ?? .samples(n ?? 1000)
        // Opened (and at the end committed) collectively: a bad --out is one error on every rank.
        let sink = try group.collectively { group.isRoot ? try CSVSink(path: options.out) : nil }
        try sink?.write("smiles,valid,canonical\n")
        let progress = ProgressLine(silent: !group.isRoot)
        let total: Int
        switch goal {
        case .samples(let count): total = count
        case .distinctValid(let count, _): total = count
        }
        let stats = try sampler.run(goal: goal, batchSize: batch, validOnly: validOnly, training: training, progress: { s in
            let done = uniqueValid == nil ? s.samples : s.distinct.count
            progress.update("sample: \(done)/\(total) \(uniqueValid == nil ? "samples" : "distinct valid") "
                            + "(validity \(fixed(s.validity, 3))), \(Int(Double(s.samples) / max(progress.elapsed, 1e-9))) molecules/s")
        }) { sample in
            try sink?.write("\(CSV.escape(sample.raw)),\(sample.isValid ? 1 : 0),\(CSV.escape(sample.canonical ?? ""))\n")
        }
        try group.collectively { try sink?.commit() }
        progress.finish()
        let seconds = progress.elapsed
        var summary = "sample: \(stats.samples) samples, validity \(fixed(stats.validity)), uniqueness \(fixed(stats.uniqueness)) "
            + "(\(stats.distinct.count) distinct valid)"
        if let novelty = stats.novelty { summary += ", novelty \(fixed(novelty))" }
        summary += ", \(fixed(Double(stats.samples) / max(seconds, 1e-9), 1)) molecules/s (\(fixed(seconds, 2)) s, \(options.threads) threads"
            + (group.usesMPI ? " per rank, \(group.size) ranks); " : "); ")
            + "model \(trained.path), seed \(options.seed), \(decoding.summary(for: trained))"
        if group.isRoot { note(summary) }
        // Every rank holds the same counts, so every rank fails here: one error, printed once.
        try group.collectively {
            if let uniqueValid, stats.distinct.count < uniqueValid {
                throw CommandFailure("only \(stats.distinct.count) of \(uniqueValid) distinct valid molecules after \(stats.samples) samples "
                                      + "(--max-tries); the output holds those \(stats.distinct.count). Raise --max-tries or lower --temperature.")
            }
        }
    }
}
