import Foundation
import Testing
@testable import MolVAE

/// The constrained benchmark's rule: the best reported molecule other than the start that
/// scores above it; 0 and failure when there is none.
@Suite struct ImprovementSummaryTests {
    static func start(_ smiles: String) throws -> StartMolecule {
        StartMolecule(input: smiles, source: "test", canonical: try Molecule(smiles: smiles).canonicalSMILES,
                      latent: LatentGaussian(mu: [0], logvar: [0]), properties: try Molecule(smiles: smiles).properties())
    }

    static func result(start: StartMolecule, startScore: Double, _ found: [(String, Double, Double)]) -> SearchResult {
        SearchResult(method: .gradient, start: start, startScore: startScore,
                     molecules: found.enumerated().map { FoundMolecule(smiles: $1.0, score: $1.1, similarity: $1.2, step: $0 + 1) },
                     oracleCalls: 10, validCalls: 9, distinctMolecules: found.count)
    }

    @Test func improvementExcludesTheStartAndWorseMolecules() throws {
        let a = try Self.start("CCO")
        // The start itself scores highest but does not count; 2.5 beats 2.0 (the start's score).
        let improved = Self.result(start: a, startScore: 2.0, [("CCO", 9.0, 1.0), ("CCN", 2.5, 0.5), ("CCC", 1.0, 0.7), ("CCCl", 2.2, 0.4)])
        #expect(improved.bestImprovement?.smiles == "CCN")
        #expect(improved.improvement == 0.5)
        // Nothing above the start: improvement 0, no success.
        let failed = Self.result(start: a, startScore: 2.0, [("CCO", 2.0, 1.0), ("CCC", 1.5, 0.6)])
        #expect(failed.bestImprovement == nil)
        #expect(failed.improvement == 0)

        let summary = ImprovementSummary([improved, failed])
        #expect(summary.starts == 2 && summary.successes == 1)
        #expect(summary.successRate == 0.5)
        #expect(abs(summary.meanImprovement - 0.25) < 1e-12)
        #expect(abs(summary.sdImprovement - 0.25) < 1e-12)       // population sd of {0.5, 0}
        #expect(summary.meanSimilarity == 0.5)                    // of the improved molecule only

        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sum-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try OptimizationSummaryCSV.write([improved, failed], to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines == [OptimizationSummaryCSV.header, "CCO,2,CCN,2.5,0.5,0.5,1,10,9,4", "CCO,2,,,0,,0,10,9,2"])
    }
}
