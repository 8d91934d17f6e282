import Foundation
import Testing
@testable import MolVAE

@Suite struct ReaderTests {
    static let namedRecords = [
        SMILESRecord(lineNumber: 2, smiles: "CCO", name: "ethanol"),
        SMILESRecord(lineNumber: 4, smiles: "c1ccccc1", name: "benzene ring"),
        SMILESRecord(lineNumber: 6, smiles: "CC(=O)O", name: "acetic acid"),
        SMILESRecord(lineNumber: 7, smiles: "C[C@@H](N)C(=O)O", name: nil),
    ]

    /// Header and blank lines are skipped, names follow whitespace, line numbers are physical;
    /// compression is found from the bytes whatever the extension says.
    @Test(arguments: [
        ("named.smi", false), ("named.smi.gz", true), ("actually-gzip.smi", true), ("actually-plain.smi.gz", false),
    ])
    func readsSMIWithNames(file: String, compressed: Bool) throws {
        let reader = try SMILESReader(path: TestPaths.fixture(file))
        var records: [SMILESRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records == Self.namedRecords)
        #expect(reader.isGzipCompressed == compressed)
        #expect(reader.format == .smi)
    }

    @Test func stripsCRLFAndByteOrderMark() throws {
        let records = try SMILESReader.readAll(path: TestPaths.fixture("crlf.smi"))
        #expect(records == [SMILESRecord(lineNumber: 1, smiles: "CCO", name: "first"), SMILESRecord(lineNumber: 2, smiles: "CCN", name: "second")])
    }

    static let quotedRecords = [
        SMILESRecord(lineNumber: 2, smiles: "CCO", name: "mol-1"),
        SMILESRecord(lineNumber: 3, smiles: "c1ccccc1", name: "mol, 2"),
        SMILESRecord(lineNumber: 4, smiles: "Cl/C=C/Br", name: "mol-3"),
        SMILESRecord(lineNumber: 6, smiles: "[NH4+].[Cl-]", name: "mol-4"),
    ]

    @Test(arguments: ["quoted.csv", "quoted.csv.gz"])
    func readsQuotedCSVByColumnName(file: String) throws {
        let reader = try SMILESReader(path: TestPaths.fixture(file))
        var records: [SMILESRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records == Self.quotedRecords)
        #expect(reader.format == .csv)
        #expect(reader.isGzipCompressed == file.hasSuffix(".gz"))
    }

    @Test func splitsQuotedFieldsWithCommasAndDoubledQuotes() {
        let line = Array(#"a,"b, c","say ""hi""",,"x""y" ,z"#.utf8)
        let fields = line.withUnsafeBufferPointer { CSVFields.split($0, delimiter: UInt8(ascii: ",")) }
        #expect(fields == ["a", "b, c", #"say "hi""#, "", #"x"y "#, "z"])
    }

    @Test func detectsCSVContentInTextFile() throws {
        let reader = try SMILESReader(path: TestPaths.fixture("csv-content.txt"))
        var records: [SMILESRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(reader.format == .csv)
        #expect(records == [SMILESRecord(lineNumber: 2, smiles: "O", name: "water"), SMILESRecord(lineNumber: 3, smiles: "C", name: "methane")])
    }

    @Test func readsTSVWithIdentifierColumn() throws {
        let records = try SMILESReader.readAll(path: TestPaths.fixture("molecules.tsv"))
        #expect(records == [SMILESRecord(lineNumber: 2, smiles: "CCO", name: "ZINC1"), SMILESRecord(lineNumber: 3, smiles: "c1ccncc1", name: "ZINC2")])
    }

    @Test func decodesInvalidUTF8LossilyAndCountsIt() throws {
        let reader = try SMILESReader(path: TestPaths.fixture("invalid-utf8.smi"))
        var records: [SMILESRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records.map(\.smiles) == ["CCO", "C\u{FFFD}\u{FFFD}C", "CCN"])
        #expect(records[0].name == "caf\u{FFFD}")
        #expect(reader.invalidUTF8Lines == 2)
    }

    @Test func recordsCarryRawByteIssuesAndCanKeepBlankLines() throws {
        let records = try SMILESReader.readAll(path: TestPaths.fixture("invalid-utf8.smi"))
        #expect(records.map(\.issue) == [.invalidUTF8, .invalidUTF8, nil])

        let blank = try SMILESReader(path: TestPaths.fixture("blank-lines.smi"), blankLines: .keep)
        var kept: [SMILESRecord] = []
        while let record = try blank.next() { kept.append(record) }
        #expect(kept.map(\.lineNumber) == [1, 2, 3])
        #expect(kept.allSatisfy { $0.smiles.isEmpty && $0.issue == .blankLine })

        let folder = NSTemporaryDirectory() + "molvae-reader-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write(Data([0x43, 0x00, 0x4F, 0x20, 0x6E, 0x0A, 0x0A, 0x43, 0x43]), to: folder + "/nul.smi")
        let nul = try SMILESReader(path: folder + "/nul.smi", blankLines: .keep)
        var lines: [SMILESRecord] = []
        while let record = try nul.next() { lines.append(record) }
        #expect(lines.map(\.issue) == [.nulByte, .blankLine, nil])
        #expect(lines.map(\.smiles) == ["C\u{0}O", "", "CC"])
    }

    @Test func readsInBatches() throws {
        let reader = try SMILESReader(path: TestPaths.fixture("named.smi"))
        #expect(try reader.nextBatch(maxCount: 3).count == 3)
        #expect(try reader.nextBatch(maxCount: 3).map(\.lineNumber) == [7])
        #expect(try reader.nextBatch(maxCount: 3).isEmpty)
    }

    @Test func handlesLinesLongerThanTheBuffer() throws {
        let folder = try TestPaths.temporaryFolder()
        let long = String(repeating: "C", count: 200_000)
        try AtomicFile.write("CCO\n\(long) long\nCCN", to: folder + "/long.smi")
        let records = try SMILESReader.readAll(path: folder + "/long.smi")
        #expect(records.map(\.smiles) == ["CCO", long, "CCN"])
        #expect(records.map(\.lineNumber) == [1, 2, 3])
    }

    /// Pipes (like stdin) cannot be peeked at for the magic bytes; zlib still detects gzip.
    @Test(arguments: [false, true])
    func readsFromAPipe(compressed: Bool) throws {
        let folder = try TestPaths.temporaryFolder()
        let pipe = folder + "/pipe"
        #expect(mkfifo(pipe, 0o600) == 0)
        let text = "CCO ethanol\nc1ccccc1\n"
        let payload = compressed ? try gzip(text) : Data(text.utf8)
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: pipe)!
            handle.write(payload)
            try? handle.close()
        }
        writer.start()
        let reader = try SMILESReader(path: pipe)
        var records: [SMILESRecord] = []
        while let record = try reader.next() { records.append(record) }
        #expect(records == [SMILESRecord(lineNumber: 1, smiles: "CCO", name: "ethanol"), SMILESRecord(lineNumber: 2, smiles: "c1ccccc1")])
        #expect(reader.isGzipCompressed == compressed)
    }

