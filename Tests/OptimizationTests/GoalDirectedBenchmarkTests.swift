import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// A scoring function that counts how often it is asked (for the oracle's call accounting).
final class CountingScorer: MoleculeScoringFunction, @unchecked Sendable {
    private let lock = NSLock()
    private var asked = 0
    private var molecules: [String] = []

    var count: Int { lock.withLock { asked } }
    var scored: [String] { lock.withLock { molecules } }

    func score(_ molecule: Molecule) -> Double? {
        lock.withLock {
            asked += 1
            molecules.append(molecule.canonicalSMILES)
        }
        return try? molecule.properties().logP
    }
}

/// `molvae benchmark guacamol` on the tiny model (twelve memorised molecules, latent 8): PMO
/// call accounting in the oracle, the goal-directed search's budget, determinism, the JSON and
/// the error cases. Tasks are built here (logP and QED through `Objective`), not taken from the
/// suite, so the tests hold whichever `GuacaMolSuite` is compiled in.
@Suite struct GoalDirectedBenchmarkTests {
    static let logPTask = GoalDirectedTask(name: "logP test", key: "logp-test", scoring: try! Objective(parsing: "logp"),
                                           contributions: [TopCountContribution(count: 1, weight: 1), TopCountContribution(count: 3, weight: 1)])
    static let qedTask = GoalDirectedTask(name: "QED test", key: "qed-test", scoring: try! Objective(parsing: "qed"),
                                          contributions: [TopCountContribution(count: 1, weight: 1), TopCountContribution(count: 5, weight: 1)])

    static func settings(budget: Int, method: GoalDirectedMethod = .cmaes, seed: UInt64 = 3, threads: Int = 1) -> GoalDirectedSettings {
        var s = GoalDirectedSettings()
        s.budget = budget
        s.method = method
        s.seed = seed
        s.starts = 2
        s.threads = threads
        s.decodeBatch = 16
        return s
    }

    static func run(_ task: GoalDirectedTask = logPTask, budget: Int, method: GoalDirectedMethod = .cmaes, seed: UInt64 = 3,
                    threads: Int = 1, training: [String] = TinyModel.molecules) throws -> GoalDirectedTaskResult {
        GoalDirectedSearch.run(task: task, model: try TinyModel.load(), training: GoalDirectedSearch.sample(training, count: 12, seed: seed),
                               settings: settings(budget: budget, method: method, seed: seed, threads: threads))
    }

    // MARK: - The oracle's PMO counting

    /// Repeats and invalid decodings are free in calls but counted as decoded; every call is one
    /// scoring-function evaluation of a distinct molecule.
    @Test func distinctMoleculeCountingChargesOneCallPerNewMolecule() throws {
        let tiny = try TinyModel.load()
        let start = try StartMolecule.prepare(smiles: TinyModel.molecules[0], source: "test", model: tiny)
        let scorer = CountingScorer()
        let oracle = MoleculeOracle(scoring: scorer, budget: 50, counting: .distinctMolecules, decodeCap: 500, decoder: LatentDecoder(tiny))
        let same = [[Float]](repeating: start.mu, count: 5)
        let first = oracle.evaluate(same)
        #expect(first.count == 5)
        #expect(oracle.decoded == 5)
        let valid = first.compactMap(\.smiles)
        #expect(Set(valid).count == 1, "one point decodes to one molecule")
        #expect(oracle.calls == 1 && scorer.count == 1)
        #expect(first.map(\.call) == [1, 1, 1, 1, 1])
        _ = oracle.evaluate(same)
        #expect(oracle.calls == 1 && oracle.decoded == 10 && scorer.count == 1)
        #expect(oracle.found.count == 1)
        #expect(abs(oracle.found[0].score - (try Molecule(smiles: valid[0]).properties().logP)) < 1e-12)
    }

