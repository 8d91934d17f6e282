/// How a molecule file lays out its lines.
public enum SMILESFileFormat: String, Sendable, CaseIterable, Codable {
    /// `.smi`/`.txt`: SMILES, then optionally whitespace and a name. An optional first line whose
    /// first field is `smiles` (any case) is a header and skipped.
    case smi
    /// Comma-separated with a header row; the SMILES column is found by name.
    case csv
    /// Tab-separated with a header row; the SMILES column is found by name.
    case tsv
    /// Semicolon-separated with a header row (what spreadsheets in many locales save as CSV);
    /// never implied by a name, chosen when a header line holds semicolons and no comma.
    case ssv

    /// The field separator of the tabular formats; nil for `.smi`.
    var delimiter: UInt8? {
        switch self {
        case .smi: return nil
        case .csv: return UInt8(ascii: ",")
        case .tsv: return UInt8(ascii: "\t")
        case .ssv: return UInt8(ascii: ";")
        }
    }

    /// The tabular format a header line is written in, judged by bytes no SMILES contains: a
    /// comma means CSV, else a semicolon means semicolon-separated, else a tab with a quote means
    /// TSV; nil when the line has none of these (a `.smi` line).
    static func tabular(header line: UnsafeBufferPointer<UInt8>) -> SMILESFileFormat? {
        if line.contains(UInt8(ascii: ",")) { return .csv }
        if line.contains(UInt8(ascii: ";")) { return .ssv }
        if line.contains(UInt8(ascii: "\"")) { return line.contains(UInt8(ascii: "\t")) ? .tsv : .csv }
        return nil
    }

    /// The format a file name implies, ignoring a compression suffix (`x.csv.gz` is CSV), or nil
    /// when the name does not say (then the first line decides: a comma means CSV, since no
    /// SMILES contains one).
    public static func implied(byPath path: String) -> SMILESFileFormat? {
        var name = Substring(path.lowercased())
        for suffix in [".gz", ".gzip", ".z"] where name.hasSuffix(suffix) {
            name = name.dropLast(suffix.count)
            break
        }
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".tsv") || name.hasSuffix(".tab") { return .tsv }
        if name.hasSuffix(".smi") || name.hasSuffix(".smiles") || name.hasSuffix(".ism") { return .smi }
        return nil
    }
}
