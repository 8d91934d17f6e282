import Testing
@testable import MolVAE

@Suite struct MoleculeParsingTests {
    @Test func canonicalizesBenzene() throws {
        #expect(try Molecule(smiles: "C1=CC=CC=C1").canonicalSMILES == "c1ccccc1")
    }

    @Test func rejectsUnclosedRing() {
        #expect(throws: MoleculeParseError.self) { try Molecule(smiles: "C1CC") }
    }

    @Test func rejectsEmptyAndNul() {
        #expect(throws: MoleculeParseError.self) { try Molecule(smiles: "") }
        #expect(throws: MoleculeParseError.self) { try Molecule(smiles: "CC\u{0}O") }
    }
}
