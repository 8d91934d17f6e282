import Foundation
import Testing
@testable import MolVAE

/// Rule: no single input line costs more than about a second; cheap limits come before RDKit
/// (issue 18, part 5). Before the limits, 4,000 carbons took over a minute in `props` and a
/// megabyte of ring-closure digits kept `corpus` busy for minutes.
@Suite struct InputCostTests {
    static let megabyte = 1_000_000

    /// CPU seconds this thread has used: the cost of a line, unlike wall time, does not grow
    /// when other processes share the cores (CI machines and this one often run other work).
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Hostile lines of every shape: long chains, aromatic rings, ring-closure digits,
    /// parentheses, dots, bracket atoms; each far over a limit.
    static let hostile: [(name: String, smiles: String, reason: String)] = [
        ("4,000-carbon chain", String(repeating: "C", count: 4_000), "4000 atoms, over the limit of"),
        ("1 MB chain", String(repeating: "C", count: megabyte), "longer than"),
        ("600 benzene rings", String(repeating: "c1ccccc1", count: 600), "3600 atoms, over the limit of"),
        ("1 MB of ring digits", "C" + String(repeating: "1", count: megabyte), "longer than"),
        ("1 MB of parentheses", "C" + String(repeating: "(", count: megabyte), "longer than"),
        ("600 bracket atoms", String(repeating: "[CH2]", count: 600), "600 atoms, over the limit of"),
        ("1 MB of dots", "C" + String(repeating: ".C", count: megabyte / 2), "longer than"),
    ]

    @Test(arguments: hostile.indices)
    func aHostileLineIsRefusedWithinASecond(index: Int) {
        let (name, smiles, reason) = Self.hostile[index]
        let started = Self.threadCPUSeconds()
        let result = BatchScoring.score(smiles)
        let elapsed = Self.threadCPUSeconds() - started
        #expect(!result.isValid, "\(name)")
        #expect((result.error ?? "").contains(reason), "\(name): \(result.error ?? "")")
        #expect(elapsed < 1, "\(name): \(elapsed) s of CPU")
        // The same refusal on every path into RDKit, not only props's.
        #expect(throws: MoleculeParseError.self) { _ = try Molecule(smiles: smiles) }
    }

    @Test func theAtomLimitIsInclusiveAndAdjustable() {
        let limit = SMILESScreen.maximumAtoms
        let atLimit = String(repeating: "C", count: limit)
        #expect(SMILESScreen.rejection(of: atLimit) == nil)
        #expect(SMILESScreen.rejection(of: atLimit + "C") == .tooManyAtoms(count: limit + 1, limit: limit))
        // A caller (or MOLVAE_MAX_ATOMS) can move it either way.
        #expect(SMILESScreen.rejection(of: "CCCCC", maximumAtoms: 4) == .tooManyAtoms(count: 5, limit: 4))
        #expect(SMILESScreen.rejection(of: atLimit + "CC", maximumAtoms: limit + 2) == nil)
        #expect(SMILESScreen.rejection(of: atLimit + "C")!.description.contains(SMILESScreen.maximumAtomsVariable))
    }

    @Test func aMoleculeAtTheLimitIsStillScoredQuickly() {
        let chain = String(repeating: "C", count: SMILESScreen.maximumAtoms)
        let started = Self.threadCPUSeconds()
        let result = BatchScoring.score(chain)
        let elapsed = Self.threadCPUSeconds() - started
        #expect(result.isValid)
        #expect(result.properties?.heavyAtomCount == SMILESScreen.maximumAtoms)
        #expect(elapsed < 1, "\(elapsed) s of CPU")
    }
}
