import Foundation
import Testing
@testable import MolVAE

@Suite struct ModelWideningTests {
    static let batch = TokenBatch(sequences: ModelTests.sequences)
    static let epsilon = randomValues(4 * 3, seed: 44)

    static func recon(_ model: SmilesVAE) -> Double {
        model.forward(batch, epsilon: .given(epsilon)).recon
    }

    static func parameter(_ model: SmilesVAE, _ name: String) -> Parameter {
        model.parameters.first { $0.name == name }!
    }

    /// Adam steps (lr 1e-2) on the fixed batch and noise.
    static func trainWithAdam(_ model: SmilesVAE, steps: Int) {
        let adam = AdamOptimizer(parameters: model.parameters, learningRate: 1e-2)
        for _ in 0..<steps {
            model.zeroGradients()
            model.forward(batch, epsilon: .given(epsilon))
            model.backward(reconWeight: 1, klWeight: 0.5)
            adam.update()
        }
    }

    /// The old unit whose incoming weights (rows of each gate in the first layer's input
    /// matrix) unit `j` of the widened model carries: its source.
    static func source(of j: Int, in wide: SmilesVAE, oldHidden: Int) -> Int? {
        let w = parameter(wide, "decoder.gru.weight_ih_l0"), cols = w.shape[1], h = wide.config.hidden
        func row(_ unit: Int) -> [Float] { (0..<3).flatMap { g in (0..<cols).map { w.value[(g * h + unit) * cols + $0] } } }
        return (0..<oldHidden).first { row($0) == row(j) }
    }

    /// Two layers (so the second layer's input matrix is widened too), to 8 units (some old
    /// units copied, some not) and to 12 (past twice the size: some copied twice).
    @Test(arguments: [8, 12])
    func widenedModelComputesTheSameLoss(_ hidden: Int) throws {
        let narrow = try SmilesVAE(config: ModelTests.tinyConfig(), seed: 7)
        let wide = try narrow.widened(hidden: hidden, seed: 3)
        #expect(wide.config.hidden == hidden)
        #expect(Self.parameter(wide, "decoder.gru.weight_hh_l1").shape == [3 * hidden, hidden])
        #expect(Self.parameter(wide, "decoder.gru.weight_ih_l1").shape == [3 * hidden, hidden])
        let before = Self.recon(narrow), after = Self.recon(wide)
        #expect(abs(after - before) <= 1e-5 * abs(before), "\(before) -> \(after)")
        // A model with the same sizes but its own weights computes something else.
        let other = try SmilesVAE(config: wide.config, seed: 8)
        #expect(abs(Self.recon(other) - before) > 1e-2 * abs(before))
        // Every new unit copies one old unit; the old ones stay in place.
        for j in 0..<5 { #expect(Self.source(of: j, in: wide, oldHidden: 5) == j) }
        for j in 5..<hidden { #expect(Self.source(of: j, in: wide, oldHidden: 5) != nil) }
    }

    /// The weights that read a unit are split in fractions that differ from row to row, so a
    /// unit and its copy get gradients that are not proportional and Adam moves them apart.
    @Test func copiesBecomeDifferentUnitsUnderAdam() throws {
        let narrow = try SmilesVAE(config: ModelTests.tinyConfig(), seed: 7)
        let wide = try narrow.widened(hidden: 10, seed: 3)
        let head = Self.parameter(wide, "decoder.head.weight"), cols = head.shape[1]
        let copy = (5..<10).first { Self.source(of: $0, in: wide, oldHidden: 5) == 0 }!
        let ratios = (0..<head.shape[0]).map { head.value[$0 * cols + copy] / head.value[$0 * cols] }
        #expect(ratios.max()! - ratios.min()! > 0.1, "\(ratios)")

        Self.trainWithAdam(wide, steps: 20)
        let w = Self.parameter(wide, "decoder.gru.weight_ih_l0"), c = w.shape[1]
        let difference = (0..<c).map { abs(w.value[copy * c + $0] - w.value[$0]) }.max()!
        #expect(difference > 1e-3, "unit 0 and its copy \(copy) still share their incoming weights")
    }

    @Test func refusesToNarrowOrKeepTheWidth() throws {
        let model = try SmilesVAE(config: ModelTests.tinyConfig(), seed: 7)
        for hidden in [3, 5] {
            #expect(throws: SmilesVAE.WideningError.self) { try model.widened(hidden: hidden, seed: 1) }
        }
    }
}
