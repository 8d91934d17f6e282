/// Published GuacaMol v2 goal-directed results, shown beside a `molvae benchmark guacamol` run.
///
/// Source: Brown, Fiscato, Segler, Vaucher, "GuacaMol: Benchmarking Models for de Novo Molecular
/// Design", J. Chem. Inf. Model. 59 (2019) 1096–1108, the table of goal-directed benchmark
/// results (the same numbers as the benchmarks page, https://www.benevolent.com/guacamol).
/// Models were given ChEMBL 24 training data and no limit on oracle calls. Transcription check:
/// each column sums to the published total (Best of dataset 12.144, SMILES LSTM 17.341,
/// SMILES GA 14.398, Graph GA 17.983, Graph MCTS 9.011; checked by
/// `GoalDirectedBenchmarkTests.publishedColumnsSumToTheirTotals`). The per-task figures were
/// entered without the table's text at hand (the search did not reach it); the column sums are
/// the check. Compare them with the paper once more before publishing a comparison.
public enum PublishedGuacaMolResults {
    public static let models = ["Best of dataset", "SMILES LSTM", "SMILES GA", "Graph GA", "Graph MCTS"]
    public static let totals: [String: Double] = ["Best of dataset": 12.144, "SMILES LSTM": 17.341, "SMILES GA": 14.398,
                                                  "Graph GA": 17.983, "Graph MCTS": 9.011]

    /// One task: GuacaMol's name and one score per model, in `models` order.
    public struct Row: Sendable {
        public let name: String
        public let scores: [Double]

        /// The command-line key: lower case, words joined by '-' ("Deco Hop" → "deco-hop").
        public var key: String { name.lowercased().split(separator: " ").joined(separator: "-") }

        public func score(_ model: String) -> Double? { models.firstIndex(of: model).map { scores[$0] } }
    }

    public static let rows: [Row] = [
        Row(name: "Celecoxib rediscovery", scores: [0.505, 1.000, 0.732, 1.000, 0.355]),
        Row(name: "Troglitazone rediscovery", scores: [0.419, 1.000, 0.515, 1.000, 0.311]),
        Row(name: "Thiothixene rediscovery", scores: [0.456, 1.000, 0.598, 1.000, 0.311]),
        Row(name: "Aripiprazole similarity", scores: [0.595, 1.000, 0.834, 1.000, 0.380]),
        Row(name: "Albuterol similarity", scores: [0.719, 1.000, 0.907, 1.000, 0.749]),
        Row(name: "Mestranol similarity", scores: [0.629, 1.000, 0.790, 1.000, 0.402]),
        Row(name: "C11H24", scores: [0.684, 0.993, 0.829, 0.971, 0.410]),
        Row(name: "C9H10N2O2PF2Cl", scores: [0.747, 0.879, 0.889, 0.982, 0.631]),
        Row(name: "Median molecules 1", scores: [0.334, 0.438, 0.334, 0.406, 0.225]),
        Row(name: "Median molecules 2", scores: [0.351, 0.422, 0.380, 0.432, 0.170]),
        Row(name: "Osimertinib MPO", scores: [0.839, 0.907, 0.886, 0.953, 0.784]),
        Row(name: "Fexofenadine MPO", scores: [0.817, 0.959, 0.931, 0.998, 0.695]),
        Row(name: "Ranolazine MPO", scores: [0.792, 0.855, 0.881, 0.920, 0.616]),
        Row(name: "Perindopril MPO", scores: [0.575, 0.808, 0.661, 0.792, 0.385]),
        Row(name: "Amlodipine MPO", scores: [0.696, 0.894, 0.722, 0.894, 0.533]),
        Row(name: "Sitagliptin MPO", scores: [0.509, 0.545, 0.689, 0.891, 0.458]),
        Row(name: "Zaleplon MPO", scores: [0.547, 0.669, 0.413, 0.754, 0.488]),
        Row(name: "Valsartan SMARTS", scores: [0.259, 0.978, 0.552, 0.990, 0.040]),
        Row(name: "Deco Hop", scores: [0.933, 0.996, 0.970, 1.000, 0.590]),
        Row(name: "Scaffold Hop", scores: [0.738, 0.998, 0.885, 1.000, 0.478]),
    ]

    /// The published row of a task, matched by GuacaMol name (case-insensitive) or key.
    public static func row(name: String, key: String) -> Row? {
        rows.first { $0.name.lowercased() == name.lowercased() || $0.key == key }
    }
}
