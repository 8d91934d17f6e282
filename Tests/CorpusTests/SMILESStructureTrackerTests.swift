import Foundation
import Testing
@testable import MolVAE

/// The structure tracker (`SMILESStructureTracker`): what the decoder's structure features say
/// about a SMILES prefix.
@Suite struct SMILESStructureTrackerTests {
    static func tracked(_ smiles: String) -> SMILESStructureTracker {
        var tracker = SMILESStructureTracker()
        for token in SMILESTokenizer.tokenize(smiles) { tracker.advance(SMILESStructureRole(token: token)) }
        return tracker
    }

    @Test func rolesOfTokens() {
        #expect(SMILESStructureRole(token: "c") == .atom(aromatic: true, pi: .needsDoubleBond))
        #expect(SMILESStructureRole(token: "n") == .atom(aromatic: true, pi: .needsDoubleBondUnlessThreeBonds))
        #expect(SMILESStructureRole(token: "[nH]") == .atom(aromatic: true, pi: .lonePair))
        #expect(SMILESStructureRole(token: "o") == .atom(aromatic: true, pi: .lonePair))
        #expect(SMILESStructureRole(token: "[se]") == .atom(aromatic: true, pi: .lonePair))
        #expect(SMILESStructureRole(token: "[n+]") == .atom(aromatic: true, pi: .needsDoubleBond))
        #expect(SMILESStructureRole(token: "Cl") == .atom(aromatic: false, pi: .needsDoubleBond))
        #expect(SMILESStructureRole(token: "[C@@H]") == .atom(aromatic: false, pi: .needsDoubleBond))
        #expect(SMILESStructureRole(token: "=") == .bond(double: true))
        #expect(SMILESStructureRole(token: "#") == .bond(double: false))
        #expect(SMILESStructureRole(token: "%12") == .ringLabel(12))
        #expect(SMILESStructureRole(token: "<eos>") == .none)
    }

    /// Aromatic systems RDKit kekulises have an even number of atoms needing a double bond; the
    /// classic failures (a pyrrole written with `n` for `[nH]`, a five-ring of `c`) are odd.
    @Test func aromaticParity() {
        let even = ["c1ccccc1", "c1cc[nH]c1", "Cn1cccc1", "O=c1cccc[nH]1", "c1ccc2ccccc2c1", "c1ccc2[nH]ccc2c1",
                    "c1ncc2nc[nH]c2n1", "c1ccsc1", "c1c[nH]cn1", "c1nn[nH]n1", "c1ccn2cccc2c1", "Cc1ccc(C)o1"]
        for smiles in even {
            #expect(Self.tracked(smiles).aromaticSystemHasOddNeeders == false, "\(smiles)")
        }
        for smiles in ["c1ccnc1", "c1cccc1", "c1cc[nH]cc1", "c1ccc2cccc2c1"] {
            #expect(Self.tracked(smiles).aromaticSystemHasOddNeeders == true, "\(smiles)")
        }
        #expect(Self.tracked("CCO").aromaticSystemHasOddNeeders == nil)
        #expect(Self.tracked("c1ccccc1C").aromaticSystemHasOddNeeders == nil)  // the current atom is C
        // A ring being written: odd after one `c`, even after two.
        #expect(Self.tracked("Cc1").aromaticSystemHasOddNeeders == true)
        #expect(Self.tracked("Cc1c").aromaticSystemHasOddNeeders == false)
    }

    /// The ring that closing the newest open ring now would make, through the bonds written so
    /// far (a fused ring's closure is a shortcut).
    @Test func ringSizeIfClosedNow() {
        #expect(Self.tracked("CC").newestRingSizeIfClosedNow == nil)
        #expect(Self.tracked("C1").newestRingSizeIfClosedNow == 1)
        #expect(Self.tracked("C1CCCCC").newestRingSizeIfClosedNow == 6)
        #expect(Self.tracked("C1CCC(C)").newestRingSizeIfClosedNow == 4)       // back at the branch point
        #expect(Self.tracked("c1ccc2ccccc2c").newestRingSizeIfClosedNow == 6)  // naphthalene's last atom
        #expect(Self.tracked("C1CC2CC").newestRingSizeIfClosedNow == 3)         // ring 2 is the newest
        #expect(Self.tracked("C1CCC1").newestRingSizeIfClosedNow == nil)        // closed
        #expect(Self.tracked("C1CC.C").newestRingSizeIfClosedNow == nil)        // no path across a dot
    }

    @Test func depthRingsAndBonds() {
        let t = Self.tracked("CC(C1CC(C")
        #expect(t.branchDepth == 2)
        #expect(t.openRingCount == 1)
        #expect(t.currentBondCount == 1)
        #expect(Self.tracked("CC(C)(C)C").branchDepth == 0)
        #expect(Self.tracked("CC(C)(C)").currentBondCount == 3)   // the branch point again
        #expect(Self.tracked("C1CCC").currentBondCount == 1)
        #expect(Self.tracked("C1").currentBondCount == 1)          // the ring bond it opened
        #expect(Self.tracked("CCCC").atomCount == 4)
    }

    /// Every category id is inside the table, and the features of a string follow its tracker.
    @Test func featureIds() {
        var ids = [Int32](repeating: -1, count: StructureFeatures.perStep)
        StructureFeatures.write(Self.tracked("c1cc(C)ccn"), to: &ids)
        // Depth 0, one ring open, closing now makes a 6-ring (8 + 4), six atoms needing a double
        // bond (even: 16 + 1), the current n has one bond (19 + 1).
        #expect(ids == [0, 5, 12, 17, 20])
        StructureFeatures.write(Self.tracked("c1cc(C)cn"), to: &ids)
        #expect(ids == [0, 5, 11, 18, 20])
        StructureFeatures.write(SMILESStructureTracker(), to: &ids)
        #expect(ids == [0, 4, 8, 16, 19])
        let deep = Self.tracked("C1CCCCCCCCC(C(C(C(CC")
        StructureFeatures.write(deep, to: &ids)
        #expect(ids == [3, 5, 15, 16, 20])
        #expect(ids.allSatisfy { $0 >= 0 && Int($0) < StructureFeatures.categoryCount })
    }

    /// RDKit-canonical drug-like molecules end in an aromatic system with an even count, when
    /// they end on an aromatic atom (they are all kekulisable).
    @Test func bundledMoleculesEndEven() throws {
        let reader = try SMILESReader(path: TestPaths.bundledData("moses-test-10k.smi.gz"))
        var checked = 0, aromaticEnds = 0
        while checked < 2_000, let record = try reader.next() {
            let canonical = try Molecule(smiles: record.smiles).canonicalSMILES
            let parity = Self.tracked(canonical).aromaticSystemHasOddNeeders
            #expect(parity != true, "line \(record.lineNumber) \(canonical)")
            if parity != nil { aromaticEnds += 1 }
            checked += 1
        }
        #expect(checked == 2_000)
        #expect(aromaticEnds > 200)
    }
}
