import Foundation
import Testing
@testable import MolVAE

@Suite struct ELBOReferenceTests {
    @Test func meanSdAndZScores() throws {
        let reference = try ELBOReference(source: "x", values: [10, 12, 14, .nan])
        #expect(reference.count == 3)
        #expect(reference.mean == 12)
        #expect(reference.standardDeviation == 2)
        #expect(reference.zScore(18) == 3)
    }

    @Test func needsTwoDifferentValues() {
        #expect(throws: ELBOReference.InsufficientDataError.self) { try ELBOReference(source: "ref.smi", values: [5]) }
        #expect(throws: ELBOReference.InsufficientDataError.self) { try ELBOReference(source: "ref.smi", values: [5, 5, 5]) }
    }
}
