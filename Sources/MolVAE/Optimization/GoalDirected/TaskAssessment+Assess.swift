extension GoalDirectedTask {
    /// The task's score on a generator's molecules, as `GoalDirectedBenchmark.assess_model` does
    /// after generation: each SMILES canonicalised without stereo (`canonicalize_list(...,
    /// include_stereocenters=False)`: SMILES RDKit cannot parse are dropped, repeats removed
    /// keeping the first), scored by the task's objective on the canonical SMILES (a molecule it
    /// cannot score counts as GuacaMol's −1), missing molecules counted as 0 up to
    /// `moleculesRequested`, then `compute_global_score` of the contributions. The molecules come
    /// back best first (score, then SMILES, both descending, as GuacaMol sorts them).
    public func assess(_ smiles: [String]) -> TaskAssessment {
        var canonical: [String] = []
        var seen = Set<String>()
        for s in smiles {
            guard let molecule = try? Molecule(smiles: s) else { continue }
            let flat = molecule.flatCanonicalSMILES
            if seen.insert(flat).inserted { canonical.append(flat) }
        }
        let scores = canonical.map { s in
            (try? Molecule(smiles: s)).flatMap { scoring.score($0) } ?? GuacaMolScore.corrupt
        }
        var padded = scores
        if canonical.count < moleculesRequested {
            padded += Array(repeating: 0.0, count: moleculesRequested - canonical.count)
        }
        let (score, topMeans) = GoalDirectedTask.globalScore(contributions, padded)
        let molecules = zip(canonical, scores)
            .map { TaskAssessment.ScoredMolecule(smiles: $0, score: $1) }
            .sorted { a, b in
                a.score != b.score ? a.score > b.score : Array(b.smiles.utf8).lexicographicallyPrecedes(Array(a.smiles.utf8))
            }
        return TaskAssessment(score: score, topMeans: topMeans, molecules: molecules)
    }

    /// `compute_global_score(specification, scores)`: per contribution the mean of the best
    /// `count` scores (summed best first, divided by `count`), then their weighted mean.
    public static func globalScore(_ contributions: [TopCountContribution], _ scores: [Double])
        -> (score: Double, topMeans: [TopCountContribution: Double]) {
        let sorted = scores.sorted(by: >)
        var global = 0.0
        var topMeans: [TopCountContribution: Double] = [:]
        for contribution in contributions {
            var sum = 0.0
            for s in sorted.prefix(contribution.count) { sum += s }
            let mean = sum / Double(contribution.count)
            topMeans[contribution] = mean
            global += mean * contribution.weight
        }
        global /= contributions.reduce(0.0) { $0 + $1.weight }
        return (global, topMeans)
    }
}
