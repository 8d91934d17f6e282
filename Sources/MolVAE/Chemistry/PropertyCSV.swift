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

    /// The row (with its newline) for `record` scored as `result`.
    public static func row(for record: TableRecord, result: ScoredMolecule) -> String {
        var fields: [String] = [CSV.escape(record.displaySMILES), CSV.escape(record.name)]
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
