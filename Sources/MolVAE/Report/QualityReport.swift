import Foundation

/// The whole result of `molvae report`: every metric under a stable name, the inputs with
/// their sha256 and counts, and the invalid lines grouped by reason. Encoded as JSON with
/// sorted keys so that two reports diff cleanly.
public struct QualityReport: Codable, Sendable {
    public struct Input: Codable, Sendable {
        public let role: String
        public let path: String
        public let sha256: String
        public let lines: Int
        public let valid: Int
    }

    public struct InvalidSummary: Codable, Sendable {
        public let total: Int
        public let byReason: [String: Int]
        /// Up to five example lines per reason.
        public let examples: [String: [EvaluatedSet.InvalidLine]]
    }

    public let tool: String
    public let version: String
    public let inputs: [Input]
    /// MOSES metric name → value (null for NaN, as JSON has no NaN).
    public let moses: [String: Double?]
    /// unique@k computed on fewer than k valid molecules: k → molecules available.
    public let uniqueShortfalls: [String: Int]
    public let guacamol: GuacaMolMetrics
    /// FCD against each reference ("Test", "TestSF"), with the molecule counts and, when
    /// undefined, why; the values also appear in `moses` as FCD/Test and FCD/TestSF.
    public let fcd: [String: FCDValue]
    public let invalid: InvalidSummary
    public let seconds: Double
    /// Seconds per stage: reading and scoring each input, the metrics, the similarity work.
    public let timings: [String: Double]

    /// `guacamolSamples` and `guacamolSeed` set GuacaMol's KL benchmark (`GuacaMolKLDivergence`),
    /// computed only with a training set, its reference. A caller that computed that benchmark
    /// already (shared over the ranks of an mpirun job) passes it as `guacamolKL`, with its
    /// seconds in `timings["guacamol_kl"]`, then a stage of its own.
    public init(generated: EvaluatedSet, train: TrainingSet?, test: ReferenceFile?, testScaffolds: ReferenceFile?,
                fcd: [String: FCDValue] = [:], threads: Int, timings: [String: Double] = [:],
                guacamolSamples: Int = GuacaMolKLDivergence.defaultSamples,
                guacamolSeed: UInt32 = GuacaMolKLDivergence.defaultSeed, guacamolFCD: GuacaMolFCD? = nil,
                guacamolKL: GuacaMolKLDivergence? = nil) {
        let started = ContinuousClock.now
        tool = "molvae"
        version = MolVAEVersion.current
        var inputs = [Input(role: "generated", path: generated.path, sha256: generated.sha256,
                            lines: generated.lineCount, valid: generated.valid.count)]
        if let train {
            inputs.append(Input(role: "train", path: train.path, sha256: train.sha256, lines: train.lineCount, valid: train.validCount))
        }
        for (role, set) in [("test", test), ("test_scaffolds", testScaffolds)] {
            if let set {
                inputs.append(Input(role: role, path: set.path, sha256: set.sha256, lines: set.lineCount, valid: set.validCount))
            }
        }
        self.inputs = inputs

        let metrics = MosesMetrics(lineCount: generated.lineCount, valid: generated.valid, train: train?.raw,
                                   test: test?.statistics, testScaffolds: testScaffolds?.statistics, threads: threads)
        var moses = Dictionary(uniqueKeysWithValues: metrics.values.map { ($0.name, $0.value.isNaN ? nil : $0.value) })
        for (suffix, value) in fcd { moses["FCD/\(suffix)"] = value.value }
        self.moses = moses
        self.fcd = fcd
        uniqueShortfalls = Dictionary(uniqueKeysWithValues: metrics.uniqueShortfalls.map { ("\($0.k)", $0.available) })
        var guacamol = GuacaMolMetrics(lineCount: generated.lineCount, validCanonical: generated.valid.map(\.canonicalSMILES),
                                       canonicalTrain: train?.canonical)
        let klStarted = ContinuousClock.now
        let computesKL = train != nil && guacamolKL == nil
        guacamol.klDivergence = guacamolKL ?? train.map {
            GuacaMolKLDivergence(generatedCanonical: generated.valid.map(\.canonicalSMILES), training: $0.smiles,
                                 samples: guacamolSamples, seed: guacamolSeed, threads: threads)
        }
        let klSeconds = computesKL ? MolVAE.seconds(since: klStarted) : nil
        guacamol.fcd = guacamolFCD
        self.guacamol = guacamol

        var examples: [String: [EvaluatedSet.InvalidLine]] = [:]
        for line in generated.invalid where examples[line.reason.rawValue, default: []].count < 5 {
            examples[line.reason.rawValue, default: []].append(line)
        }
        invalid = InvalidSummary(total: generated.invalid.count,
                                 byReason: Dictionary(uniqueKeysWithValues: generated.invalidCounts.map { ($0.key.rawValue, $0.value) }),
                                 examples: examples)
        var timings = timings
        timings["metrics"] = MolVAE.seconds(since: started)
        timings["similarity"] = metrics.similaritySeconds
        if computesKL { timings["guacamol_kl"] = klSeconds }  // part of "metrics", like "similarity"
        self.timings = timings
        seconds = timings.values.reduce(0, +) - metrics.similaritySeconds - (klSeconds ?? 0)
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}
