import Foundation

/// How a goal-directed task is searched (`molvae benchmark guacamol --method`).
public enum GoalDirectedMethod: String, CaseIterable, Sendable {
    /// Score a seeded sample of training molecules, encode the best few, CMA-ES around each.
    case cmaes
    /// The same seeding, then Bayesian optimisation (GP, expected improvement) around each.
    case bo
    /// CMA-ES from the prior (the origin), no training molecules: the latent space alone.
    case prior
    /// Training molecules only (the whole budget on the seeded sample): GuacaMol's "best of
    /// dataset" baseline on a sample of the budget's size.
    case screen
}

/// Everything that shapes a goal-directed run except the task.
public struct GoalDirectedSettings: Sendable {
    /// Oracle calls per task: distinct valid molecules scored (PMO's count).
    public var budget = 10_000
    public var method: GoalDirectedMethod = .cmaes
    public var seed: UInt64 = 0
    /// Share of the budget spent scoring training molecules (cmaes, bo); screen spends all of
    /// it, prior none.
    public var trainingFraction = 0.2
    /// How many of the best training molecules are encoded as search centres.
    public var starts = 5
    /// Latent points decoded per task at most: this many times the budget.
    public static let decodeCapFactor = 10
    /// CMA-ES: initial step size around a start (the prior: 1).
    public var sigma = 0.5
    /// RDKit workers (decoding's threads are the engine's, `EngineThreads`).
    public var threads = 1
    /// Points per decoded batch.
    public var decodeBatch = 256

    public init() {}

    public var decodeCap: Int { budget.multipliedReportingOverflow(by: Self.decodeCapFactor).overflow ? Int.max : budget * Self.decodeCapFactor }

    /// Oracle calls spent on training molecules.
    public var trainingCalls: Int {
        switch method {
        case .screen: return budget
        case .prior: return 0
        case .cmaes, .bo: return min(budget, Int((Double(budget) * trainingFraction).rounded()))
        }
    }

    /// The first problem with these settings, phrased for the command line.
    public func validationError() -> String? {
        if budget < 1 { return "--budget must be at least 1 oracle call (got \(budget))" }
        if !(0...1).contains(trainingFraction) { return "--training-fraction must be between 0 and 1 (got \(trainingFraction))" }
        if (method == .cmaes || method == .bo) && trainingFraction <= 0 {
            return "--method \(method.rawValue) searches around the best training molecules: --training-fraction must be above 0 (or use --method prior)"
        }
        if starts < 1 { return "--starts must be at least 1" }
        if !(sigma > 0) || !sigma.isFinite { return "--sigma must be a positive number" }
        if threads < 1 { return "--threads must be at least 1" }
        return nil
    }
}

/// What one task's search gave.
public struct GoalDirectedTaskResult: Sendable {
    public let name: String
    public let key: String
    /// The task's assessment of the molecules handed in (nil when the task failed).
    public let assessment: TaskAssessment?
    /// Why the task has no result (the search could not run).
    public let error: String?
    /// Something the reader should know (e.g. no start molecule could be encoded).
    public let note: String?
    /// Distinct valid molecules scored (training molecules included).
    public let oracleCalls: Int
    /// Of those, training molecules.
    public let trainingCalls: Int
    /// Latent points decoded.
    public let decoded: Int
    /// The training molecules the latent search started from (canonical).
    public let starts: [String]
    /// Molecules handed to `assess`: the best distinct (without stereo) found, at most the
    /// task's largest top count.
    public let handedIn: Int
    public let seconds: Double
}

