import Foundation
import Testing
@testable import MolVAE

/// The pattern-fingerprint prescreen in the SMARTS matcher (filters.cpp, screen.cpp) must not
/// change any answer: screened and unscreened filters give the same MOSES verdict (reason
/// included) and the same list of matching alerts, with and without explicit hydrogens.
///
/// The quick run uses a few alert-tripping molecules, 200 generated molecules of the MOSES agreement fixture plus the 555
/// molecules of the chemistry fixture (many trip MCF/PAINS alerts). With
/// `MOLVAE_FULL_SCREEN_CHECK=1` (see `scripts/check-filter-screen`) it adds all of
/// `generated.smi` and the 10,000 molecules of `Data/moses-test-10k.smi.gz`, and
/// `MOLVAE_SCREEN_CHECK_FILE=PATH` adds a SMILES file of one's own (such as a model's samples,
/// which trip the recursive PAINS patterns far more often than MOSES's filtered sets).
@Suite struct FilterScreenTests {
    struct ChemistryFixture: Decodable {
        struct Entry: Decodable { let input: String }
        let molecules: [Entry]
    }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Small molecules chosen to trip MCF and PAINS alerts (acyl halide, aldehyde, thiol,
    /// Michael acceptors, quinones, catechols, azo, hydrazones, rhodanines, dialkylanilines…).
    static let alertTrippers = [
        "CCCCl", "O=Cc1ccccc1", "CC(=O)Cl", "O=C1C=CC(=O)C=C1", "CC1=CC(=O)C=CC1=O", "Oc1ccccc1O",
        "Oc1ccc(C)cc1O", "S=C1SC(=Cc2ccccc2)C(=O)N1", "O=C1NC(=S)SC1=Cc1ccc(O)cc1",
        "CN(C)c1ccc(C=Cc2ccccc2)cc1", "CCN(CC)c1ccc(C)cc1", "c1ccc(N=Nc2ccccc2)cc1",
        "CN(C)c1ccc(N=Nc2ccccc2)cc1", "NN=Cc1ccccc1", "Oc1ccccc1C=NNc1ccccc1", "CCS", "C=CC(=O)OC",
        "CCN=C=S", "CCOOC", "N#CC(C#N)=Cc1ccccc1", "CC(=O)OC(C)=O", "Oc1ccc(CN2CCCC2)cc1O",
        "Nc1ccc(N)cc1", "O=C(C=Cc1ccccc1)c1ccccc1", "CC(=O)C(C)=NO", "ClCCN(CCCl)C",
    ]

    static func molecules(full: Bool) throws -> [String] {
        var smiles: [String] = alertTrippers
        let generated = try SMILESReader.readAll(path: MosesAgreementTests.path("generated.smi")).map(\.smiles)
        smiles += full ? generated : Array(generated.prefix(200))
        let chemistry = packageRoot.appendingPathComponent("Tests/ChemistryTests/Fixtures/chemistry_reference.json")
        smiles += try JSONDecoder().decode(ChemistryFixture.self, from: Data(contentsOf: chemistry)).molecules.map(\.input)
        if full {
            smiles += try SMILESReader.readAll(path: packageRoot.appendingPathComponent("Data/moses-test-10k.smi.gz").path).map(\.smiles)
        }
        if let extra = ProcessInfo.processInfo.environment["MOLVAE_SCREEN_CHECK_FILE"], !extra.isEmpty {
            smiles += try SMILESReader.readAll(path: extra).map(\.smiles)
        }
        return smiles
    }

    struct Outcome: Equatable, Sendable {
        var verdict: StructuralFilters.Verdict?
        var withHydrogens: [String] = []
        var withoutHydrogens: [String] = []
    }

    static func outcome(_ filters: StructuralFilters, _ molecule: Molecule) throws -> Outcome {
        Outcome(verdict: try filters.mosesVerdict(for: molecule),
                withHydrogens: try filters.matches(in: molecule),
                withoutHydrogens: try filters.matches(in: molecule, explicitHydrogens: false))
    }

    @Test func screenChangesNoVerdictOrMatch() throws {
        let full = ProcessInfo.processInfo.environment["MOLVAE_FULL_SCREEN_CHECK"] == "1"
        let patterns = try StructuralFilters.loadMOSESPatterns()
        let screened = try StructuralFilters(patterns: patterns, screening: true)
        let unscreened = try StructuralFilters(patterns: patterns, screening: false)
        let smiles = try Self.molecules(full: full)
        let results = BatchScoring.parallelMap(smiles.count, threads: ProcessInfo.processInfo.activeProcessorCount) { i -> (Outcome, Outcome)? in
            guard let molecule = try? Molecule(smiles: smiles[i]) else { return nil }
            guard let a = try? Self.outcome(screened, molecule), let b = try? Self.outcome(unscreened, molecule) else { return nil }
            return (a, b)
        }
        // The recursive patterns are screened by a relaxation of them (screen.cpp): count the
        // molecules that exercise one, so a run shows how much of that path it covered.
        let recursive = Set(patterns.filter { $0.smarts.contains("$(") }.map(\.name))
        var compared = 0, failing = 0, matching = 0, matchingRecursive = 0
        var mismatches: [String] = []
        for (i, result) in results.enumerated() {
            guard let (a, b) = result else { continue }
            compared += 1
            if a != b { mismatches.append("\(smiles[i]): screened \(a), unscreened \(b)") }
            if b.verdict?.passes == false { failing += 1 }
            if !b.withHydrogens.isEmpty { matching += 1 }
            if b.withHydrogens.contains(where: recursive.contains) || b.withoutHydrogens.contains(where: recursive.contains) { matchingRecursive += 1 }
        }
        print("filter screen check: \(compared) molecules compared (\(smiles.count) lines), \(failing) fail the MOSES rule, \(matching) match an alert, \(matchingRecursive) a recursive one, \(mismatches.count) differ")
        #expect(mismatches.isEmpty, "\(mismatches.count) differ: \(mismatches.prefix(5))")
        // Not vacuous: many molecules match alerts, and nearly all lines parse.
        #expect(matching >= 25 && compared >= smiles.count * 9 / 10)
    }
}
