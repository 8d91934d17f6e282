import Foundation
import Testing
@testable import MolVAE

/// Lines that must become invalid rows with a reason: no crash, no RDKit output.
let badLines: [(bytes: [UInt8], reason: String)] = {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("CNO()[]=#@123456789%cnos+-".utf8)
    let garbage = (0..<100_000).map { _ in alphabet.randomElement(using: &generator)! }
    let shortGarbage = (0..<15_000).map { _ in alphabet.randomElement(using: &generator)! }
    return [
        (Array("".utf8), "empty"),
        (Array("   \t ".utf8), "empty"),
        (garbage, "longer than"),
        (shortGarbage, ""),
        (Array("CC".utf8) + [0] + Array("O".utf8), "NUL"),
        (Array("C".utf8) + [0xFF, 0xFE] + Array("C".utf8), "UTF-8"),
        (Array("C1CC".utf8), "could not parse the SMILES: unclosed ring"),
        (Array("CC(C".utf8), "could not parse the SMILES: extra open parentheses"),
        (Array("CC)C".utf8), "could not parse the SMILES: extra close parentheses"),
        (Array("C11".utf8), "could not parse the SMILES: duplicated ring closure 1 bonds atom 0 to itself"),
        (Array("C(C)(C)(C)(C)C".utf8), "valence"),
        (Array("c1cccc1".utf8), "kekulize"),
        (Array("[Zz]".utf8), "could not parse the SMILES: syntax error"),
    ]
}()

@Suite struct BadInputTests {
    @Test func badLinesAreInvalidWithReasons() {
        let results = BatchScoring.score(bytes: badLines.map(\.bytes), threads: 2)
        #expect(results.count == badLines.count)
        for (result, line) in zip(results, badLines) {
            #expect(!result.isValid)
            #expect(result.canonicalSMILES == nil)
            let reason = result.error ?? ""
            #expect(!reason.isEmpty)
            if !line.reason.isEmpty { #expect(reason.contains(line.reason), "\(reason)") }
        }
    }

    @Test func parseMessagesStayWithTheirInputAcrossThreads() {
        // RDKit logs syntax errors into one stream; the shim keeps each thread's text apart.
        let inputs = [("C1CC", "unclosed ring"), ("CC(C", "extra open parentheses"), ("CCX", "syntax error"),
                      ("CC)C", "extra close parentheses"), ("CCO", "")]
        let lines = (0..<3_000).map { inputs[($0 * 7) % inputs.count] }
        let results = BatchScoring.score(bytes: lines.map { Array($0.0.utf8) }, threads: 2)
        for (result, line) in zip(results, lines) {
            if line.1.isEmpty {
                #expect(result.isValid)
            } else {
                #expect(result.error == "RDKit could not parse the SMILES: \(line.1)", "\(line.0)")
            }
        }
    }

    @Test func largeMoleculesAreScored() throws {
        let chain = String(repeating: "C", count: 500)
        let rings = String(repeating: "c1ccc(cc1)", count: 80) + "C"  // 481 atoms, 80 rings
        for smiles in [chain, rings] {
            let result = BatchScoring.score(smiles)
            #expect(result.isValid, "\(result.error ?? "")")
            #expect((result.properties?.heavyAtomCount ?? 0) > 480)
        }
    }

    @Test func rdkitPrintsNothingOnBadInput() throws {
        // Control: with RDKit's loggers on, the same inputs do produce noise the check detects.
        RDKitLogging.setEnabled(true)
        let noisy = capturingStandardError {
            _ = BatchScoring.score(bytes: badLines.map(\.bytes), threads: 1)
        }
        RDKitLogging.setEnabled(false)
        #expect(containsRDKitNoise(noisy), "control failed: logging on but nothing captured")

        let quiet = capturingStandardError {
            _ = BatchScoring.score(bytes: badLines.map(\.bytes), threads: 2)
            _ = try? StructuralFilters(patterns: [.init(name: "bad", smarts: "[C")])
        }
        #expect(!containsRDKitNoise(quiet), "RDKit wrote to stderr: \(quiet.prefix(300))")
    }

    @Test func badSMARTSIsAnErrorNamingIt() {
        #expect {
            try StructuralFilters(patterns: [.init(name: "ok", smarts: "c1ccccc1"), .init(name: "bad", smarts: "[C")])
        } throws: { "\($0)".contains("[C") }
    }
}