    /// Molecules given as SMILES: canonicalised, one call per distinct valid one, nothing decoded.
    @Test func givenMoleculesCostOneCallPerDistinctValidMolecule() throws {
        let tiny = try TinyModel.load()
        let scorer = CountingScorer()
        let oracle = MoleculeOracle(scoring: scorer, budget: 3, counting: .distinctMolecules, decodeCap: 30, decoder: LatentDecoder(tiny))
        let e = oracle.evaluate(smiles: ["CCO", "OCC", "C1CC", "CCO", "c1ccccc1", "CCN", "CCCl"])
        // CCO and OCC are one molecule, C1CC is invalid: CCO, benzene and CCN are the three calls,
        // and CCCl is past the budget (not evaluated).
        #expect(oracle.calls == 3 && scorer.count == 3)
        #expect(Set(scorer.scored) == ["CCO", "c1ccccc1", "CCN"])
        #expect(e.count == 6)
        #expect(e.map(\.call) == [1, 1, 1, 1, 2, 3])
        #expect(e[2].smiles == nil)
        #expect(oracle.decoded == 0 && oracle.isExhausted)
        #expect(oracle.found.map(\.smiles) == ["CCO", "c1ccccc1", "CCN"])
        #expect(oracle.evaluate(smiles: ["CCCC"]).isEmpty && oracle.calls == 3)
    }

    /// The decoding cap ends a search that meets only known molecules.
    @Test func decodingCapEndsASearchOfRepeats() throws {
        let tiny = try TinyModel.load()
        let start = try StartMolecule.prepare(smiles: TinyModel.molecules[1], source: "test", model: tiny)
        let oracle = MoleculeOracle(scoring: CountingScorer(), budget: 1000, counting: .distinctMolecules, decodeCap: 12,
                                    decoder: LatentDecoder(tiny))
        let e = oracle.evaluate([[Float]](repeating: start.mu, count: 20))
        #expect(e.count == 12 && oracle.decoded == 12)
        #expect(oracle.isExhausted && oracle.calls <= 1)
        #expect(oracle.evaluate([start.mu]).isEmpty && oracle.decoded == 12)
    }

    /// A phase limit stops a search early without touching the budget.
    @Test func phaseLimitCapsCallsAndDecoding() throws {
        let tiny = try TinyModel.load()
        let oracle = MoleculeOracle(scoring: CountingScorer(), budget: 100, counting: .distinctMolecules, decodeCap: 1000,
                                    decoder: LatentDecoder(tiny))
        oracle.phaseLimit = (calls: 2, decoded: 1000)
        _ = oracle.evaluate(smiles: TinyModel.molecules)
        #expect(oracle.calls == 2 && oracle.isExhausted)
        oracle.phaseLimit = nil
        #expect(oracle.remaining == 98 && !oracle.isExhausted)
    }

    // MARK: - The goal-directed search

    /// Calls never pass the budget, the training share is what was asked, decoding stays under
    /// its cap, and what is handed in is the task's N best, distinct.
    @Test(arguments: [1, 7, 40])
    func spendsAtMostTheBudget(_ budget: Int) throws {
        let r = try Self.run(budget: budget)
        #expect(r.error == nil)
        #expect(r.oracleCalls <= budget)
        #expect(r.trainingCalls == min(budget, Int((Double(budget) * 0.2).rounded())))
        #expect(r.decoded <= budget * GoalDirectedSettings.decodeCapFactor)
        let a = try #require(r.assessment)
        #expect(r.handedIn <= Self.logPTask.moleculesRequested)
        #expect(a.molecules.count == r.handedIn)
        #expect(a.molecules.map(\.score) == a.molecules.map(\.score).sorted(by: >))
        // GuacaMol's combination: the mean of the contributions' top means, missing ones 0.
        let scores = a.molecules.map(\.score)
        func top(_ k: Int) -> Double { (Array(scores.prefix(k)) + [Double](repeating: 0, count: max(0, k - scores.count))).reduce(0, +) / Double(k) }
        #expect(abs(a.score - (top(1) + top(3)) / 2) < 1e-12)
        for m in a.molecules {
            #expect(abs(try Molecule(smiles: m.smiles).properties().logP - m.score) < 1e-9)
        }
    }

