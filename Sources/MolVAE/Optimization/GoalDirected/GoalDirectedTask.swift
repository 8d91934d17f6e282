import Foundation

/// A function a goal-directed search maximises, scoring one molecule: GuacaMol's
/// `ScoringFunction`. Higher is better; GuacaMol's goal-directed tasks score in [0, 1].
public protocol MoleculeScoringFunction: Sendable {
    /// The molecule's score, or nil when it cannot be scored (GuacaMol's `corrupt_score`).
    func score(_ molecule: Molecule) -> Double?
}

/// One term of a task's score: the mean of the best `count` scores, weighted (GuacaMol's
/// `ScoringContribution`/`uniform_specification`).
public struct TopCountContribution: Sendable, Equatable {
    public let count: Int
    public let weight: Double

    public init(count: Int, weight: Double) {
        self.count = count
        self.weight = weight
    }
}

/// A goal-directed benchmark task: GuacaMol's `GoalDirectedBenchmark` (a name, a scoring
/// function and how the best molecules found are combined into the task's score).
public struct GoalDirectedTask: Sendable {
    /// GuacaMol's name, e.g. "Celecoxib rediscovery".
    public let name: String
    /// The command line's name, e.g. `celecoxib-rediscovery`.
    public let key: String
    public let scoring: any MoleculeScoringFunction
    /// GuacaMol's contribution specification; the largest count is how many molecules the
    /// task asks for.
    public let contributions: [TopCountContribution]

    public init(name: String, key: String, scoring: any MoleculeScoringFunction, contributions: [TopCountContribution]) {
        self.name = name
        self.key = key
        self.scoring = scoring
        self.contributions = contributions
    }

    /// How many molecules the task is scored on: its largest top count.
    public var moleculesRequested: Int { contributions.map(\.count).max() ?? 0 }
}

/// A task's score on the molecules a generator handed in, as GuacaMol's
/// `GoalDirectedBenchmark.assess_model` computes it (molecules canonicalised without stereo,
/// de-duplicated, scored, missing ones counted as 0, the contributions combined).
public struct TaskAssessment: Sendable, Equatable {
    /// One molecule scored, canonical without stereo.
    public struct ScoredMolecule: Sendable, Equatable {
        public let smiles: String
        public let score: Double

        public init(smiles: String, score: Double) {
            self.smiles = smiles
            self.score = score
        }
    }

    /// The task's score.
    public let score: Double
    /// The mean of the best `count` scores for each contribution, in the task's order.
    public let topMeans: [TopCountContribution: Double]
    /// The distinct molecules scored, best first.
    public let molecules: [ScoredMolecule]

    public init(score: Double, topMeans: [TopCountContribution: Double], molecules: [ScoredMolecule]) {
        self.score = score
        self.topMeans = topMeans
        self.molecules = molecules
    }
}

extension TopCountContribution: Hashable {}
