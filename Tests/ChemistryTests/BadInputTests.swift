import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

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

    /// The switch that keeps RDKit quiet, checked in this process by inputs RDKit echoes and no
    /// other test uses: Swift Testing runs suites in parallel, and anything another test writes
    /// to standard error meanwhile lands in the same capture, so only these markers are evidence.
    /// What a user sees on bad input, with no such crosstalk, is checked on the executable
    /// (CommandLineTests.badInputLeavesStandardErrorFreeOfRDKit). The switch is process-wide, so
    /// while the control runs, RDKit's complaints about other tests' inputs reach the log too.
    @Test func rdkitPrintsNothingWhenItsLoggingIsOff() throws {
        let smiles = "C1CCOCCSCCNCCPCCOCCSCC"  // unclosed ring: RDKit names the input
        let smarts = "[C;X4](OCCSCCPCCNCC)["    // syntax error: RDKit names the pattern
        func parseBoth() {
            #expect(!BatchScoring.score(smiles).isValid)
            #expect(throws: (any Error).self) { try StructuralFilters(patterns: [.init(name: "bad", smarts: smarts)]) }
        }
        // Control: with RDKit's loggers on, both inputs are echoed to standard error.
        RDKitLogging.setEnabled(true)
        let noisy = capturingStandardError(parseBoth)
        RDKitLogging.setEnabled(false)
        #expect(noisy.contains(smiles) && noisy.contains(smarts), "control failed: logging on but the inputs were not echoed")
        #expect(containsRDKitNoise(noisy), "RDKit's messages are no longer recognised: \(noisy.prefix(300))")

        let quiet = capturingStandardError(parseBoth)
        #expect(!quiet.contains(smiles) && !quiet.contains(smarts), "RDKit wrote to stderr: \(quiet.prefix(300))")
    }

    @Test func badSMARTSIsAnErrorNamingIt() {
        #expect {
            try StructuralFilters(patterns: [.init(name: "ok", smarts: "c1ccccc1"), .init(name: "bad", smarts: "[C")])
        } throws: { "\($0)".contains("[C") }
    }
}