    /// After the training share, the latent search spends the rest of the budget (or stops at
    /// the decoding cap), around the two best training molecules.
    @Test func latentSearchSpendsTheRestOfTheBudget() throws {
        let r = try Self.run(budget: 40)
        #expect(r.trainingCalls == 8)
        #expect(r.starts.count == 2)
        #expect(r.oracleCalls == 40 || r.decoded == 400, "\(r.oracleCalls) calls, \(r.decoded) decoded")
        #expect(r.oracleCalls > r.trainingCalls && r.decoded > 0)
    }

    @Test func sameSeedSameResultsWhateverTheThreads() throws {
        for method in [GoalDirectedMethod.cmaes, .prior] {
            let a = try Self.run(Self.qedTask, budget: 30, method: method, threads: 1)
            let b = try Self.run(Self.qedTask, budget: 30, method: method, threads: 1)
            let c = try Self.run(Self.qedTask, budget: 30, method: method, threads: 2)
            #expect(a.assessment == b.assessment && a.assessment == c.assessment, "\(method)")
            #expect(a.oracleCalls == c.oracleCalls && a.decoded == b.decoded && a.decoded == c.decoded)
            #expect(a.starts == c.starts)
        }
        // Another seed draws other training molecules and other search streams.
        let d = try Self.run(Self.qedTask, budget: 30, seed: 4), e = try Self.run(Self.qedTask, budget: 30, seed: 3)
        #expect(d.decoded != e.decoded || d.assessment != e.assessment)
    }

    @Test func screenSpendsEverythingOnTrainingMolecules() throws {
        let r = try Self.run(budget: 8, method: .screen)
        #expect(r.oracleCalls == 8 && r.trainingCalls == 8 && r.decoded == 0 && r.starts.isEmpty)
    }

    @Test func priorDecodesWithoutTrainingMolecules() throws {
        let r = try Self.run(budget: 10, method: .prior, training: [])
        #expect(r.error == nil && r.trainingCalls == 0 && r.decoded > 0)
        #expect(r.oracleCalls <= 10)
    }

    // MARK: - Errors and reasons

    @Test func badSettingsAndMissingTrainingGiveAReasonNotACrash() throws {
        let zero = try Self.run(budget: 0)
        #expect(zero.error == "--budget must be at least 1 oracle call (got 0)" && zero.assessment == nil)
        let negative = try Self.run(budget: -3)
        #expect(negative.error?.contains("--budget must be at least 1") == true)
        let empty = try Self.run(budget: 10, training: [])
        #expect(empty.error == "no training molecules to score (the training file is empty)")
    }

    /// Training molecules the tiny model cannot encode (atoms outside its vocabulary): the
    /// task says so and searches from the prior instead.
    @Test func unencodableStartsFallBackToThePriorWithANote() throws {
        let foreign = ["BrCCBr", "ICCI", "[Se]1C=CC=C1", "BrC(Br)Br"]
        let r = try Self.run(budget: 10, training: foreign)
        let note = try #require(r.note)
        // Two training calls (20 % of 10): the two best are the candidates.
        #expect(note.contains("could encode none of the 2 best training molecules"))
        #expect(note.contains("searched from the prior instead"))
        #expect(r.starts.isEmpty && r.trainingCalls == 2 && r.decoded > 0)
    }

    @Test func unknownTaskKeysAreListed() throws {
        let suite = [Self.logPTask, Self.qedTask]
        #expect(try GoalDirectedSearch.select(nil, from: suite).map(\.key) == ["logp-test", "qed-test"])
        #expect(try GoalDirectedSearch.select("qed-test, logp-test", from: suite).map(\.key) == ["logp-test", "qed-test"])
        do {
            _ = try GoalDirectedSearch.select("qed-test,nope", from: suite)
            Issue.record("an unknown key was accepted")
        } catch {
            #expect(error.description == "unknown task \"nope\"; valid keys: logp-test, qed-test")
        }
        #expect(throws: OptimizationError.self) { try GoalDirectedSearch.select(" , ", from: suite) }
    }

    @Test func trainingSampleIsSeeded() {
        let all = (0..<100).map { "C" + String(repeating: "C", count: $0) }
        let a = GoalDirectedSearch.sample(all, count: 10, seed: 1)
        #expect(a == GoalDirectedSearch.sample(all, count: 10, seed: 1))
        #expect(a != GoalDirectedSearch.sample(all, count: 10, seed: 2))
        #expect(Set(a).count == 10 && Set(a).isSubset(of: Set(all)))
        #expect(GoalDirectedSearch.sample(all, count: 500, seed: 1).count == 100)
    }

