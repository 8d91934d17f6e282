/// Which header columns hold SMILES and names.
///
/// Column names vary between sources (MOSES: `SMILES`, ZINC: `smiles`, ChEMBL:
/// `canonical_smiles`), so matching is case-insensitive over a list, then falls back to any
/// column whose name contains "smiles".
enum SMILESColumn {
    static let names = ["smiles", "canonical_smiles", "isomeric_smiles", "smi", "mol_smiles"]
    static let nameColumns = ["name", "id", "mol_id", "molecule_id", "compound_id", "title", "chembl_id", "zinc_id", "molregno"]

    /// The index of the SMILES column, or nil when no header field looks like one.
    static func smilesIndex(in header: [String]) -> Int? {
        let lowered = header.map { $0.trimmingSpaces.lowercased() }
        for name in names {
            if let index = lowered.firstIndex(of: name) { return index }
        }
        return lowered.firstIndex { $0.contains("smiles") }
    }

    /// The index of a name/identifier column, if any.
    static func nameIndex(in header: [String], excluding smilesIndex: Int) -> Int? {
        let lowered = header.map { $0.trimmingSpaces.lowercased() }
        for name in nameColumns {
            if let index = lowered.firstIndex(of: name), index != smilesIndex { return index }
        }
        return nil
    }

    /// Whether a single field reads as a SMILES header, e.g. the `smiles` line of a .smi file.
    static func isHeaderName(_ field: String) -> Bool {
        names.contains(field.trimmingSpaces.lowercased())
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" || first == "\u{FEFF}" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
