/// One input line of a molecule table: the SMILES (or why the line cannot hold one), the text
/// to echo in reports, and an optional name.
public struct TableRecord: Sendable {
    /// The SMILES text, or why the line is unusable (NUL byte, invalid UTF-8, empty line).
    public let smiles: Result<String, BatchScoring.InputError>
    /// The SMILES field as printable text (invalid bytes and NULs shown as U+FFFD).
    public let displaySMILES: String
    /// The name/id column, or "".
    public let name: String
}

/// Reads molecule tables in batches: `.smi`/`.txt` (SMILES, then an optional whitespace-separated
/// name) or `.csv` (SMILES column found by its header name), any of them gzipped; `-` is
/// standard input (read as `.smi`). A header line is recognised by a `smiles` column name and
/// skipped; every other line, even an empty one, becomes exactly one record so that outputs
/// line up with inputs.
public final class SMILESTableReader {
    public enum Format: Sendable { case whitespace, csv }

    public let path: String
    public let format: Format
    private let source: LineSource
    private var smilesColumn = 0
    private var nameColumn: Int? = 1
    private var sawFirstLine = false

    /// Column names taken to hold SMILES, compared case-insensitively.
    public static let smilesColumnNames: Set<String> = ["smiles", "smi", "canonical_smiles", "isomeric_smiles"]
    /// Column names taken to hold a molecule's name.
    public static let nameColumnNames: Set<String> = ["name", "id", "title", "zinc_id", "mol_id", "chembl_id"]

    public init(path: String) throws(SMILESReadError) {
        self.path = path
        format = Self.format(of: path)
        source = try LineSource(path: path)
    }

    /// `.csv` or `.csv.gz` is CSV; everything else is whitespace-separated.
    public static func format(of path: String) -> Format {
        var name = path.lowercased()
        if name.hasSuffix(".gz") { name.removeLast(3) }
        return name.hasSuffix(".csv") ? .csv : .whitespace
    }

    /// Up to `maximumCount` records; empty at the end of the input.
    public func nextBatch(maximumCount: Int) throws(SMILESReadError) -> [TableRecord] {
        var records: [TableRecord] = []
        records.reserveCapacity(maximumCount)
        while records.count < maximumCount, let line = try source.nextLine() {
            if !sawFirstLine {
                sawFirstLine = true
                if isHeader(line) { continue }
            }
            records.append(record(from: line))
        }
        return records
    }

    private func isHeader(_ line: [UInt8]) -> Bool {
        guard case .success(let text) = BatchScoring.validatedSMILES(line) else { return false }
        switch format {
        case .csv:
            let names = CSV.fields(of: Substring(text)).map { $0.trimmingBlanks().lowercased() }
            guard let smiles = names.firstIndex(where: Self.smilesColumnNames.contains) else { return false }
            smilesColumn = smiles
            nameColumn = names.firstIndex(where: Self.nameColumnNames.contains)
            return true
        case .whitespace:
            let first = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map { String($0).lowercased() }
            return first.map(Self.smilesColumnNames.contains) ?? false
        }
    }

    private func record(from line: [UInt8]) -> TableRecord {
        switch BatchScoring.validatedSMILES(line) {
        case .failure(let reason):
            let shown = String(decoding: line.map { $0 == 0 ? 0x3F : $0 }, as: UTF8.self)
            let field: String
            switch format {
            case .whitespace: field = String(shown.split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
            case .csv: field = CSV.fields(of: Substring(shown)).dropFirst(smilesColumn).first ?? ""
            }
            return TableRecord(smiles: .failure(reason), displaySMILES: field.replacingNUL(), name: "")
        case .success(let text):
            let smiles: String
            let name: String
            switch format {
            case .whitespace:
                let parts = text.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
                smiles = parts.first.map(String.init) ?? ""
                name = parts.count > 1 ? String(parts[1]).trimmingBlanks() : ""
            case .csv:
                let fields = CSV.fields(of: Substring(text))
                smiles = smilesColumn < fields.count ? fields[smilesColumn].trimmingBlanks() : ""
                name = nameColumn.flatMap { $0 < fields.count ? fields[$0].trimmingBlanks() : nil } ?? ""
            }
            if smiles.isEmpty {
                let reason = text.allSatisfy({ $0 == " " || $0 == "\t" }) ? "empty line" : "no SMILES in the line"
                return TableRecord(smiles: .failure(.init(description: reason)), displaySMILES: "", name: name)
            }
            return TableRecord(smiles: .success(smiles), displaySMILES: smiles, name: name)
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }

    /// NUL characters replaced by U+FFFD, so the text is safe in a CSV cell or a C string.
    func replacingNUL() -> String {
        contains("\u{0}") ? String(map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }) : self
    }
}
