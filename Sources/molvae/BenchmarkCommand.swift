import ArgumentParser
import Foundation
import MolVAE

/// `molvae benchmark`: how well the model does on published benchmarks (scores), as opposed to
/// `molvae bench` (how fast the engine runs).
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Score the model on published benchmarks (GuacaMol goal-directed). For engine speed, see `molvae bench`.",
        subcommands: [BenchmarkGuacaMol.self]
    )
}

/// `molvae benchmark guacamol`: GuacaMol's goal-directed suite on the latent search, with a
/// PMO-style budget of oracle calls per task.
struct BenchmarkGuacaMol: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guacamol",
        abstract: "Run GuacaMol's goal-directed tasks with the latent search, a budget of oracle calls per task.",
        discussion: """
            Scores, not speed (`molvae bench` measures speed). Each task's scoring function is \
            maximised by molvae's latent search; the task's best N molecules (N its largest \
            top count) go to GuacaMol's assessment (canonical without stereo, de-duplicated, \
            scored, missing ones 0, top-k means combined).

            Oracle calls (--budget N per task, default 10,000, as in the PMO benchmark of Gao \
            et al. 2022): one call is one distinct valid molecule scored by the task. Invalid \
            decodings and molecules met before cost no call, but they cost decoding: latent \
            points decoded are counted too and capped at 10 × the budget, so a task always ends. \
            Training molecules scored count as calls.

            Methods (--method): cmaes (default: score a seeded sample of --train molecules with \
            --training-fraction of the budget, encode the best --starts, CMA-ES around each with \
            an even share of the rest), bo (the same, Bayesian optimisation around each), prior \
            (CMA-ES from the prior, no training molecules), screen (training molecules only: \
            best of a dataset sample of the budget's size).

            --out gets JSON: per task name, key, score, top_means, molecules (the N handed in, \
            with their scores, best first), oracle_calls, training_calls, latent_points_decoded, \
            starts, seconds, error, note; and total_score (the sum), budget, decode_cap, method, \
            seed, model path and sha256. --html writes a page with the published GuacaMol v2 \
            baselines beside the scores. Progress per task goes to standard error. Same --seed, \
            same results, whatever --threads.

            Examples:
              molvae benchmark guacamol --out guacamol.json --html guacamol.html
              molvae benchmark guacamol --tasks celecoxib-rediscovery,osimertinib-mpo --budget 1000 --seed 1 --out small.json
            """
    )

    @Option(help: "Tasks to run, comma-separated keys (default: all). An unknown key lists the valid ones.")
    var tasks: String?

    @Option(help: "Oracle calls per task: distinct valid molecules scored (training molecules included).")
    var budget = 10_000

    @Option(help: "cmaes, bo, prior or screen.")
    var method: String = "cmaes"

    @Option(help: "Seed of the training sample and every search stream.")
    var seed: UInt64 = 0

    @Option(help: "Model file (.safetensors from molvae train; default: the shipped Models/default.safetensors).")
    var model: String?

    @Option(help: "Training molecules to start from (default: the bundled Data/moses-train-250k.smi.gz).")
    var train: String?

    @Option(help: "cmaes, bo: share of the budget spent scoring a seeded sample of training molecules.")
    var trainingFraction = 0.2

    @Option(help: "cmaes, bo: how many of the best training molecules are encoded as search centres.")
    var starts = 5

    @Option(help: "cmaes: initial step size around a start.")
    var sigma = 0.5

    @Option(help: "Threads: decoding, OpenBLAS and RDKit scoring (results do not depend on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .shortAndLong, help: "Output JSON, written atomically.")
    var out: String

    @Option(help: "Also write an HTML page with the published baselines beside the scores.")
    var html: String?

    func settings() -> GoalDirectedSettings {
        var s = GoalDirectedSettings()
        s.budget = budget
        s.method = GoalDirectedMethod(rawValue: method) ?? .cmaes
        s.seed = seed
        s.trainingFraction = trainingFraction
        s.starts = starts
        s.sigma = sigma
        s.threads = threads
        return s
    }

    func validate() throws {
        guard GoalDirectedMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(GoalDirectedMethod.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(method)\")")
        }
        if let problem = settings().validationError() { throw ValidationError(problem) }
        _ = try Self.select(tasks, from: GuacaMolSuite.v2())
        try refusePathClashes(inputs: [("--model", model), ("--train", train)], outputs: [("--out", out), ("--html", html)])
    }

    /// The tasks named by --tasks (`GoalDirectedSearch.select`), as a command-line error.
    static func select(_ keys: String?, from suite: [GoalDirectedTask]) throws -> [GoalDirectedTask] {
        do { return try GoalDirectedSearch.select(keys, from: suite) } catch { throw ValidationError(error.description) }
    }

    func run() throws {
        let settings = settings()
        let suite = try GuacaMolSuite.v2()
        let selected = try Self.select(tasks, from: suite)
        EngineThreads.set(threads)
        let trained = try TrainedModel.load(path: model)
        let modelDigest = try SHA256.hexDigest(ofFileAt: trained.path)
        var training: [String] = []
        var trainFile: GuacaMolBenchmarkReport.File?
        if settings.trainingCalls > 0 {
            let path = try train ?? DataFiles.path(of: "moses-train-250k.smi.gz")
            // Enough molecules for the training calls even when some repeat or are invalid.
            let count = settings.trainingCalls + settings.trainingCalls / 4 + 100
            training = try GoalDirectedSearch.trainingSample(path: path, count: count, seed: seed)
            trainFile = .init(path: path, sha256: try SHA256.hexDigest(ofFileAt: path))
            note("benchmark: \(training.count) training molecules sampled from \(path) (seed \(seed))")
        }
        note("benchmark guacamol: \(selected.count) task\(selected.count == 1 ? "" : "s"), \(settings.method.rawValue), "
             + "\(settings.budget) oracle calls per task (decoding capped at \(settings.decodeCap) points), model \(trained.path)")
        let started = Date()
        var results: [GoalDirectedTaskResult] = []
        for (i, task) in selected.enumerated() {
            let progress = ProgressLine()
            let result = GoalDirectedSearch.run(task: task, model: trained, training: training, settings: settings) { oracle in
                let best = oracle.best.map { "best \(fixed($0.score, 3))" } ?? "nothing scored yet"
                progress.update("benchmark: [\(i + 1)/\(selected.count)] \(task.key): \(oracle.calls)/\(oracle.budget) calls, "
                                + "\(oracle.decoded) decoded, \(best), \(fixed(progress.elapsed, 0)) s")
            }
            progress.finish()
            results.append(result)
            if let error = result.error {
                note("benchmark: [\(i + 1)/\(selected.count)] \(task.key): failed: \(error)")
            } else {
                note("benchmark: [\(i + 1)/\(selected.count)] \(task.key): score \(fixed(result.assessment?.score ?? 0, 3)), "
                     + "\(result.oracleCalls) oracle calls (\(result.trainingCalls) training), \(result.decoded) points decoded, "
                     + "best \(fixed(result.assessment?.molecules.first?.score ?? 0, 3)), \(fixed(result.seconds, 1)) s")
            }
            if let n = result.note { note("benchmark: \(task.key): \(n)") }
        }
        let report = GuacaMolBenchmarkReport(settings: settings, model: .init(path: trained.path, sha256: modelDigest), train: trainFile,
                                             trainingSample: training.count, tasks: results, seconds: Date().timeIntervalSince(started))
        try AtomicFile.write(try report.jsonData(), to: out)
        if let html { try AtomicFile.write(GuacaMolBenchmarkPage(report: report).html(), to: html) }
        print("total \(fixed(report.totalScore, 3)) over \(results.count) task\(results.count == 1 ? "" : "s") "
              + "(\(results.filter { $0.error != nil }.count) failed); written to \(out)\(html.map { " and \($0)" } ?? "")")
    }
}
