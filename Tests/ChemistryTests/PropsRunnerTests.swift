import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// `molvae props` end to end through the library entry point.
@Suite struct PropsRunnerTests {
    func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "molvae-props-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(name)"
    }

    func rows(of path: String) throws -> [[String]] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { CSVFields.split($0) }
    }

    @Test func badInputGivesOneRowPerLineWithReasons() throws {
        let input = temporaryPath("bad.smi")
        let output = temporaryPath("bad.csv")
        defer { unlink(input); unlink(output) }
        let good: [(String, String)] = [("CCO", "ethanol"), ("c1ccc2[nH]ccc2c1", "indole")]
        var bytes = Array("SMILES Name\n".utf8)  // header, skipped
        bytes += Array("\(good[0].0) \(good[0].1)\n".utf8)
        for line in badLines { bytes += line.bytes + [0x0A] }
        bytes += Array("\(good[1].0)\t\(good[1].1)".utf8)  // no final newline
        _ = FileManager.default.createFile(atPath: input, contents: Data(bytes))

        let summary = try PropsRunner.run(inputPath: input, outputPath: output, chunkSize: 5, threads: 2)
        #expect(summary.rows == badLines.count + 2)
        #expect(summary.validRows == 2)

        let table = try rows(of: output)
        #expect(table[0] == PropertyCSV.columns)
        let body = table.dropFirst()
        #expect(body.count == badLines.count + 2)
        for row in body { #expect(row.count == PropertyCSV.columns.count) }
        let column = { (name: String) in PropertyCSV.columns.firstIndex(of: name)! }
        let first = body.first!, last = body.last!
        #expect(first[column("name")] == "ethanol" && last[column("name")] == "indole")
        for (row, (smiles, _)) in zip([first, last], good) {
            let p = try Molecule(smiles: smiles).properties()
            #expect(row[column("valid")] == "1")
            #expect(row[column("canonical")] == (try Molecule(smiles: smiles).canonicalSMILES))
            #expect(Double(row[column("logp")]) == p.logP)
            #expect(Double(row[column("qed")]) == p.qed)
            #expect(Double(row[column("sa")]) == p.syntheticAccessibility)
            #expect(Double(row[column("plogp_norm")]) == p.normalizedPenalizedLogP)
            #expect(Int(row[column("hba")]) == p.hydrogenBondAcceptors)
            #expect(row[column("error")] == "")
        }
        for row in body.dropFirst().dropLast() {
            #expect(row[column("valid")] == "0")
            #expect(row[column("logp")] == "" && row[column("qed")] == "")
            #expect(!row[column("error")].isEmpty)
        }
    }

    @Test func gzippedCSVWithQuotedHeaderAndCRLF() throws {
        let output = temporaryPath("table.csv")
        defer { unlink(output) }
        let summary = try PropsRunner.run(inputPath: fixtureURL("props_table.csv.gz").path, outputPath: output)
        #expect(summary.rows == 5 && summary.validRows == 3)
        let body = try rows(of: output).dropFirst().map { ($0[0], $0[1], $0[2], $0.last!) }
        #expect(body.map(\.0) == ["CCO", "c1ccccc1", "C1CC", "", "CC(=O)O"])
        #expect(body.map(\.1) == ["a1", "a2", "a3", "a4", "a5"])
        #expect(body.map(\.2) == ["1", "1", "0", "0", "1"])
        #expect(body[3].3 == "no SMILES in the line")
    }

    @Test func chunkSizeDoesNotChangeOutput() throws {
        let input = fixtureURL("props_table.csv.gz").path
        let a = temporaryPath("a.csv"), b = temporaryPath("b.csv")
        defer { unlink(a); unlink(b) }
        _ = try PropsRunner.run(inputPath: input, outputPath: a, chunkSize: 1, threads: 2)
        _ = try PropsRunner.run(inputPath: input, outputPath: b, chunkSize: 4096, threads: 1)
        #expect(try String(contentsOfFile: a, encoding: .utf8) == String(contentsOfFile: b, encoding: .utf8))
    }

    @Test func missingInputIsOneClearErrorAndNoOutput() {
        let output = temporaryPath("never.csv")
        #expect {
            try PropsRunner.run(inputPath: "/nonexistent/molecules.smi", outputPath: output)
        } throws: { error in
            "\(error)".contains("/nonexistent/molecules.smi") && "\(error)".contains("No such file")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func csvQuotingRoundTrips() {
        let fields = ["plain", "a,b", "say \"hi\"", "", "x\ny"]
        let line = fields.map(CSV.escape).joined(separator: ",")
        #expect(line == "plain,\"a,b\",\"say \"\"hi\"\"\",,\"x\ny\"")
        #expect(CSVFields.split(fields.dropLast().map(CSV.escape).joined(separator: ",")) == Array(fields.dropLast()))
    }

    @Test func lineSourceReadsBytesAndGzip() throws {
        let path = temporaryPath("lines.txt")
        defer { unlink(path) }
        _ = FileManager.default.createFile(atPath: path, contents: Data([0x41, 0x0D, 0x0A, 0x00, 0xFF, 0x0A, 0x0A, 0x42]))
        let source = try LineSource(path: path, bufferSize: 64)
        var lines: [[UInt8]] = []
        while let line = try source.nextLine() { lines.append(line) }
        #expect(lines == [[0x41], [0x00, 0xFF], [], [0x42]])
        #expect(source.lineNumber == 4)

        let gz = try LineSource(path: fixtureURL("props_table.csv.gz").path)
        #expect(try gz.nextLine() == Array("id,\"SMILES\",note".utf8))
    }
}