/// Runs goal-directed tasks on a trained model's latent space with a budget of oracle calls.
///
/// Per task (`run`): one `MoleculeOracle` with PMO counting (a call is one distinct valid
/// molecule scored; decoding capped at `decodeCapFactor` × budget). Plan (`cmaes`, `bo`): first
/// the seeded sample of training molecules is scored in order until `trainingCalls` calls; the
/// best `starts` the model can encode become centres; the rest of the budget (and of the decoding
/// cap) is split evenly over them in turn, each phase a search of molvae's own method (CMA-ES or
/// BO, `CMAESSearch`/`BayesianOptimizationSearch`) around that centre, leftovers passing on.
/// Every distinct molecule scored is kept; the task's N best (N = its largest top count;
/// distinct once stereo is removed, as assess compares them) go to `assess`.
///
/// Deterministic for (seed, task key): the training sample depends on the seed only, every
/// search stream on the seed and the task's key, and decoding and scoring do not depend on the
/// thread count.
public enum GoalDirectedSearch {
    /// The tasks named by comma-separated keys, in the suite's order (nil: all). An unknown key,
    /// or a list naming none, is an error that lists the valid keys.
    public static func select(_ keys: String?, from suite: [GoalDirectedTask]) throws(OptimizationError) -> [GoalDirectedTask] {
        guard let keys else { return suite }
        let valid = "valid keys: " + suite.map(\.key).joined(separator: ", ")
        let wanted = keys.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !wanted.isEmpty else { throw OptimizationError("--tasks names no task; \(valid)") }
        let known = Set(suite.map(\.key))
        let unknown = wanted.filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw OptimizationError("unknown task\(unknown.count == 1 ? "" : "s") \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); \(valid)")
        }
        let set = Set(wanted)
        return suite.filter { set.contains($0.key) }
    }

    /// A seeded sample of `count` lines (in sample order) of a SMILES file, drawn without
    /// replacement (the whole file, shuffled, when it is shorter).
    public static func trainingSample(path: String, count: Int, seed: UInt64) throws -> [String] {
        let all = try SMILESReader.readAll(path: path).filter { $0.issue == nil }.map(\.smiles)
        return sample(all, count: count, seed: seed)
    }

    /// A partial Fisher–Yates shuffle on the counter stream (seed, "TRAIN").
    public static func sample(_ all: [String], count: Int, seed: UInt64) -> [String] {
        var items = all
        let k = min(max(0, count), items.count)
        var rng = CounterRNG(seed: seed, stream: 0x5452_4149_4E00)
        for i in 0..<k {
            let j = i + Int(rng.nextUInt64() % UInt64(items.count - i))
            items.swapAt(i, j)
        }
        return Array(items.prefix(k))
    }

    /// The seed of a task's searches: the run's seed and the task's key (FNV-1a), so a task's
    /// result does not depend on which other tasks run.
    public static func seed(for key: String, seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return CounterRNG.hash(seed: seed, stream: 0x4755_4143_414D, counter: h)
    }

    /// Searches one task. Never throws: a task that cannot run gives a result with `error`.
    /// `onBatch` is called after every batch of oracle calls.
    public static func run(task: GoalDirectedTask, model: TrainedModel, training: [String], settings: GoalDirectedSettings,
                           onBatch: ((MoleculeOracle) -> Void)? = nil) -> GoalDirectedTaskResult {
        let started = Date()
        func failed(_ why: String) -> GoalDirectedTaskResult {
            GoalDirectedTaskResult(name: task.name, key: task.key, assessment: nil, error: why, note: nil, oracleCalls: 0, trainingCalls: 0,
                                   decoded: 0, starts: [], handedIn: 0, seconds: Date().timeIntervalSince(started))
        }
        if let problem = settings.validationError() { return failed(problem) }
        let taskSeed = seed(for: task.key, seed: settings.seed)
        let decoder = LatentDecoder(model)
        let oracle = MoleculeOracle(scoring: task.scoring, budget: settings.budget, counting: .distinctMolecules,
                                    decodeCap: settings.decodeCap, decoder: decoder, strategy: .greedy, decodingSeed: taskSeed,
                                    threads: settings.threads)
        oracle.onBatch = onBatch
        var note: String?

        // 1. Training molecules, in sample order, until their share of the budget is spent.
        let trainingCalls = settings.trainingCalls
        if trainingCalls > 0 {
            if training.isEmpty { return failed("no training molecules to score (the training file is empty)") }
            oracle.phaseLimit = (calls: trainingCalls, decoded: 0)
            var next = 0
            while oracle.remaining > 0 && next < training.count {
                let end = min(training.count, next + 1024)
                _ = oracle.evaluate(smiles: Array(training[next..<end]))
                next = end
            }
            oracle.phaseLimit = nil
            if oracle.calls < trainingCalls {
                note = "the training sample gave only \(oracle.calls) distinct valid molecules of the \(trainingCalls) planned"
            }
        }
        let spentOnTraining = oracle.calls

        // 2. Latent search with the rest.
        var startMolecules: [StartMolecule] = []
        if settings.method == .cmaes || settings.method == .bo {
            let ranked = oracle.found.sorted { $0.score != $1.score ? $0.score > $1.score : $0.step < $1.step }
            var reasons: [String] = []
            var offset = 0
            // Encode the best in slices until `starts` encodable ones are found (at most 20 slices).
            while startMolecules.count < settings.starts && offset < ranked.count && offset < settings.starts * 20 {
                let slice = ranked[offset..<min(ranked.count, offset + settings.starts)]
                offset += slice.count
                let inputs = slice.map { (smiles: $0.smiles, source: "training molecule (score \(String(format: "%.4f", $0.score)))") }
                for outcome in StartMolecule.prepare(inputs, model: model) {
                    switch outcome {
                    case .success(let s) where startMolecules.count < settings.starts: startMolecules.append(s)
                    case .success: break
                    case .failure(let e): reasons.append(e.description)
                    }
                }
            }
            if startMolecules.isEmpty && !oracle.isExhausted {
                let why = reasons.first.map { ": \($0)" } ?? ""
                note = [note, "the model could encode none of the \(offset) best training molecules\(why); searched from the prior instead"]
                    .compactMap { $0 }.joined(separator: "; ")
            }
        }
        var settingsForSearch = SearchSettings(objective: Objective(terms: [], text: task.key), method: settings.method == .bo ? .bo : .cmaes)
        settingsForSearch.decodeBatch = settings.decodeBatch
        settingsForSearch.seed = taskSeed
        let phases: [StartMolecule?] = settings.method == .screen ? [] : (startMolecules.isEmpty ? [nil] : startMolecules.map { Optional($0) })
        for (i, start) in phases.enumerated() where !oracle.isExhausted {
            let left = phases.count - i
            // An even share of what is left (the last phase gets all of it).
            oracle.phaseLimit = (calls: oracle.calls + oracle.remaining / left, decoded: oracle.decoded + oracle.remainingDecodes / left)
            settingsForSearch.sigma = start == nil ? 1 : settings.sigma
            let phaseSeed = CounterRNG.hash(seed: taskSeed, stream: 0x5048_4153_45, counter: UInt64(i))
            let context = SearchContext(oracle: oracle, start: start, settings: settingsForSearch, seed: phaseSeed, latent: oracle.latentSize)
            if settings.method == .bo { BayesianOptimizationSearch.run(context) } else { CMAESSearch.run(context) }
            oracle.phaseLimit = nil
        }

        // 3. The N best, distinct once stereo is removed, to the task's assessment.
        let wanted = task.moleculesRequested
        var handed: [String] = []
        var flat = Set<String>()
        for m in oracle.found.sorted(by: { $0.score != $1.score ? $0.score > $1.score : $0.step < $1.step }) where handed.count < wanted {
            guard let key = try? Molecule(smiles: m.smiles).flatCanonicalSMILES, flat.insert(key).inserted else { continue }
            handed.append(m.smiles)
        }
        let assessment = task.assess(handed)
        return GoalDirectedTaskResult(name: task.name, key: task.key, assessment: assessment, error: nil, note: note,
                                      oracleCalls: oracle.calls, trainingCalls: spentOnTraining, decoded: oracle.decoded,
                                      starts: startMolecules.map(\.canonical), handedIn: handed.count,
                                      seconds: Date().timeIntervalSince(started))
    }
}
