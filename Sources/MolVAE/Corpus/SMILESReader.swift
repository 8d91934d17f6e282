import Foundation

/// Streams SMILES records from `.smi`/`.txt`, `.csv`/`.tsv` files, gzip-compressed or not, or
/// standard input (`-`).
///
/// Why a pull-style reader rather than loading the file: corpora run to millions of lines and
/// every consumer (vocabulary building, corpus preparation, training) wants one pass with
/// bounded memory. Header, blank and whitespace-only lines produce no record; line numbers
/// always refer to physical lines so messages point at the right place. With
/// `blankLines: .keep` a blank line is a record too (empty SMILES, issue `.blankLine`), for
/// callers that emit one output per input line.
///
/// Not thread-safe: one reader belongs to one thread (batches can then be fanned out).
public final class SMILESReader {
    /// The path as given; `-` is standard input.
    public let path: String
    /// The layout in use; nil until the first non-blank line has been seen when it had to be
    /// guessed from content.
    public private(set) var format: SMILESFileFormat?
    /// Lines whose bytes were not valid UTF-8 and were decoded with replacement characters.
    public private(set) var invalidUTF8Lines = 0
    /// Records returned so far.
    public private(set) var recordsRead = 0

    /// What to do with empty and whitespace-only lines.
    public enum BlankLines: Sendable { case skip, keep }

    /// Whether blank lines are skipped (the default) or returned as records.
    public let blankLines: BlankLines

    private let source: LineSource
    private var headerPending = true
    private var smilesIndex = 0
    private var nameIndex: Int?

    /// Opens `path` (`-` for standard input). `format` overrides the guess from the file name
    /// and first line; `blankLines: .keep` returns blank lines as records instead of skipping
    /// them. Throws for a missing, unreadable or zero-byte file.
    public init(path: String, format: SMILESFileFormat? = nil, blankLines: BlankLines = .skip) throws(SMILESReadError) {
        self.path = path
        self.blankLines = blankLines
        self.format = format ?? SMILESFileFormat.implied(byPath: path)
        self.source = try LineSource(path: path)
    }

    /// Whether the content is gzip-compressed (detected from its magic bytes).
    public var isGzipCompressed: Bool { source.isGzipCompressed }

    /// The physical line number most recently read.
    public var lineNumber: Int { source.lineNumber }

    /// The next record, or nil at the end. Throws `.empty` at the end of a file that held no
    /// record at all, and `.noSMILESColumn` when a CSV/TSV header has no SMILES column.
    public func next() throws(SMILESReadError) -> SMILESRecord? {
        while true {
            guard let parsed = try source.withNextLine({ parse($0) }) else {
                if recordsRead == 0 { throw SMILESReadError(path: path, line: nil, kind: .empty) }
                return nil
            }
            switch parsed {
            case .skip:
                continue
            case .missingSMILESColumn(let header):
                throw SMILESReadError(path: path, line: source.lineNumber, kind: .noSMILESColumn(header: header))
            case .record(let smiles, let name, let validUTF8, let issue):
                if !validUTF8 { invalidUTF8Lines += 1 }
                recordsRead += 1
                return SMILESRecord(lineNumber: source.lineNumber, smiles: smiles, name: name, issue: issue)
            }
        }
    }

    /// Up to `maxCount` records; fewer only at the end of the input. Batches let callers parse
    /// molecules in parallel while keeping file order.
    public func nextBatch(maxCount: Int) throws(SMILESReadError) -> [SMILESRecord] {
        var batch: [SMILESRecord] = []
        batch.reserveCapacity(maxCount)
        while batch.count < maxCount, let record = try next() { batch.append(record) }
        return batch
    }

