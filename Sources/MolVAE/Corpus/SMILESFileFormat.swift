/// How a molecule file lays out its lines.
public enum SMILESFileFormat: String, Sendable, CaseIterable, Codable {
    /// `.smi`/`.txt`: SMILES, then optionally whitespace and a name. An optional first line whose
    /// first field is `smiles` (any case) is a header and skipped.
    case smi
    /// Comma-separated with a header row; the SMILES column is found by name.
    case csv
    /// Tab-separated with a header row; the SMILES column is found by name.
    case tsv

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
