import Foundation
import Testing
@testable import MolVAE

/// What the ranks of `report` send rank 0 must come back exactly: every feature of a judged
/// line, doubles to the bit, optionals and both kinds of verdict.
@Suite struct RankPayloadTests {
    static let records = [
        SMILESRecord(lineNumber: 1, smiles: "CC(=O)Nc1ccc(O)cc1", name: nil),
        SMILESRecord(lineNumber: 2, smiles: "c1ccc2c(c1)ccc1ccccc12", name: nil),
        SMILESRecord(lineNumber: 3, smiles: "C1CC", name: nil),
        SMILESRecord(lineNumber: 4, smiles: "CC(C)(C)(C)(C)C", name: nil),
    ]

    static func roundTrip(_ verdicts: [Result<MoleculeFeatures, EvaluatedSet.InvalidLine>]) -> [Result<MoleculeFeatures, EvaluatedSet.InvalidLine>] {
        [Result<MoleculeFeatures, EvaluatedSet.InvalidLine>](payloadBytes: verdicts.payloadBytes())
    }

    @Test(arguments: [EvaluatedSet.Role.generated, .reference])
    func verdictsComeBackExactly(role: EvaluatedSet.Role) throws {
        let verdicts = Self.records.map { EvaluatedSet.verdict(on: $0, role: role) }
        let back = Self.roundTrip(verdicts)
        #expect(back.count == 4)
        for (a, b) in zip(verdicts, back) {
            switch (a, b) {
            case (.success(let x), .success(let y)):
                #expect(x.canonicalSMILES == y.canonicalSMILES && x.morgan1024 == y.morgan1024 && x.fragments == y.fragments)
                #expect(x.scaffold == y.scaffold && x.passesFilters == y.passesFilters)
                #expect([x.logP, x.sa, x.qed, x.molecularWeight].map(\.bitPattern) == [y.logP, y.sa, y.qed, y.molecularWeight].map(\.bitPattern))
            case (.failure(let x), .failure(let y)):
                #expect(x.line == y.line && x.smiles == y.smiles && x.reason == y.reason && x.message == y.message)
            default:
                Issue.record("verdict kind changed: \(a) → \(b)")
            }
        }
        // The fixture covers both kinds and an absent scaffold (paracetamol has one ring).
        guard case .success(let paracetamol) = verdicts[0], case .failure(let ring) = verdicts[2], case .failure(let valence) = verdicts[3] else {
            Issue.record("unexpected verdicts \(verdicts)")
            return
        }
        #expect(paracetamol.scaffold == nil && (paracetamol.passesFilters == nil) == (role == .reference))
        #expect(ring.reason == .syntax && valence.reason == .valence)
        #expect(verdicts.payloadBytes() == back.payloadBytes())
    }

    @Test func aTruncatedVerdictIsAnErrorNotAWrongValue() throws {
        let bytes = [EvaluatedSet.verdict(on: Self.records[1], role: .generated)].payloadBytes()
        for cut in [9, bytes.count / 2, bytes.count - 1] {
            var reader = BinaryReader(Array(bytes[..<cut]), offset: 8)
            #expect(throws: CacheFileError.self) { try Result<MoleculeFeatures, EvaluatedSet.InvalidLine>(from: &reader) }
        }
    }

    @Test func aFailureOnRankZeroAloneReadsAsItsOwnMessage() {
        #expect(RankFailure(failures: [(0, "cannot write /x/r.json")], ranks: 2).description == "cannot write /x/r.json")
        #expect(RankFailure(failures: [(0, "bad gzip"), (1, "bad gzip")], ranks: 2).description == "bad gzip")
        #expect(RankFailure(failures: [(1, "no such file")], ranks: 2).description == "rank 1: no such file")
    }
}
