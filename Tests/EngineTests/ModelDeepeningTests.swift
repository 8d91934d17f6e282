import Foundation
import Testing
@testable import MolVAE

@Suite struct ModelDeepeningTests {
    /// One layer more, nearly the same loss: the bound is what the construction promises
    /// (a²/3 + σ(-6), well under 1%), and a model of the same sizes with its own weights is far off.
    @Test func deepenedModelComputesNearlyTheSameLoss() throws {
        let shallow = try SmilesVAE(config: ModelTests.tinyConfig(), seed: 7)
        let deep = try shallow.deepened()
        #expect(deep.config.layers == shallow.config.layers + 1)
        #expect(ModelWideningTests.parameter(deep, "decoder.gru.weight_ih_l2").shape == [15, 5])
        let before = ModelWideningTests.recon(shallow), after = ModelWideningTests.recon(deep)
        #expect(abs(after - before) <= 5e-3 * abs(before), "\(before) -> \(after)")
        let other = try SmilesVAE(config: deep.config, seed: 8)
        #expect(abs(ModelWideningTests.recon(other) - before) > 1e-2 * abs(before))
    }

    /// The new layer is not stuck at its starting point: its recurrent weights and gates move
    /// under Adam, and the loss falls.
    @Test func theNewLayerLearns() throws {
        let deep = try SmilesVAE(config: ModelTests.tinyConfig(), seed: 7).deepened()
        let start = ModelWideningTests.recon(deep)
        ModelWideningTests.trainWithAdam(deep, steps: 20)
        let recurrent = ModelWideningTests.parameter(deep, "decoder.gru.weight_hh_l2").values
        #expect(recurrent.map(abs).max()! > 1e-3)
        let bias = ModelWideningTests.parameter(deep, "decoder.gru.bias_ih_l2").values
        #expect(bias[5..<10].contains { abs($0 - SmilesVAE.deepeningGateBias) > 1e-3 })
        #expect(ModelWideningTests.recon(deep) < start)
    }
}
