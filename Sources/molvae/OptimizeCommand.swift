import ArgumentParser
import Foundation
import MolVAE

/// `molvae optimize`: property-guided search of the latent space, with RDKit as the judge.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Search the latent space for molecules that score higher on an objective, judged by RDKit.",
        discussion: """
            The property head proposes; RDKit decides: every score written or compared is \
            computed by RDKit from the decoded SMILES.

            Objectives (--objective): \(Objective.help).

            Methods (--method): gradient (ascent on the property head's prediction of the \
            objective, decoding every point of the path), cmaes (CMA-ES with RDKit as the \
            oracle), bo (Gaussian-process Bayesian optimisation with expected improvement), \
            interpolate (straight paths from the start toward the best molecules found and \
            toward high-scoring --reference molecules; needs a start).

            One oracle call is one latent point decoded (by --greedy, --tries K or --beam W) \
            and its molecule judged by RDKit. Invalid decodings and molecules met before count \
            too; --budget N is the exact number of calls per start molecule.

            Start from one molecule (--from), from every molecule of a file (--input; searched \
            in parallel on --threads workers), or from the prior (neither). With a start, \
            similarity to it (--similarity counts: Tanimoto on unhashed Morgan radius-2 counts, \
            as in the JT-VAE benchmark; bits: 2048-bit vectors) is reported, and \
            --min-similarity d keeps every molecule under d out of the output.

            --out gets every distinct reported molecule of every search: \
            smiles,score,similarity,step,method,start (step: the oracle call that first decoded \
            it). The best molecules are printed. --summary writes one row per start (the best \
            improvement over the start, its similarity, success). Same --seed, same output, \
            whatever --threads.

            Examples:
              molvae optimize --objective qed --method bo --budget 1000 --out qed.csv
              molvae optimize --objective plogp-raw --from 'CC(=O)Nc1ccc(O)cc1' --min-similarity 0.4 --method gradient --out opt.csv
              molvae optimize --objective '5*qed-sa' --input starts.smi --method cmaes --budget 200 --summary summary.csv --out opt.csv
            """
    )

    @Option(help: "Model file (.safetensors from molvae train; default: the shipped Models/default.safetensors).")
    var model: String?

    @OptionGroup var decoding: DecodingOptions

    @Option(help: "What to maximise, e.g. qed, plogp, plogp-raw, logp, sa, mw:250-350, 5*qed-sa.")
    var objective: String

    @Option(help: "Start molecule (SMILES).")
    var from: String?

    @Option(help: "Start molecules, one search each: .smi/.txt/.csv (a smiles column), optionally .gz.")
    var input: String?

    @Option(help: "gradient, cmaes, bo or interpolate.")
    var method: String = "cmaes"

    @Option(help: "Oracle calls per start molecule.")
    var budget = 500

    @Option(help: "Report only molecules at least this similar to the start (0 to 1).")
    var minSimilarity: Double?

    @Option(help: "counts (unhashed Morgan radius-2 counts, the JT-VAE benchmark's) or bits (2048-bit Morgan radius-2).")
    var similarity: String = "counts"

    @Option(help: "Seed of every random stream.")
    var seed: UInt64 = 0

    @Option(help: "Threads: start molecules searched in parallel with --input, else the decoder's, OpenBLAS's and RDKit's.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .shortAndLong, help: "Output CSV, written atomically.")
    var out: String

    @Option(help: "Also write one row per start molecule here (CSV).")
    var summary: String?

    @Flag(help: "With --input: skip start molecules that are invalid or that the model cannot encode (each is reported) instead of stopping.")
    var skipInvalid = false

    @Flag(help: "Decode each point greedily (the default).")
    var greedy = false

    @Option(help: "Decode each point this many times at --temperature; the most frequent valid molecule wins.")
    var tries: Int?

    @Option(help: "Decode each point by beam search of this width.")
    var beam: Int?

    @Option(help: "Softmax temperature of --tries.")
    var temperature: Float = 1

    @Option(help: "gradient: latent distance moved per iteration along the normalised gradient.")
    var stepSize = 0.25

    @Option(help: "gradient: points per path (the budget buys budget/iterations paths).")
    var iterations = 50

    @Option(help: "cmaes: initial step size (default 0.5 around a start, 1 from the prior).")
    var sigma: Double?

    @Option(help: "cmaes: points per generation (default 4 + 3 ln(latent size)).")
    var population: Int?

    @Option(help: "bo: random points before the first GP fit.")
    var initialPoints = 20

    @Option(help: "bo: points proposed per GP fit.")
    var batch = 10

    @Option(help: "bo: candidates scored by expected improvement per round.")
    var candidates = 1000

    @Option(help: "bo: the most points the GP keeps (the best half and the most recent half).")
    var gpPoints = 2000

    @Option(help: "bo: radius (latent units per dimension) of the region explored around a start.")
    var radius = 1.0

    @Option(help: "interpolate: points decoded per path.")
    var pathPoints = 10

    @Option(help: "interpolate: reference molecules to aim at (default: the bundled training set).")
    var reference: String?

    @Option(help: "interpolate: molecules of --reference scored by RDKit (the first N).")
    var referenceCount = 10_000

    @Option(help: "interpolate: the best K of them are path targets.")
    var referenceTop = 50

    func validate() throws {
        do { _ = try Objective(parsing: objective) } catch { throw ValidationError(error.description) }
        guard SearchMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(SearchMethod.allCases.map(\.rawValue).joined(separator: ", ")) (got \"\(method)\")")
        }
        guard SimilarityMeasure(rawValue: similarity) != nil else {
            throw ValidationError("--similarity must be counts or bits (got \"\(similarity)\")")
        }
        if from != nil && input != nil { throw ValidationError("give --from SMILES or --input FILE, not both") }
        if from == nil && input == nil {
            if method == SearchMethod.interpolate.rawValue {
                throw ValidationError("--method interpolate searches from a start molecule: give --from SMILES or --input FILE")
            }
            if minSimilarity != nil {
                throw ValidationError("--min-similarity needs a start molecule to compare with: give --from SMILES or --input FILE")
            }
        }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        let strategies = [greedy, tries != nil, beam != nil].filter { $0 }.count
        guard strategies <= 1 else { throw ValidationError("choose one decoding: --greedy, --tries K or --beam W") }
        if let tries, tries < 1 { throw ValidationError("--tries must be at least 1") }
        if let beam, beam < 1 { throw ValidationError("--beam must be at least 1") }
        guard temperature > 0, temperature.isFinite else { throw ValidationError("--temperature must be a positive number") }
        guard referenceCount >= 1, referenceTop >= 1 else { throw ValidationError("--reference-count and --reference-top must be at least 1") }
        if let problem = try settings().validationError() { throw ValidationError(problem) }
        try refusePathClashes(inputs: [("--input", input), ("--reference", reference), ("--model", model)],
                              outputs: [("--out", out), ("--summary", summary)])
    }

    func settings() throws -> SearchSettings {
        var s = SearchSettings(objective: try Objective(parsing: objective), method: SearchMethod(rawValue: method) ?? .cmaes)
        s.budget = budget
        s.seed = seed
        s.minSimilarity = minSimilarity
        s.similarity = SimilarityMeasure(rawValue: similarity) ?? .counts
        s.stepSize = stepSize
        s.iterations = iterations
        s.sigma = sigma
        s.population = population
        s.initialPoints = initialPoints
        s.batch = batch
        s.candidates = candidates
        s.gpPoints = gpPoints
        s.radius = radius
        s.pathPoints = pathPoints
        s.masks = decoding.masks
        return s
    }

    var strategy: DecodingStrategy {
        if let tries { return .tries(tries, temperature: temperature) }
        if let beam { return .beam(width: beam) }
        return .greedy
    }

    func run() throws {
        EngineThreads.set(threads)
        let settings = try settings()
        let trained = try TrainedModel.load(path: model)
        note("optimize: objective \(settings.objective) by \(settings.method.rawValue), \(settings.budget) oracle calls per start, "
             + "decoding \(strategy.name) (\(decoding.summary(for: trained))), model \(trained.path)")
        let starts = try startMolecules(trained)
        var references: ReferenceTargets?
        if settings.method == .interpolate {
            let path = try reference ?? DataFiles.path(of: "moses-train-250k.smi.gz")
            references = try ReferenceTargets.load(path: path, limit: referenceCount, top: referenceTop, objective: settings.objective,
                                                   model: trained, threads: threads)
            note("optimize: \(references!.targets.count) reference targets from \(path), best "
                 + fixed(references!.targets[0].score) + " (\(references!.targets[0].smiles))")
        }
        let optimizer = try LatentOptimizer(model: trained, settings: settings, references: references, strategy: strategy)
        let progress = ProgressLine()
        let results: [SearchResult]
        if let starts, starts.count > 1 {
            let workers = min(threads, starts.count)
            if workers > 1 { EngineThreads.set(1) }
            let strategy = self.strategy
            var made = 0
            results = try BatchOptimization.run(starts: starts, workers: workers, makeOptimizer: {
                made += 1
                // The first worker reuses the loaded model; the others get their own copy.
                if made == 1 { return optimizer }
                return try LatentOptimizer(model: try TrainedModel.load(path: trained.path), settings: settings, references: references,
                                           strategy: strategy)
            }, onFinished: { done in
                progress.update("optimize: \(done)/\(starts.count) starts (\(fixed(progress.elapsed, 0)) s)")
            })
        } else {
            optimizer.scoringThreads = threads
            let start = starts?.first
            let result = try optimizer.search(start: start, index: 0) { oracle in
                let best = oracle.best.map { "best \(fixed($0.score)) \($0.smiles)" } ?? "nothing reported yet"
                progress.update(bar(oracle.calls, oracle.budget) + " \(oracle.calls)/\(oracle.budget) calls, "
                                + "\(oracle.distinctMolecules) molecules, \(best)")
            }
            results = [result]
        }
        progress.finish()
        try OptimizationCSV.write(results, to: out)
        if let summary { try OptimizationSummaryCSV.write(results, to: summary) }
        report(results, settings: settings, seconds: progress.elapsed)
    }

    /// The starts from --from or --input (nil: search from the prior). An unusable start stops
    /// the run with its line and reason, unless --skip-invalid.
    func startMolecules(_ trained: TrainedModel) throws -> [StartMolecule]? {
        if let from { return [try StartMolecule.prepare(smiles: from, source: "--from", model: trained)] }
        guard let input else { return nil }
        let records = try SMILESReader.readAll(path: input)
        var inputs: [(smiles: String, source: String)] = []
        var unusable: [String] = []
        for r in records {
            let source = "\(input):\(r.lineNumber)"
            if let issue = r.issue { unusable.append("\(source): \(issue)") } else { inputs.append((r.smiles, source)) }
        }
        var starts: [StartMolecule] = []
        for outcome in StartMolecule.prepare(inputs, model: trained) {
            switch outcome {
            case .success(let s): starts.append(s)
            case .failure(let e): unusable.append(e.description)
            }
        }
        if !unusable.isEmpty {
            guard skipInvalid else {
                let more = unusable.count > 1 ? " (and \(unusable.count - 1) more; --skip-invalid skips them)" : " (--skip-invalid skips it)"
                throw CommandFailure(unusable[0] + more)
            }
            for u in unusable.prefix(20) { note("optimize: skipped \(u)") }
            if unusable.count > 20 { note("optimize: skipped \(unusable.count - 20) more") }
        }
        guard !starts.isEmpty else { throw CommandFailure("\(input): no start molecule the model can encode") }
        note("optimize: \(starts.count) start molecules from \(input)")
        return starts
    }

    func report(_ results: [SearchResult], settings: SearchSettings, seconds: Double) {
        let calls = results.reduce(0) { $0 + $1.oracleCalls }
        let valid = results.reduce(0) { $0 + $1.validCalls }
        let rows = results.reduce(0) { $0 + $1.molecules.count }
        note("optimize: \(calls) oracle calls (\(valid) valid decodings), \(rows) molecules written to \(out) in \(fixed(seconds, 1)) s")
        if results.count == 1, let r = results.first {
            if let start = r.start, let s = r.startScore {
                print("start \(start.canonical) score \(fixed(s))")
            }
            let top = r.top(5)
            if top.isEmpty { print("no molecule met the constraints") }
            for (i, m) in top.enumerated() {
                let sim = m.similarity.map { " similarity \(fixed($0, 3))" } ?? ""
                print("best \(i + 1): \(m.smiles) score \(fixed(m.score))\(sim) (call \(m.step))")
            }
        } else {
            print("\(results.count) starts: \(ImprovementSummary(results))")
        }
    }

    func bar(_ done: Int, _ total: Int) -> String {
        let width = 20, filled = total > 0 ? width * done / total : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }
}