    /// Every record of a (small) file. Prefer `next()` for corpora.
    public static func readAll(path: String, format: SMILESFileFormat? = nil) throws(SMILESReadError) -> [SMILESRecord] {
        let reader = try SMILESReader(path: path, format: format)
        var records: [SMILESRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    // MARK: - Line parsing

    private enum ParsedLine {
        case skip
        case record(smiles: String, name: String?, validUTF8: Bool, issue: SMILESRecord.Issue?)
        case missingSMILESColumn(header: [String])
    }

    private func parse(_ line: UnsafeBufferPointer<UInt8>) -> ParsedLine {
        var blank = true
        for byte in line where byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") {
            blank = false
            break
        }
        if blank {
            return blankLines == .keep ? .record(smiles: "", name: nil, validUTF8: true, issue: .blankLine) : .skip
        }
        if format == nil { format = SMILESFileFormat.tabular(header: line) ?? .smi }
        if headerPending { format = Self.format(of: line, named: format!) }
        guard let delimiter = format!.delimiter else { return parseSMILine(line) }
        return parseDelimited(line, delimiter: delimiter)
    }

    /// The format the first line shows, given the one the name implied. A table saved under
    /// another name (molvae's own CSV as `samples.smi`, a semicolon table with a quoted
    /// `"Smiles"` header as `.csv` or `.txt`) would otherwise be scored line by line as SMILES:
    /// a `.smi` file whose first field holds a comma, semicolon or quote (never in a SMILES) is
    /// read as that table, and a `.csv` header with semicolons but no comma as semicolon-separated.
    /// The header must then name a SMILES column, or the read fails as for any table without one.
    private static func format(of line: UnsafeBufferPointer<UInt8>, named: SMILESFileFormat) -> SMILESFileFormat {
        switch named {
        case .smi:
            var end = 0
            while end < line.count, line[end] != UInt8(ascii: " "), line[end] != UInt8(ascii: "\t") { end += 1 }
            return SMILESFileFormat.tabular(header: UnsafeBufferPointer(rebasing: line[0..<end])) ?? .smi
        case .csv:
            return !line.contains(UInt8(ascii: ",")) && line.contains(UInt8(ascii: ";")) ? .ssv : .csv
        case .tsv, .ssv:
            return named
        }
    }

    private func parseSMILine(_ line: UnsafeBufferPointer<UInt8>) -> ParsedLine {
        let isSpace = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        var start = 0
        while start < line.count, isSpace(line[start]) { start += 1 }
        var end = start
        while end < line.count, !isSpace(line[end]) { end += 1 }
        let smiles = TextDecoding.string(line[start..<end])
        var nameStart = end
        while nameStart < line.count, isSpace(line[nameStart]) { nameStart += 1 }
        var nameEnd = line.count
        while nameEnd > nameStart, isSpace(line[nameEnd - 1]) { nameEnd -= 1 }
        let name = nameEnd > nameStart ? TextDecoding.string(line[nameStart..<nameEnd]) : nil
        if headerPending {
            headerPending = false
            if SMILESColumn.isHeaderName(smiles.text) { return .skip }
        }
        // Spaces are ASCII, so the two fields' validity is the whole line's.
        let validUTF8 = smiles.wasValid && (name?.wasValid ?? true)
        return .record(smiles: smiles.text, name: name?.text, validUTF8: validUTF8, issue: Self.issue(line, validUTF8: validUTF8))
    }

    private func parseDelimited(_ line: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> ParsedLine {
        let fields = CSVFields.split(line, delimiter: delimiter)
        if headerPending {
            guard let index = SMILESColumn.smilesIndex(in: fields) else { return .missingSMILESColumn(header: fields) }
            headerPending = false
            smilesIndex = index
            nameIndex = SMILESColumn.nameIndex(in: fields, excluding: index)
            return .skip
        }
        let smiles = smilesIndex < fields.count ? fields[smilesIndex].trimmingSpaces : ""
        let name = nameIndex.flatMap { $0 < fields.count ? fields[$0].trimmingSpaces : nil }
        let validUTF8 = TextDecoding.isASCII(line) || TextDecoding.string(line).wasValid
        return .record(smiles: smiles, name: name?.isEmpty == false ? name : nil, validUTF8: validUTF8, issue: Self.issue(line, validUTF8: validUTF8))
    }

    /// A NUL byte anywhere in the line wins over invalid UTF-8.
    private static func issue(_ line: UnsafeBufferPointer<UInt8>, validUTF8: Bool) -> SMILESRecord.Issue? {
        if !line.isEmpty, memchr(line.baseAddress!, 0, line.count) != nil { return .nulByte }
        return validUTF8 ? nil : .invalidUTF8
    }
}
