/// The `molvae props` output: one CSV row per input line, in input order. Numbers are written in
/// Swift's shortest round-tripping form; an invalid row has `valid` 0, empty numbers and the
/// reason in `error`.
public enum PropertyCSV {
    public static let columns = [
        "smiles", "name", "valid", "canonical", "logp", "mr", "qed", "sa", "plogp", "plogp_norm",
        "mw", "exact_mw", "tpsa", "hbd", "hba", "rotb", "rings", "aromatic_rings", "heavy_atoms",
        "formal_charge", "largest_ring", "error",
    ]

    public static var header: String { columns.joined(separator: ",") + "\n" }

    /// What `props` scores for a record read with `blankLines: .keep`: its SMILES, or why the
    /// line cannot hold one (NUL byte, invalid UTF-8, blank line, empty SMILES column).
    public static func input(of record: SMILESRecord) -> Result<String, BatchScoring.InputError> {
        if let issue = record.issue { return .failure(.init(description: issue.description)) }
        if record.smiles.isEmpty { return .failure(.init(description: "no SMILES in the line")) }
        return .success(record.smiles)
    }

    /// The row (with its newline) for `record` scored as `result`. A line with bad bytes shows
    /// its SMILES field with NULs as `?` (invalid UTF-8 as U+FFFD) and no name.
    public static func row(for record: SMILESRecord, result: ScoredMolecule) -> String {
        let badBytes = record.issue == .nulByte || record.issue == .invalidUTF8
        let shown = badBytes ? String(record.smiles.map { $0 == "\u{0}" ? "?" : $0 }) : record.smiles
        let name = badBytes ? "" : record.name ?? ""
        var fields: [String] = [CSV.escape(shown.replacingNUL()), CSV.escape(name)]
        if let p = result.properties, let canonical = result.canonicalSMILES {
            fields.append("1")
            fields.append(CSV.escape(canonical))
            for value in [p.logP, p.molarRefractivity, p.qed, p.syntheticAccessibility, p.penalizedLogP,
                          p.normalizedPenalizedLogP, p.molecularWeight, p.exactMolecularWeight,
                          p.topologicalPolarSurfaceArea] {
                fields.append(value.description)
            }
            for value in [p.hydrogenBondDonors, p.hydrogenBondAcceptors, p.rotatableBonds, p.ringCount,
                          p.aromaticRingCount, p.heavyAtomCount, p.formalCharge, p.largestRingSize] {
                fields.append(String(value))
            }
            fields.append("")
        } else {
            fields.append("0")
            fields.append(contentsOf: repeatElement("", count: columns.count - 4))
            fields.append(CSV.escape((result.error ?? "invalid").replacingNUL()))
        }
        return fields.joined(separator: ",") + "\n"
    }
}

/// Quoting for CSV output (RFC 4180); reading goes through `CSVFields`.
public enum CSV {
    /// `field` quoted when it contains a comma, quote, CR or LF (quotes doubled); as is otherwise.
    public static func escape(_ field: String) -> String {
        var needsQuotes = false
        for byte in field.utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return field }
        var quoted = "\""
        for c in field {
            if c == "\"" { quoted.append("\"") }
            quoted.append(c)
        }
        quoted.append("\"")
        return quoted
    }
}

extension String {
    /// NUL characters replaced by U+FFFD, so the text is safe in a CSV cell or a C string.
    func replacingNUL() -> String {
        contains("\u{0}") ? String(map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }) : self
    }
}