    // MARK: - Errors name the file (and line)

    @Test func missingFileIsAnOpenError() {
        let path = TestPaths.fixture("no-such-file.smi")
        let error = #expect(throws: SMILESReadError.self) { try SMILESReader(path: path) }
        guard case .cannotOpen(let reason)? = error?.kind else { Issue.record("wrong kind: \(String(describing: error))"); return }
        #expect(reason.contains("No such file"))
        #expect(error?.description.contains(path) == true)
    }

    @Test func directoryIsAnOpenError() {
        let path = TestPaths.fixture("")
        let error = #expect(throws: SMILESReadError.self) { try SMILESReader(path: path) }
        #expect(error?.kind == .cannotOpen(reason: "is a directory"))
    }

    @Test(arguments: ["empty.smi", "blank-lines.smi", "header-only.csv"])
    func emptyFileIsAnError(file: String) {
        let path = TestPaths.fixture(file)
        let error = #expect(throws: SMILESReadError.self) { _ = try SMILESReader.readAll(path: path) }
        #expect(error?.kind == .empty)
        #expect(error?.description.contains(file) == true)
        #expect(error?.description.contains("empty") == true)
    }

    @Test func csvWithoutSMILESColumnIsAnError() {
        let path = TestPaths.fixture("no-smiles-column.csv")
        let error = #expect(throws: SMILESReadError.self) { _ = try SMILESReader.readAll(path: path) }
        #expect(error?.kind == .noSMILESColumn(header: ["id", "structure", "weight"]))
        #expect(error?.line == 1)
        #expect(error?.description.contains("no-smiles-column.csv:1") == true)
        #expect(error?.description.contains("structure") == true)
    }

    @Test func truncatedGzipIsAReadError() throws {
        let folder = try TestPaths.temporaryFolder()
        // A large enough stream that truncation lands in compressed data, not the header.
        let text = (0..<20_000).map { "C\(String(repeating: "C", count: $0 % 40))O \($0)" }.joined(separator: "\n")
        let gzipped = try gzip(text)
        try AtomicFile.write(gzipped.prefix(gzipped.count / 2), to: folder + "/cut.smi.gz")
        let error = #expect(throws: SMILESReadError.self) { _ = try SMILESReader.readAll(path: folder + "/cut.smi.gz") }
        guard case .readFailed(let reason)? = error?.kind else { Issue.record("wrong kind: \(String(describing: error))"); return }
        // zlib's name for the descriptor (`<fd:3>`) is not shown; the file is.
        #expect(!reason.contains("<fd:") && !reason.isEmpty, "\(reason)")
        #expect(error?.description.hasPrefix(folder + "/cut.smi.gz:") == true)
    }
}
