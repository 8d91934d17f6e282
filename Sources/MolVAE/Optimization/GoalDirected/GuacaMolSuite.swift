/// GuacaMol's goal-directed benchmark suites (`guacamol/benchmark_suites.py`, guacamol 0.5.5),
/// built from the definitions of `guacamol/standard_benchmarks.py`.
public enum GuacaMolSuite {
    /// `goal_directed_suite_v2()`: the 20 tasks, in the package's order.
    public static func v2() throws -> [GoalDirectedTask] {
        [
            // explicit rediscovery
            try similarity("CC1=CC=C(C=C1)C1=CC(=NN1C1=CC=C(C=C1)S(N)(=O)=O)C(F)(F)F", name: "Celecoxib",
                           fingerprint: .ecfp4, threshold: 1.0, rediscovery: true),
            try similarity("Cc1c(C)c2OC(C)(COc3ccc(CC4SC(=O)NC4=O)cc3)CCc2c(C)c1O", name: "Troglitazone",
                           fingerprint: .ecfp4, threshold: 1.0, rediscovery: true),
            try similarity("CN(C)S(=O)(=O)c1ccc2Sc3ccccc3C(=CCCN4CCN(C)CC4)c2c1", name: "Thiothixene",
                           fingerprint: .ecfp4, threshold: 1.0, rediscovery: true),
            // generate similar stuff
            try similarity("Clc4cccc(N3CCN(CCCCOc2ccc1c(NC(=O)CC1)c2)CC3)c4Cl", name: "Aripiprazole",
                           fingerprint: .ecfp4, threshold: 0.75),
            try similarity("CC(C)(C)NCC(O)c1ccc(O)c(CO)c1", name: "Albuterol", fingerprint: .fcfp4, threshold: 0.75),
            try similarity("COc1ccc2[C@H]3CC[C@@]4(C)[C@@H](CC[C@@]4(O)C#C)[C@@H]3CCc2c1", name: "Mestranol",
                           fingerprint: .atomPairs, threshold: 0.75),
            // isomers
            isomers("C11H24", count: 159),
            isomers("C9H10N2O2PF2Cl", count: 250),
            // median molecules
            try GuacaMolTasks.medianCamphorMenthol(),
            try GuacaMolTasks.medianTadalafilSildenafil(),
            // all other MPOs
            try GuacaMolTasks.osimertinib(),
            try GuacaMolTasks.fexofenadine(),
            try GuacaMolTasks.ranolazine(),
            try GuacaMolTasks.perindopril(),
            try GuacaMolTasks.amlodipine(),
            try GuacaMolTasks.sitagliptin(),
            try GuacaMolTasks.zaleplon(),
            try GuacaMolTasks.valsartanSMARTS(),
            try GuacaMolTasks.decorationHop(),
            try GuacaMolTasks.scaffoldHop(),
        ]
    }

    /// `similarity(smiles, name, fp_type, threshold, rediscovery)`: "<name> rediscovery" (top 1)
    /// or "<name> similarity" (top 1, 10, 100), Tanimoto clipped at `threshold`.
    public static func similarity(_ smiles: String, name: String, fingerprint: SimilarityFingerprint,
                                  threshold: Double = 0.7, rediscovery: Bool = false) throws -> GoalDirectedTask {
        let category = rediscovery ? "rediscovery" : "similarity"
        return GoalDirectedTask(
            name: "\(name) \(category)", key: "\(name.lowercased())-\(category)",
            scoring: try TanimotoScoring(target: smiles, fingerprint: fingerprint, modifier: .clipped(upperX: threshold)),
            contributions: rediscovery ? uniform(1) : uniform(1, 10, 100))
    }

    /// `isomers_c11h24()` and the like: the formula's isomers, `count` of them scored.
    public static func isomers(_ formula: String, count: Int) -> GoalDirectedTask {
        GoalDirectedTask(name: formula, key: "isomers-\(formula.lowercased())",
                         scoring: IsomerScoring(formula: formula), contributions: uniform(count))
    }

    /// `uniform_specification(*top_counts)`: weight 1 each.
    public static func uniform(_ counts: Int...) -> [TopCountContribution] {
        counts.map { TopCountContribution(count: $0, weight: 1.0) }
    }
}
