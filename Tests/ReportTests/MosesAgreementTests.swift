import Foundation
import Testing
@testable import MolVAE

/// The fixture and its expected values come from `scripts/make-report-fixture`, which runs
/// MOSES's own Python code (molsets 0.3.1, RDKit 2022.09) on the same files.
@Suite struct MosesAgreementTests {
    struct Expected: Decodable {
        let moses: [String: Double]
        let guacamol: [String: Double]
        let lines: Int
        let valid: Int
    }

    static let folder = Bundle.module.url(forResource: "Fixtures/moses-agreement", withExtension: nil)!

    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @Test func everyMetricEqualsMosesPython() throws {
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: Self.folder.appendingPathComponent("expected.json")))
        let generated = try EvaluatedSet(path: Self.path("generated.smi"), role: .generated, threads: 2)
        let report = QualityReport(
            generated: generated,
            train: try TrainingSet(path: Self.path("train.smi"), threads: 2),
            test: try EvaluatedSet(path: Self.path("test.smi"), role: .reference, threads: 2),
            testScaffolds: try EvaluatedSet(path: Self.path("test_scaffolds.smi"), role: .reference, threads: 2),
            threads: 2)

        #expect(generated.lineCount == expected.lines)
        #expect(generated.valid.count == expected.valid)
        #expect(Set(report.moses.keys) == Set(expected.moses.keys))
        for (name, value) in expected.moses {
            let ours = try #require(report.moses[name] ?? nil, "\(name) missing")
            #expect(abs(ours - value) <= 1e-3, "\(name): ours \(ours), MOSES \(value)")
        }
        #expect(abs(report.guacamol.validity - expected.guacamol["validity"]!) <= 1e-9)
        #expect(abs(report.guacamol.uniqueness - expected.guacamol["uniqueness"]!) <= 1e-9)
        #expect(abs(report.guacamol.novelty! - expected.guacamol["novelty"]!) <= 1e-9)
        // Every invalid line is accounted for, with a reason.
        #expect(report.invalid.total + generated.valid.count == generated.lineCount)
        #expect(report.invalid.byReason.values.reduce(0, +) == report.invalid.total)
    }
}
