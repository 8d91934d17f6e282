// TEMPORARY STAND-IN — DELETE AT MERGE.
//
// The real `GuacaMolSuite.v2()` (GuacaMol's 20 goal-directed tasks) and
// `GoalDirectedTask.assess(_:)` are being written on the guac-score branch. Until they land,
// this file defines both names with three tasks built from what molvae already has, so that
// `molvae benchmark guacamol` and its tests can run. Nothing else may depend on anything in
// this file except those two names.
import Foundation

public enum GuacaMolSuite {
    /// Stand-in: three tasks. `celecoxib-rediscovery` and `aripiprazole-similarity` follow
    /// GuacaMol's definitions (Tanimoto on ECFP4, i.e. unhashed Morgan radius-2 counts; the
    /// similarity task thresholded linearly at 0.75 and scored on top 1, 10, 100); `qed` is
    /// GuacaMol's trivial QED task (top 1, 10, 100).
    public static func v2() throws -> [GoalDirectedTask] {
        let celecoxib = try StandInSimilarity(target: "Cc1ccc(-c2cc(C(F)(F)F)nn2-c2ccc(S(N)(=O)=O)cc2)cc1", threshold: 1)
        let aripiprazole = try StandInSimilarity(target: "Clc4cccc(N3CCN(CCCCOc2ccc1c(NC(=O)CC1)c2)CC3)c4Cl", threshold: 0.75)
        let top3 = [1, 10, 100].map { TopCountContribution(count: $0, weight: 1) }
        return [
            GoalDirectedTask(name: "Celecoxib rediscovery", key: "celecoxib-rediscovery", scoring: celecoxib,
                             contributions: [TopCountContribution(count: 1, weight: 1)]),
            GoalDirectedTask(name: "Aripiprazole similarity", key: "aripiprazole-similarity", scoring: aripiprazole, contributions: top3),
            GoalDirectedTask(name: "QED", key: "qed", scoring: StandInQED(), contributions: top3),
        ]
    }
}

private struct StandInSimilarity: MoleculeScoringFunction {
    let reference: SimilarityReference
    let threshold: Double

    init(target: String, threshold: Double) throws {
        reference = try SimilarityReference(molecule: try Molecule(smiles: target), measure: .counts)
        self.threshold = threshold
    }

    func score(_ molecule: Molecule) -> Double? {
        guard let s = try? reference.similarity(to: molecule) else { return nil }
        return min(s, threshold) / threshold
    }
}

private struct StandInQED: MoleculeScoringFunction {
    func score(_ molecule: Molecule) -> Double? { try? molecule.properties().qed }
}

extension GoalDirectedTask {
    /// Stand-in for GuacaMol's assess_model: canonical without stereo, de-duplicated, scored,
    /// padded with 0 to the largest top count, contributions combined as a weighted mean.
    public func assess(_ smiles: [String]) -> TaskAssessment {
        var seen = Set<String>()
        var molecules: [TaskAssessment.ScoredMolecule] = []
        for s in smiles {
            guard let m = try? Molecule(smiles: s) else { continue }
            let flat = m.flatCanonicalSMILES
            guard seen.insert(flat).inserted, let flatMolecule = try? Molecule(smiles: flat) else { continue }
            molecules.append(.init(smiles: flat, score: scoring.score(flatMolecule) ?? 0))
        }
        molecules.sort { $0.score != $1.score ? $0.score > $1.score : $0.smiles < $1.smiles }
        let scores = molecules.map(\.score)
        var topMeans: [TopCountContribution: Double] = [:]
        var total = 0.0, weights = 0.0
        for c in contributions {
            let top = Array(scores.prefix(c.count)) + [Double](repeating: 0, count: max(0, c.count - scores.count))
            let mean = top.reduce(0, +) / Double(max(1, c.count))
            topMeans[c] = mean
            total += c.weight * mean
            weights += c.weight
        }
        return TaskAssessment(score: weights > 0 ? total / weights : 0, topMeans: topMeans, molecules: molecules)
    }
}
