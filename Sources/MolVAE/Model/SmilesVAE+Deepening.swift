import Foundation

/// Deepening the decoder: one more GRU layer on top of the others that starts as nearly the
/// identity (Net2DeeperNet, Chen et al. 2016, for a GRU), so that a trained model can go on with
/// a deeper decoder instead of starting again from random weights. The MOSES VAE decodes with
/// three GRU layers.
///
/// A GRU layer cannot be the identity exactly: its state is a tanh of its input. The new layer's
/// candidate reads the layer below through a·I (a = `deepeningInputScale`, small, where tanh is
/// nearly linear), its update gate is held almost shut by a bias of `deepeningGateBias` (−6:
/// σ = 0.0025), and its recurrent weights and initial state start at zero. Its state is then
/// (1 − σ) tanh(a h) + σ h_prev ≈ (1 − σ) a h, and the output head's weights are divided by
/// (1 − σ) a. With |h| < 1 the cubic term of tanh leaves a relative error under a²/3 (0.33%) and
/// the previous state leaks in at 0.25%: the deepened model's loss is within a few tenths of a
/// percent of the old one's (measured in the tests), and every new weight gets a gradient from
/// the first step (the gate bias is not so large that σ' vanishes).
extension SmilesVAE {
    public static let deepeningInputScale: Float = 0.1
    public static let deepeningGateBias: Float = -6

    /// A copy of this model with one more decoder GRU layer on top, which decodes nearly as this
    /// one does (see above).
    public func deepened() throws -> SmilesVAE {
        var deeper = config
        deeper.layers += 1
        let model = try SmilesVAE(config: deeper, structure: structure)
        let h = config.hidden, top = config.layers
        let gate = 1 / (1 + exp(-Self.deepeningGateBias))
        let headScale = 1 / ((1 - gate) * Self.deepeningInputScale)
        let old = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0) })
        let latentProjection = Set(latentToHidden.parameters.map(\.name))
        for p in model.parameters {
            if let from = old[p.name] {
                if latentProjection.contains(p.name) {
                    // Rows are [layer][unit]: the old layers' rows first, the new layer's initial
                    // state zero.
                    p.value.update(from: from.value, count: from.count)
                    (p.value + from.count).update(repeating: 0, count: p.count - from.count)
                } else if p.name == outputHead.weight.name {
                    p.values = from.values.map { $0 * headScale }
                } else {
                    p.values = from.values
                }
                continue
            }
            // The new layer's parameters: zero but for the candidate's input diagonal and the
            // update gate's bias. Rows are [gate r, z, n][unit].
            p.value.update(repeating: 0, count: p.count)
            if p.name == model.gru.weightIH[top].name {
                for i in 0..<h { p.value[(2 * h + i) * h + i] = Self.deepeningInputScale }
            } else if p.name == model.gru.biasIH[top].name {
                (p.value + h).update(repeating: Self.deepeningGateBias, count: h)
            }
        }
        return model
    }
}
