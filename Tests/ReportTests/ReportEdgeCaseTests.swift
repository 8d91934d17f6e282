import Foundation
import Testing
@testable import MolVAE

/// Small sets whose metric values can be worked out by hand.
@Suite struct ReportEdgeCaseTests {
    func file(_ name: String, _ lines: [String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("molvae-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: path)
        return path
    }

    func report(_ generated: [String], train: [String]? = nil, test: [String]? = nil) throws -> QualityReport {
        QualityReport(
            generated: try EvaluatedSet(path: try file("gen.smi", generated), role: .generated, threads: 2),
            train: try train.map { try TrainingSet(path: try file("train.smi", $0), threads: 2) },
            test: try test.map { try EvaluatedSet(path: try file("test.smi", $0), role: .reference, threads: 2) },
            testScaffolds: nil, threads: 2)
    }

    @Test func duplicatesAndNonCanonicalFormsCountOnce() throws {
        // Four valid strings, two distinct molecules (benzene written two ways, ethanol twice).
        let r = try report(["c1ccccc1", "C1=CC=CC=C1", "CCO", "OCC"])
        #expect(r.value("valid")! == 1.0)
        #expect(r.value("unique@1k")! == 0.5)
        #expect(r.guacamol.uniqueness == 0.5)
        #expect(r.uniqueShortfalls["1000"] == 4)
    }

    @Test func invalidLinesAreCountedByReasonNotDropped() throws {
        let r = try report(["CCO", "C1CC", "C(C)(C)(C)(C)C", "c1cccc1", "CC(C"])
        #expect(r.value("valid")! == 0.2)
        #expect(r.invalid.total == 4)
        #expect(r.invalid.byReason == ["syntax": 2, "valence": 1, "aromaticity": 1])
        #expect(r.invalid.examples["syntax"]!.map(\.line) == [2, 5])
        #expect(r.guacamol.validity == 0.2)
    }

    /// Issue 18: `CéC` used to count as a valid `C`. Lines with foreign characters are syntax
    /// errors, and a line over the atom limit is invalid without RDKit's minutes of work.
    @Test func foreignCharactersAndHugeLinesAreInvalidNotOtherMolecules() throws {
        let huge = String(repeating: "C", count: 1_000_000)
        let clock = ContinuousClock()
        let started = clock.now
        let chain = String(repeating: "C", count: 4_000)
        let r = try report(["CCO", "CéC", "C€O", "CC→O", "c1ccccc1ñ", "CC\u{00A0}O", huge, chain])
        #expect(clock.now - started < .seconds(5))
        #expect(abs(r.value("valid")! - 1.0 / 8) < 1e-12)
        #expect(r.invalid.total == 7)
        #expect(r.invalid.byReason == ["syntax": 5, "other": 2])
        #expect(r.invalid.examples["syntax"]!.map(\.line) == [2, 3, 4, 5, 6])
        #expect(r.invalid.examples["other"]!.map(\.message) == ["SMILES longer than 20000 bytes (1000000)",
            "4000 atoms, over the limit of \(SMILESScreen.maximumAtoms) for RDKit work (set MOLVAE_MAX_ATOMS to raise it)"])
    }

    @Test func setIdenticalToTrainingSetHasNoNovelty() throws {
        let molecules = ["CCO", "c1ccccc1", "CC(=O)O", "CCN"]
        let r = try report(molecules, train: molecules, test: molecules)
        #expect(r.value("Novelty")! == 0)
        #expect(r.guacamol.novelty == 0)
        #expect(abs(r.value("SNN/Test")! - 1) < 1e-12)
        #expect(abs(r.value("Frag/Test")! - 1) < 1e-12)
        for name in ["logP", "SA", "QED", "weight"] { #expect(abs(r.value(name)!) < 1e-12, "\(name)") }
    }

    @Test func canonicalTrainingFormsGiveGuacaMolNoveltyButMosesComparesStrings() throws {
        // MOSES compares canonical generated SMILES with training strings as written;
        // GuacaMol canonicalizes the training set first.
        let r = try report(["c1ccccc1"], train: ["C1=CC=CC=C1"])
        #expect(r.value("Novelty")! == 1)
        #expect(r.guacamol.novelty == 0)
    }

    @Test func allInvalidInputGivesUndefinedMetricsNotACrash() throws {
        let r = try report(["C1CC", "XYZ"])
        #expect(r.value("valid")! == 0)
        #expect(r.value("unique@1k") == nil)
        #expect(r.value("IntDiv") == nil)
        #expect(try String(decoding: r.jsonData(), as: UTF8.self).contains("\"valid\" : 0"))
    }

    @Test func emptyOrMissingFilesAreClearErrors() throws {
        let empty = try file("empty.smi", [])
        #expect(throws: SMILESReadError.self) { try EvaluatedSet(path: empty, role: .generated, threads: 1) }
        do {
            _ = try EvaluatedSet(path: "/nonexistent/gen.smi", role: .generated, threads: 1)
            Issue.record("a missing file was accepted")
        } catch {
            #expect("\(error)".contains("/nonexistent/gen.smi"))
        }
    }

    @Test func htmlIsSelfContained() throws {
        let generatedPath = try file("gen.smi", ["CCO", "c1ccccc1O", "C1CC"])
        let generated = try EvaluatedSet(path: generatedPath, role: .generated, threads: 1)
        let test = ReferenceFile(try EvaluatedSet(path: try file("test.smi", ["CCN", "c1ccccc1"]), role: .reference, threads: 1))
        let r = QualityReport(generated: generated, train: nil, test: test, testScaffolds: nil, threads: 1)
        let html = ReportPage(report: r, generated: generated, test: test).html()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.components(separatedBy: "<svg").count - 1 >= 4 + 2)  // 4 histograms, 2 depictions
        // Nothing loaded from elsewhere: no external sources, stylesheets or scripts.
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("@import"))
        #expect(!html.contains("<script"))
        #expect(html.contains("MOSES VAE") && html.contains("MOSES CharRNN"))
        #expect(html.contains("C1CC"))  // the invalid example is listed
    }
}

extension QualityReport {
    /// A MOSES metric, nil when absent or undefined.
    func value(_ name: String) -> Double? { moses[name] ?? nil }
}