    // MARK: - Output

    @Test func jsonHasTheDocumentedFields() throws {
        let ok = try Self.run(budget: 12)
        let failed = try Self.run(budget: 0)
        var settings = Self.settings(budget: 12)
        settings.seed = 3
        let report = GuacaMolBenchmarkReport(molvaeVersion: "test", settings: settings, model: .init(path: "m.safetensors", sha256: "ab"),
                                             train: .init(path: "t.smi", sha256: "cd"), trainingSample: 12, tasks: [ok, failed], seconds: 1.5)
        let json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        #expect(Set(json.keys) == ["benchmark", "molvae_version", "budget", "oracle_call", "decode_cap", "method", "seed", "training_fraction",
                                   "starts", "model", "train", "training_sample", "total_score", "tasks", "seconds"])
        #expect(json["budget"] as? Int == 12 && json["decode_cap"] as? Int == 120 && json["method"] as? String == "cmaes")
        #expect(json["seed"] as? Int == 3)
        #expect((json["model"] as? [String: String]) == ["path": "m.safetensors", "sha256": "ab"])
        let total = try #require(json["total_score"] as? Double)
        #expect(abs(total - (ok.assessment?.score ?? -1)) < 1e-12)
        let tasks = try #require(json["tasks"] as? [[String: Any]])
        #expect(tasks.count == 2)
        let fields: Set<String> = ["name", "key", "score", "top_means", "molecules", "oracle_calls", "training_calls", "latent_points_decoded",
                                   "starts", "seconds", "error", "note"]
        #expect(Set(tasks[0].keys) == fields && Set(tasks[1].keys) == fields)
        #expect(tasks[0]["key"] as? String == "logp-test" && tasks[0]["oracle_calls"] as? Int == ok.oracleCalls)
        #expect(tasks[0]["latent_points_decoded"] as? Int == ok.decoded)
        let means = try #require(tasks[0]["top_means"] as? [[String: Any]])
        #expect(means.map { $0["count"] as? Int } == [1, 3])
        let molecules = try #require(tasks[0]["molecules"] as? [[String: Any]])
        #expect(molecules.count == ok.assessment?.molecules.count)
        #expect(molecules.first?["smiles"] as? String == ok.assessment?.molecules.first?.smiles)
        #expect(tasks[1]["score"] is NSNull && tasks[1]["error"] as? String == failed.error)
    }

    @Test func pageShowsThePublishedBaselines() throws {
        let ok = try Self.run(budget: 12)
        let report = GuacaMolBenchmarkReport(settings: Self.settings(budget: 12), model: .init(path: "m.safetensors", sha256: "ab"),
                                             train: nil, trainingSample: 0, tasks: [ok], seconds: 1)
        let html = GuacaMolBenchmarkPage(report: report).html()
        #expect(html.contains("<th>Graph GA</th>") && html.contains("17.983") && html.contains("9.011"))
        #expect(html.contains("Osimertinib MPO") && html.contains("0.953"))
        #expect(html.contains("logP test (not in the published table)"))
        #expect(html.contains(String(format: "%.3f", ok.assessment!.score)))
    }

    /// The transcription check of the published table: each column sums to its published total.
    @Test func publishedColumnsSumToTheirTotals() {
        #expect(PublishedGuacaMolResults.rows.count == 20)
        for (i, model) in PublishedGuacaMolResults.models.enumerated() {
            let sum = PublishedGuacaMolResults.rows.reduce(0) { $0 + $1.scores[i] }
            #expect(abs(sum - PublishedGuacaMolResults.totals[model]!) < 5e-4, "\(model): \(sum)")
        }
        #expect(PublishedGuacaMolResults.row(name: "deco hop", key: "")?.name == "Deco Hop")
        #expect(PublishedGuacaMolResults.row(name: "", key: "osimertinib-mpo")?.score("Graph GA") == 0.953)
    }
}
