import Foundation
import Testing
@testable import MolVAE

/// Every value against Python RDKit on MOSES test molecules plus hand-picked hard cases.
@Suite struct ReferenceValueTests {
    let fixture = ReferenceFixture.shared
    static let tolerance = 1e-6

    @Test func fixtureIsLargeEnough() {
        #expect(fixture.molecules.count >= 500)
    }

    @Test func canonicalSMILESMatchPython() throws {
        var mismatches: [String] = []
        for entry in fixture.molecules {
            let molecule = try Molecule(smiles: entry.input)
            if molecule.canonicalSMILES != entry.canonical {
                mismatches.append("\(entry.input): \(molecule.canonicalSMILES) != \(entry.canonical)")
            }
            if molecule.flatCanonicalSMILES != entry.canonical_flat {
                mismatches.append("\(entry.input) flat: \(molecule.flatCanonicalSMILES) != \(entry.canonical_flat)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(10))")
    }

    @Test func propertiesMatchPython() throws {
        var mismatches: [String] = []
        func close(_ name: String, _ ours: Double, _ theirs: Double, _ input: String) {
            if !(abs(ours - theirs) <= Self.tolerance) { mismatches.append("\(input) \(name): \(ours) vs \(theirs)") }
        }
        func same(_ name: String, _ ours: Int, _ theirs: Int, _ input: String) {
            if ours != theirs { mismatches.append("\(input) \(name): \(ours) vs \(theirs)") }
        }
        for e in fixture.molecules {
            let p = try Molecule(smiles: e.input).properties()
            close("logp", p.logP, e.logp, e.input)
            close("mr", p.molarRefractivity, e.mr, e.input)
            close("mw", p.molecularWeight, e.mw, e.input)
            close("exact_mw", p.exactMolecularWeight, e.exact_mw, e.input)
            close("tpsa", p.topologicalPolarSurfaceArea, e.tpsa, e.input)
            close("qed", p.qed, e.qed, e.input)
            close("sa", p.syntheticAccessibility, e.sa, e.input)
            close("plogp", p.penalizedLogP, e.plogp, e.input)
            close("plogp_norm", p.normalizedPenalizedLogP, e.plogp_norm, e.input)
            same("hbd", p.hydrogenBondDonors, e.hbd, e.input)
            same("hba", p.hydrogenBondAcceptors, e.hba, e.input)
            same("rotb", p.rotatableBonds, e.rotb, e.input)
            same("rings", p.ringCount, e.rings, e.input)
            same("aromatic_rings", p.aromaticRingCount, e.aromatic_rings, e.input)
            same("heavy_atoms", p.heavyAtomCount, e.heavy_atoms, e.input)
            same("formal_charge", p.formalCharge, e.formal_charge, e.input)
            same("largest_ring", p.largestRingSize, e.largest_ring, e.input)
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(10))")
    }

    @Test func singleValueEntryPointsAgreeWithBatch() throws {
        for e in fixture.molecules.prefix(50) {
            let m = try Molecule(smiles: e.input)
            #expect(abs(try m.qed() - e.qed) <= Self.tolerance)
            #expect(abs(try m.syntheticAccessibility() - e.sa) <= Self.tolerance)
        }
    }

    @Test func fingerprintsMatchPython() throws {
        let first = try Molecule(smiles: fixture.molecules[0].input)
        let firstBits = try first.morganFingerprint(bits: 2048)
        let firstCounts = try first.countFingerprint()
        var mismatches: [String] = []
        var all: [MorganFingerprint] = []
        for e in fixture.molecules {
            let m = try Molecule(smiles: e.input)
            let b1024 = try m.morganFingerprint(bits: 1024)
            let b2048 = try m.morganFingerprint(bits: 2048)
            let counts = try m.countFingerprint()
            if b1024.onBits != e.morgan1024 { mismatches.append("\(e.input) 1024") }
            if b2048.onBits != e.morgan2048 { mismatches.append("\(e.input) 2048") }
            if b1024.length != 1024 || b1024.bitCount != e.morgan1024.count { mismatches.append("\(e.input) 1024 count") }
            if zip(counts.ids, counts.counts).map({ [$0, $1] }) != e.morgan_counts { mismatches.append("\(e.input) counts") }
            if abs(firstBits.tanimoto(b2048) - e.tanimoto2048_to_first) > 1e-12 { mismatches.append("\(e.input) tanimoto") }
            if abs(firstCounts.tanimoto(counts) - e.count_tanimoto_to_first) > 1e-12 { mismatches.append("\(e.input) count tanimoto") }
            all.append(b2048)
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(10))")
        let bulk = firstBits.tanimoto(against: all)
        #expect(bulk.count == fixture.molecules.count)
        for (value, e) in zip(bulk, fixture.molecules) { #expect(abs(value - e.tanimoto2048_to_first) <= 1e-12) }
        #expect(bulk[0] == 1)
        #expect(firstBits.tanimoto(against: all, threads: 4) == bulk)
    }

    @Test func scaffoldsAndFragmentsMatchPython() throws {
        var mismatches: [String] = []
        for e in fixture.molecules {
            let m = try Molecule(smiles: e.input)
            let scaffold = try m.murckoScaffold()
            if scaffold != e.scaffold { mismatches.append("\(e.input) scaffold \(scaffold) vs \(e.scaffold ?? "nil")") }
            let moses = try m.mosesScaffold()
            let expected: String? = (e.scaffold ?? "").isEmpty || e.scaffold_rings < 2 ? nil : e.scaffold
            if moses != expected { mismatches.append("\(e.input) moses scaffold") }
            if try m.bricsFragments().sorted() != e.brics { mismatches.append("\(e.input) brics") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(10))")
    }

    @Test func mosesFilterVerdictsMatchPython() throws {
        let filters = try StructuralFilters.moses()
        #expect(filters.patterns.count == 23 + 479)  // mcf.csv rows + wehi_pains.csv rows, as MOSES reads them
        var mismatches: [String] = []
        for e in fixture.molecules {
            let verdict = try filters.mosesVerdict(for: Molecule(smiles: e.input))
            if verdict.passes != e.moses_pass { mismatches.append("\(e.input): \(verdict)") }
            #expect(verdict.passes == (verdict.reason == nil))
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(10))")
        // Some pass and some fail, so the comparison above is not vacuous.
        #expect(fixture.molecules.contains { $0.moses_pass } && fixture.molecules.contains { !$0.moses_pass })
    }

    @Test func pythonInvalidSMILESAreRejected() {
        #expect(fixture.invalid.count >= 10)
        for smiles in fixture.invalid {
            #expect(throws: MoleculeParseError.self, "\(smiles)") { try Molecule(smiles: smiles) }
        }
    }
}
