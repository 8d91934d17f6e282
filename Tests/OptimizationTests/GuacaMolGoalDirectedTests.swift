import Foundation
import Testing
@testable import MolVAE

/// GuacaMol's goal-directed suite v2 against the guacamol 0.5.5 package: Fixtures/guacamol-goal
/// comes from scripts/make-guacamol-goal-fixture, which runs the package itself.
@Suite struct GuacaMolGoalDirectedTests {
    struct Expected: Decodable {
        struct Task: Decodable {
            let name: String
            let contributions: [[Double]]
        }
        struct Pharmacophore: Decodable {
            let smiles: String
            let bits: [UInt32]
        }
        struct Assess: Decodable {
            let task: String
            let input: [String]
            let score: Double
            let top: [String: Double]
            let molecules: [[Scalar]]
        }
        enum Scalar: Decodable {
            case text(String), number(Double)
            init(from decoder: Decoder) throws {
                let c = try decoder.singleValueContainer()
                if let s = try? c.decode(String.self) { self = .text(s) } else { self = .number(try c.decode(Double.self)) }
            }
        }
        let tasks: [Task]
        let molecules: [String]
        let scores: [String: [Double]]
        let phco: [Pharmacophore]
        let assess: [Assess]
    }

    static let expected: Expected = {
        let url = Bundle.module.url(forResource: "Fixtures/guacamol-goal/expected", withExtension: "json")!
        return try! JSONDecoder().decode(Expected.self, from: Data(contentsOf: url))
    }()
    static let suite: [GoalDirectedTask] = try! GuacaMolSuite.v2()
    static let tolerance = 1e-6

    /// What GuacaMol's `objective.score(smiles)` is: −1 (corrupt) for a SMILES that is not a molecule.
    static func guacamolScore(_ task: GoalDirectedTask, _ smiles: String) -> Double {
        guard let molecule = try? Molecule(smiles: smiles) else { return GuacaMolScore.corrupt }
        return task.scoring.score(molecule) ?? GuacaMolScore.corrupt
    }

    @Test func suiteHasThePackagesTasksInOrder() {
        let expected = Self.expected.tasks
        #expect(expected.count == 20)
        #expect(Self.suite.map(\.name) == expected.map(\.name))
        for (task, reference) in zip(Self.suite, expected) {
            let contributions = reference.contributions.map { TopCountContribution(count: Int($0[0]), weight: $0[1]) }
            #expect(task.contributions == contributions, "\(task.name)")
            #expect(task.moleculesRequested == contributions.map(\.count).max())
        }
        let keys = Self.suite.map(\.key)
        #expect(Set(keys).count == 20)
        #expect(keys.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } })
        #expect(keys.contains("celecoxib-rediscovery") && keys.contains("isomers-c11h24") && keys.contains("deco-hop"))
    }

    @Test func fixtureCoversHighScoresInvalidAndSpecialMolecules() {
        let e = Self.expected
        #expect(e.molecules.count >= 300)
        #expect(e.molecules.contains("C[C@H](N)C(=O)O") && e.molecules.contains("[NH3+]CC(=O)[O-]"))
        for (name, scores) in e.scores {
            #expect(scores.count == e.molecules.count)
            #expect(scores.contains(GuacaMolScore.corrupt), "\(name) has no invalid molecule")
        }
        #expect(e.scores["Celecoxib rediscovery"]!.contains(1.0))
    }

    @Test(arguments: 0..<20) func taskScoresMatchGuacaMol(index: Int) throws {
        let task = Self.suite[index]
        let reference = try #require(Self.expected.scores[task.name])
        var worst = 0.0, worstSMILES = ""
        for (smiles, expected) in zip(Self.expected.molecules, reference) {
            let difference = abs(Self.guacamolScore(task, smiles) - expected)
            if difference > worst { worst = difference; worstSMILES = smiles }
        }
        print("guacamol-goal \(task.key): max |difference| \(worst) over \(reference.count) molecules")
        #expect(worst <= Self.tolerance, "\(task.name): \(worstSMILES) differs by \(worst)")
    }

    @Test func pharmacophoreBitsMatchRDKit() throws {
        for entry in Self.expected.phco {
            let bits = try Molecule(smiles: entry.smiles).gobbiPharmacophoreFingerprint().bits
            #expect(bits == entry.bits, "\(entry.smiles)")
        }
    }

    @Test func assessMatchesAssessModel() throws {
        let byName = Dictionary(uniqueKeysWithValues: Self.suite.map { ($0.name, $0) })
        for case_ in Self.expected.assess {
            let task = try #require(byName[case_.task])
            let result = task.assess(case_.input)
            #expect(abs(result.score - case_.score) <= Self.tolerance, "\(case_.task)")
            #expect(result.topMeans.count == case_.top.count)
            for (contribution, mean) in result.topMeans {
                let expected = try #require(case_.top["top_\(contribution.count)"])
                #expect(abs(mean - expected) <= Self.tolerance, "\(case_.task) top \(contribution.count)")
            }
            let expected: [(String, Double)] = case_.molecules.map {
                guard case .text(let s) = $0[0], case .number(let v) = $0[1] else { return ("", .nan) }
                return (s, v)
            }
            #expect(result.molecules.map(\.smiles) == expected.map(\.0), "\(case_.task)")
            for (got, want) in zip(result.molecules, expected) {
                #expect(abs(got.score - want.1) <= Self.tolerance, "\(case_.task) \(got.smiles)")
            }
        }
    }

    /// The search scores from many threads at once: the Gobbi feature factory and the SMARTS
    /// patterns are shared, so concurrent scores must equal serial ones.
    @Test func concurrentScoringEqualsSerial() throws {
        let tasks = Self.suite.filter { ["deco-hop", "scaffold-hop", "valsartan-smarts"].contains($0.key) }
        let molecules = Self.expected.molecules.compactMap { try? Molecule(smiles: $0) }
        for task in tasks {
            let serial = molecules.map { task.scoring.score($0) }
            let results = ConcurrentSlots(count: molecules.count)
            DispatchQueue.concurrentPerform(iterations: molecules.count) { i in
                results.set(i, task.scoring.score(molecules[i]))
            }
            #expect(results.values == serial, "\(task.key)")
        }
    }

    final class ConcurrentSlots: @unchecked Sendable {
        private var slots: [Double?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ i: Int, _ value: Double?) { lock.lock(); slots[i] = value; lock.unlock() }
        var values: [Double?] { lock.lock(); defer { lock.unlock() }; return slots }
    }

    @Test func modifiersFollowGuacaMolsFormulas() {
        #expect(ScoreModifier.clipped(upperX: 0.7)(0.35) == 0.5)
        #expect(ScoreModifier.clipped(upperX: 0.7)(0.9) == 1)
        #expect(ScoreModifier.minGaussian(mu: 1, sigma: 1)(0.5) == 1)
        #expect(abs(ScoreModifier.minGaussian(mu: 1, sigma: 1)(2) - exp(-0.5)) < 1e-15)
        #expect(ScoreModifier.maxGaussian(mu: 1, sigma: 1)(2) == 1)
        #expect(ScoreModifier.thresholdedLinear(threshold: 0.5)(0.25) == 0.5)
        #expect(abs(ScoreModifier.smoothClipped(upperX: 1)(0.5) - 0.5) < 1e-15)
        #expect(ScoreModifier.chained([.linear(slope: 2), .thresholdedLinear(threshold: 1)])(0.75) == 1)
    }
}
