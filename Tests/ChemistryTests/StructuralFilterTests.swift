import Testing
@testable import MolVAE

@Suite struct StructuralFilterTests {
    /// MCF4 is `[H]C([H])([#6])[F,Cl,Br,I]`: it names hydrogens, so it only matches once the
    /// hydrogens are explicit, which is why MOSES matches on `Chem.AddHs(mol)`.
    @Test func hydrogenNamingAlertsNeedExplicitHydrogens() throws {
        let filters = try StructuralFilters.moses()
        let chloropropane = try Molecule(smiles: "CCCCl")
        #expect(try filters.matches(in: chloropropane).contains("MCF4"))
        #expect(try !filters.matches(in: chloropropane, explicitHydrogens: false).contains("MCF4"))
        let verdict = try filters.mosesVerdict(for: chloropropane)
        #expect(!verdict.passes && verdict.reason == "matches structural alert MCF4")
    }

    @Test func mosesRulesGiveTheirReasons() throws {
        let filters = try StructuralFilters.moses()
        let cases: [(String, String?)] = [
            ("CC(=O)Nc1ccc(O)cc1", nil),
            ("C1CCCCCCC1", "ring of 8"),
            ("C[N+](C)(C)C", "charged"),
            ("CCP(C)C", "other than"),
        ]
        for (smiles, reason) in cases {
            let verdict = try filters.mosesVerdict(for: Molecule(smiles: smiles))
            #expect(verdict.passes == (reason == nil), "\(smiles)")
            if let reason { #expect(verdict.reason?.contains(reason) == true, "\(smiles): \(verdict.reason ?? "")") }
        }
    }

    @Test func customPatternSet() throws {
        let set = try StructuralFilters(patterns: [.init(name: "carboxylic acid", smarts: "C(=O)[OH]"), .init(name: "amine", smarts: "[NX3;H2]")])
        #expect(try set.matches(in: Molecule(smiles: "NCC(=O)O"), explicitHydrogens: false) == ["carboxylic acid", "amine"])
        #expect(try set.matches(in: Molecule(smiles: "CCO")).isEmpty)
    }
}
