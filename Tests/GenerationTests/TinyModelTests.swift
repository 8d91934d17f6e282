import Foundation
import Testing
import MolVAETestSupport
@testable import MolVAE

@Suite struct TinyModelTests {
    /// The premise of the other tests: greedy decoding from the mean gives back most molecules.
    @Test func memorisesMostOfItsMolecules() throws {
        let tiny = try TinyModel.load()
        let sequences = try TinyModel.molecules.map { try tiny.vocabulary.encode($0) }
        let (mu, _) = tiny.model.encode(TokenBatch(sequences: sequences))
        let decoded = tiny.model.sample(latents: mu, count: sequences.count, maxSteps: 80, greedy: true).sequences
        let exact = zip(decoded, sequences).filter { $0 == $1 }.count
        #expect(exact >= 10, "greedy reconstructions: \(exact) of \(sequences.count)")
    }
}
