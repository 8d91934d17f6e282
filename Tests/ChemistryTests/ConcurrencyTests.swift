import Foundation
import Testing
@testable import MolVAE

@Suite struct ConcurrencyTests {
    @Test func parallelScoringEqualsSerialInOrder() {
        let smiles = ReferenceFixture.shared.molecules.map(\.input) + ["C1CC", "", "CC(=O)O"]
        let serial = BatchScoring.score(smiles, threads: 1)
        let parallel = BatchScoring.score(smiles, threads: 8)
        #expect(serial.count == smiles.count && parallel.count == smiles.count)
        for (a, b) in zip(serial, parallel) {
            #expect(a.canonicalSMILES == b.canonicalSMILES)
            #expect(a.properties == b.properties)
            #expect(a.error == b.error)
        }
        for (result, entry) in zip(parallel, ReferenceFixture.shared.molecules) {
            #expect(result.canonicalSMILES == entry.canonical)
        }
    }

    /// One handle and one compiled SMARTS set used from many threads at once.
    @Test func sharedMoleculeAndFiltersAreThreadSafe() throws {
        let molecule = try Molecule(smiles: "CC(C)Cc1ccc(cc1)[C@@H](C)C(=O)O")
        let filters = try StructuralFilters.moses()
        let expected = try molecule.properties()
        let expectedVerdict = try filters.mosesVerdict(for: molecule)
        let expectedBits = try molecule.morganFingerprint()
        let failures = BatchScoring.parallelMap(400, threads: 8) { i -> Int in
            do {
                switch i % 4 {
                case 0: return try molecule.properties() == expected ? 0 : 1
                case 1: return try filters.mosesVerdict(for: molecule) == expectedVerdict ? 0 : 1
                case 2: return try molecule.morganFingerprint() == expectedBits ? 0 : 1
                default: return molecule.canonicalSMILES == "CC(C)Cc1ccc([C@@H](C)C(=O)O)cc1" ? 0 : 1
                }
            } catch {
                return 1
            }
        }
        #expect(failures.reduce(0, +) == 0)
    }
}
