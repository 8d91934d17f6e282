import Foundation

/// The JSON of `molvae benchmark guacamol`: the run's settings and one entry per task. Field
/// names are fixed (snake_case); a field without a value is written as null, never left out.
public struct GuacaMolBenchmarkReport: Encodable, Sendable {
    public static let oracleCallDefinition = "one oracle call = one distinct valid molecule (RDKit canonical SMILES) scored by the task; "
        + "invalid decodings and molecules met before cost no call but count as latent points decoded; "
        + "training molecules scored count as calls"

    public struct File: Encodable, Sendable {
        public let path: String
        public let sha256: String

        public init(path: String, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    public let benchmark = "guacamol-goal-directed"
    public let molvaeVersion: String
    public let budget: Int
    public let oracleCall = Self.oracleCallDefinition
    public let decodeCap: Int
    public let method: String
    public let seed: UInt64
    public let trainingFraction: Double
    public let starts: Int
    public let model: File
    public let train: File?
    /// Training molecules sampled (seeded) for scoring.
    public let trainingSample: Int
    public let tasks: [GoalDirectedTaskResult]
    public let seconds: Double

    /// The sum of the task scores (GuacaMol's total); failed tasks count 0.
    public var totalScore: Double { tasks.reduce(0) { $0 + ($1.assessment?.score ?? 0) } }

    public init(molvaeVersion: String = MolVAEVersion.current, settings: GoalDirectedSettings, model: File, train: File?,
                trainingSample: Int, tasks: [GoalDirectedTaskResult], seconds: Double) {
        self.molvaeVersion = molvaeVersion
        budget = settings.budget
        decodeCap = settings.decodeCap
        method = settings.method.rawValue
        seed = settings.seed
        trainingFraction = settings.trainingFraction
        starts = settings.starts
        self.model = model
        self.train = train
        self.trainingSample = trainingSample
        self.tasks = tasks
        self.seconds = seconds
    }

    enum Keys: String, CodingKey {
        case benchmark, molvaeVersion = "molvae_version", budget, oracleCall = "oracle_call", decodeCap = "decode_cap", method, seed
        case trainingFraction = "training_fraction", starts, model, train, trainingSample = "training_sample", totalScore = "total_score"
        case tasks, seconds
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(benchmark, forKey: .benchmark)
        try c.encode(molvaeVersion, forKey: .molvaeVersion)
        try c.encode(budget, forKey: .budget)
        try c.encode(oracleCall, forKey: .oracleCall)
        try c.encode(decodeCap, forKey: .decodeCap)
        try c.encode(method, forKey: .method)
        try c.encode(seed, forKey: .seed)
        try c.encode(trainingFraction, forKey: .trainingFraction)
        try c.encode(starts, forKey: .starts)
        try c.encode(model, forKey: .model)
        try c.encode(train, forKey: .train)
        try c.encode(trainingSample, forKey: .trainingSample)
        try c.encode(totalScore, forKey: .totalScore)
        try c.encode(tasks, forKey: .tasks)
        try c.encode(seconds, forKey: .seconds)
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}

extension GoalDirectedTaskResult: Encodable {
    enum Keys: String, CodingKey {
        case name, key, score, topMeans = "top_means", molecules, oracleCalls = "oracle_calls", trainingCalls = "training_calls"
        case decoded = "latent_points_decoded", starts, seconds, error, note
    }

    struct TopMean: Encodable {
        let count: Int
        let weight: Double
        let mean: Double
    }

    struct Scored: Encodable {
        let smiles: String
        let score: Double
    }

    /// The task's contributions in its own order with their means (from the assessment).
    var topMeans: [TopMean] {
        guard let a = assessment else { return [] }
        return a.topMeans.sorted { $0.key.count != $1.key.count ? $0.key.count < $1.key.count : $0.key.weight < $1.key.weight }
            .map { TopMean(count: $0.key.count, weight: $0.key.weight, mean: $0.value) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(name, forKey: .name)
        try c.encode(key, forKey: .key)
        try c.encode(assessment?.score, forKey: .score)
        try c.encode(topMeans, forKey: .topMeans)
        try c.encode((assessment?.molecules ?? []).map { Scored(smiles: $0.smiles, score: $0.score) }, forKey: .molecules)
        try c.encode(oracleCalls, forKey: .oracleCalls)
        try c.encode(trainingCalls, forKey: .trainingCalls)
        try c.encode(decoded, forKey: .decoded)
        try c.encode(starts, forKey: .starts)
        try c.encode(seconds, forKey: .seconds)
        try c.encode(error, forKey: .error)
        try c.encode(note, forKey: .note)
    }
}
