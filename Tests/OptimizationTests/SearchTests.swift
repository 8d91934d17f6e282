import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// The four methods on the tiny model (twelve memorised molecules, latent 8): each improves
/// logP from the twelve's lowest-logP molecule, spends exactly its budget, never reports a
/// molecule under the similarity minimum, and repeats itself for a seed.
@Suite struct SearchTests {
    static let objective = try! Objective(parsing: "logp")

    /// The twelve molecule with the lowest logP (as the start) and reference targets from the twelve.
    static func setUp(_ tiny: TrainedModel) throws -> (start: StartMolecule, references: ReferenceTargets) {
        let scored = TinyModel.molecules.map { ($0, try! Molecule(smiles: $0).properties().logP) }
        let lowest = scored.min { $0.1 < $1.1 }!.0
        let start = try StartMolecule.prepare(smiles: lowest, source: "test", model: tiny)
        let references = try ReferenceTargets.load(path: TinyModel.smilesPath, limit: 12, top: 6, objective: objective, model: tiny,
                                                   threads: 1)
        return (start, references)
    }

    static func settings(_ method: SearchMethod, budget: Int) -> SearchSettings {
        var s = SearchSettings(objective: objective, method: method)
        s.budget = budget
        s.seed = 7
        s.iterations = 20
        s.pathPoints = 6
        s.initialPoints = 10
        s.batch = 5
        s.candidates = 200
        return s
    }

    static func search(_ method: SearchMethod, budget: Int, minSimilarity: Double? = nil, seed: UInt64 = 7) throws -> SearchResult {
        let tiny = try TinyModel.load()
        let (start, references) = try setUp(tiny)
        var s = settings(method, budget: budget)
        s.minSimilarity = minSimilarity
        s.seed = seed
        return try LatentOptimizer(model: tiny, settings: s, references: references).search(start: start)
    }

    @Test(arguments: SearchMethod.allCases)
    func improvesLogPFromTheWorstStart(_ method: SearchMethod) throws {
        let r = try Self.search(method, budget: 80)
        let startScore = try #require(r.startScore)
        let best = try #require(r.bestImprovement, "\(method) found nothing better than \(startScore)")
        #expect(best.score > startScore)
        // The reported score is RDKit's for the reported SMILES.
        #expect(abs(try Molecule(smiles: best.smiles).properties().logP - best.score) < 1e-12)
        #expect(r.improvement == best.score - startScore)
    }

    /// Odd budgets cut batches, generations and paths: the count is still exact.
    @Test(arguments: SearchMethod.allCases)
    func spendsExactlyTheBudget(_ method: SearchMethod) throws {
        for budget in [1, 13, 37] {
            let r = try Self.search(method, budget: budget)
            #expect(r.oracleCalls == budget, "\(method) budget \(budget)")
            #expect(r.molecules.allSatisfy { (1...budget).contains($0.step) })
            #expect(r.validCalls <= budget && r.molecules.count <= r.validCalls)
        }
    }

    /// The oracle cuts a batch at the budget, and every call counts: repeats and all.
    @Test func oracleCutsBatchesAtTheBudget() throws {
        let tiny = try TinyModel.load()
        let (start, _) = try Self.setUp(tiny)
        let oracle = MoleculeOracle(objective: Self.objective, budget: 7, decoder: LatentDecoder(tiny), constraint: nil)
        let same = [[Float]](repeating: start.mu, count: 5)
        let first = oracle.evaluate(same)
        #expect(first.count == 5 && oracle.calls == 5)
        #expect(first.map(\.call) == [1, 2, 3, 4, 5])
        // The same point decodes to the same molecule: new once, then looked up (still a call).
        #expect(first.filter(\.isNew).count <= 1)
        #expect(Set(first.map(\.smiles)).count == 1)
        let second = oracle.evaluate(same)
        #expect(second.count == 2 && oracle.calls == 7 && oracle.isExhausted)
        #expect(oracle.evaluate(same).isEmpty && oracle.calls == 7)
        #expect(oracle.found.count <= 1)
    }

    @Test(arguments: SearchMethod.allCases)
    func neverReportsAMoleculeBelowTheSimilarityMinimum(_ method: SearchMethod) throws {
        // The twelve are dissimilar to each other: at 0.2 some decoded molecules pass and some do not.
        let minimum = 0.2
        let tiny = try TinyModel.load()
        let (start, _) = try Self.setUp(tiny)
        let r = try Self.search(method, budget: 60, minSimilarity: minimum)
        #expect(r.oracleCalls == 60)
        // With OpenBLAS's Haswell kernels (OPENBLAS_CORETYPE=Haswell, or an AMD Zen machine) the
        // gradient search's path rounds differently and finds only the start.
        withKnownIssue("gradient search finds only the start under the Haswell kernels' rounding", isIntermittent: true) {
            #expect(r.molecules.count >= 2, "something besides the start is reported")
        } when: { EngineThreads.blasRunsHaswellKernels && method == .gradient }
        #expect(r.distinctMolecules > r.molecules.count, "the constraint excluded something")
        let startFingerprint = try Molecule(smiles: start.canonical).countFingerprint(radius: 2)
        for m in r.molecules {
            let similarity = try #require(m.similarity)
            #expect(similarity >= minimum, "\(m.smiles) at \(similarity)")
            // Recomputed from the SMILES, not trusted from the search.
            let recomputed = startFingerprint.tanimoto(try Molecule(smiles: m.smiles).countFingerprint(radius: 2))
            #expect(abs(recomputed - similarity) < 1e-12)
        }
        // And in the written table.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opt-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try OptimizationCSV.write([r], to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == Substring(OptimizationCSV.header))
        #expect(lines.count == r.molecules.count + 1)
        for line in lines.dropFirst() {
            let similarity = try #require(Double(line.split(separator: ",", omittingEmptySubsequences: false)[2]))
            #expect(similarity >= minimum)
        }
    }

    @Test(arguments: SearchMethod.allCases)
    func sameSeedSameMolecules(_ method: SearchMethod) throws {
        let a = try Self.search(method, budget: 30), b = try Self.search(method, budget: 30)
        #expect(a.molecules == b.molecules)
        #expect(a.validCalls == b.validCalls)
    }

    /// Many starts on one or two workers give the same results, in start order.
    @Test func batchResultsDoNotDependOnWorkers() throws {
        let tiny = try TinyModel.load()
        let inputs = TinyModel.molecules.prefix(4).enumerated().map { (smiles: $1, source: "twelve.smi:\($0 + 1)") }
        let starts = try StartMolecule.prepare(Array(inputs), model: tiny).map { try $0.get() }
        let settings = Self.settings(.cmaes, budget: 20)
        func run(_ workers: Int) throws -> [SearchResult] {
            try BatchOptimization.run(starts: starts, workers: workers) { try LatentOptimizer(model: try TinyModel.load(), settings: settings) }
        }
        let one = try run(1), two = try run(2)
        #expect(one.map(\.molecules) == two.map(\.molecules))
        #expect(one.map { $0.start?.canonical } == starts.map(\.canonical))
    }
}
