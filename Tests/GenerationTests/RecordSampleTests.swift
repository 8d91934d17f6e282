import Foundation
import Testing
@testable import MolVAE

@Suite struct RecordSampleTests {
    static func file(lines: Int) throws -> String {
        try temporaryFile("sample.smi", (0..<lines).map { "C\(String(repeating: "C", count: $0 % 7)) m\($0)" }.joined(separator: "\n"))
    }

    @Test func smallFilesAreTakenWhole() throws {
        let path = try Self.file(lines: 10)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (records, total) = try RecordSample.draw(path: path, n: 10, seed: 1)
        #expect(total == 10 && records.map(\.lineNumber) == Array(1...10))
    }

    /// A sample of 50 of 1,000 lines: the right size, in file order, without repeats, seeded,
    /// and spread over the whole file (each half holds about half of it, over many seeds).
    @Test func largeFilesAreSampledUniformlyInFileOrder() throws {
        let path = try Self.file(lines: 1000)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (a, total) = try RecordSample.draw(path: path, n: 50, seed: 3)
        #expect(total == 1000 && a.count == 50)
        #expect(a.map(\.lineNumber) == a.map(\.lineNumber).sorted() && Set(a.map(\.lineNumber)).count == 50)
        #expect(try RecordSample.draw(path: path, n: 50, seed: 3).records == a)
        #expect(try RecordSample.draw(path: path, n: 50, seed: 4).records != a)
        var firstHalf = 0
        for seed in 0..<40 as Range<UInt64> {
            firstHalf += try RecordSample.draw(path: path, n: 50, seed: seed).records.filter { $0.lineNumber <= 500 }.count
        }
        // 2,000 draws, each in the first half with probability 1/2: sd ≈ 22 (less without replacement).
        #expect(abs(firstHalf - 1000) < 100, "\(firstHalf) of 2000 in the first half")
    }

    @Test func aMissingFileIsNamed() {
        #expect { try RecordSample.draw(path: "/nonexistent/x.smi", n: 5, seed: 0) } throws: { "\($0)".contains("/nonexistent/x.smi") }
    }
}

@Suite struct ScoreCSVTests {
    @Test func failuresKeepTheirRowWithTheReason() {
        let record = SMILESRecord(lineNumber: 7, smiles: "CC,O")
        let row = ScoreCSV.row(record, failure: .unknownToken(token: "[Se]", canonical: "C[Se]C"))
        let fields = CSVFields.split(String(row.dropLast()))
        #expect(fields.count == 7)
        #expect(fields[0] == "CC,O" && fields[1...4].allSatisfy(\.isEmpty) && fields[5] == "7")
        #expect(fields[6].contains("unknown token \"[Se]\""))
        let scored = ScoreCSV.row(SMILESRecord(lineNumber: 2, smiles: "CCO"), score: .init(recon: 10, kl: 2.5), zScore: -1.25)
        #expect(scored == "CCO,12.5,10.0,2.5,-1.25,2,\n")
        #expect(ScoreCSV.header.split(separator: ",").count == 7)
    }
}
