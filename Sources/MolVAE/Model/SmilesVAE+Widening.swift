/// Widening the decoder's GRU without changing what the model computes (Net2WiderNet, Chen et
/// al. 2016), so that a trained model can continue with more decoder capacity instead of
/// starting again from random weights.
///
/// Each new hidden unit copies an existing one: the same incoming weights and biases (so the
/// copies always hold the same state, starting from the same initial state), and every weight
/// that reads the unit (the recurrent matrices, the next layer's input matrix, the output head)
/// is split between the unit and its copies in fractions that sum to 1. The sum over the copies
/// is then the old weight times the old state: the widened model's logits equal the old ones
/// up to float rounding.
///
/// The fractions are drawn per reading weight, not per unit. With one fraction per unit the
/// copies' gradients would stay proportional, Adam (which is invariant to a gradient's scale)
/// would give them identical updates, and the copies would never become different units.
extension SmilesVAE {
    public enum WideningError: Error, CustomStringConvertible {
        case notWider(current: Int, requested: Int)

        public var description: String {
            switch self {
            case .notWider(let current, let requested):
                return "the decoder has \(current) hidden units; widening needs more than that, not \(requested)"
            }
        }
    }

    /// A copy of this model whose decoder GRU has `hidden` units per layer (more than now), and
    /// which decodes exactly as this one does. `seed` draws which units the new ones copy (each
    /// old unit at most once more than any other) and the split fractions.
    public func widened(hidden newHidden: Int, seed: UInt64) throws -> SmilesVAE {
        let oldHidden = config.hidden
        guard newHidden > oldHidden else { throw WideningError.notWider(current: oldHidden, requested: newHidden) }
        var wider = config
        wider.hidden = newHidden
        let model = try SmilesVAE(config: wider, structure: structure)
        var rng = CounterRNG(seed: seed, stream: 0x51DE)
        let source = Self.unitSources(old: oldHidden, new: newHidden, rng: &rng)
        var copies = [Int](repeating: 0, count: oldHidden)
        for s in source { copies[s] += 1 }

        let old = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0) })
        // Matrices whose columns read a layer's units: the recurrent ones, and the input ones
        // above the first layer.
        let readers = Set(gru.weightHH.map(\.name) + gru.weightIH.dropFirst().map(\.name))
        let gruParameters = Set(gru.parameters.map(\.name))
        let latentProjection = Set(latentToHidden.parameters.map(\.name))
        for p in model.parameters {
            let from = old[p.name]!
            if latentProjection.contains(p.name) {
                // Rows are [layer][unit]: each layer's block of units.
                copyRows(from: from, to: p, blocks: config.layers, source: source)
            } else if gruParameters.contains(p.name) {
                // Rows are [gate r, z, n][unit].
                copyRows(from: from, to: p, blocks: 3, source: source)
                if readers.contains(p.name) { splitColumns(of: p, source: source, copies: copies, rng: &rng) }
            } else if p.name == outputHead.weight.name {
                copyRows(from: from, to: p, blocks: 1, source: Array(0..<outputHead.outputs))
                splitColumns(of: p, source: source, copies: copies, rng: &rng)
            } else if p === model.structureGates {
                // Each row is first-layer input gates, [gate r, z, n][unit]: like a bias.
                for c in 0..<p.shape[0] {
                    for g in 0..<3 {
                        for u in 0..<newHidden { p.value[(c * 3 + g) * newHidden + u] = from.value[(c * 3 + g) * oldHidden + source[u]] }
                    }
                }
            } else {
                p.values = from.values
            }
        }
        return model
    }

    /// Which old unit each new unit copies: the old units in place, then each old unit once in a
    /// seeded random order (again, for widenings past twice the size).
    static func unitSources(old: Int, new: Int, rng: inout CounterRNG) -> [Int] {
        var source = Array(0..<old)
        while source.count < new {
            var round = Array(0..<old)
            for i in stride(from: old - 1, to: 0, by: -1) {
                round.swapAt(i, Int(rng.nextUInt64() % UInt64(i + 1)))
            }
            source += round.prefix(new - source.count)
        }
        return source
    }

    /// Fills `to` (rows = blocks x new units, any columns) with the rows of `from` (blocks x old
    /// units) that the new units copy. Columns are copied as they are (the caller widens them).
    private func copyRows(from: Parameter, to: Parameter, blocks: Int, source: [Int]) {
        let oldRows = from.shape[0] / blocks, newRows = to.shape[0] / blocks
        let oldCols = from.count / from.shape[0], newCols = to.count / to.shape[0]
        for b in 0..<blocks {
            for r in 0..<newRows {
                let dst = to.value + (b * newRows + r) * newCols, src = from.value + (b * oldRows + source[r]) * oldCols
                dst.update(from: src, count: oldCols)
            }
        }
    }

    /// Spreads each row's weight on an old unit (held in that unit's column, columns past the
    /// old width still empty) over the unit and its copies, in random fractions summing to 1.
    private func splitColumns(of p: Parameter, source: [Int], copies: [Int], rng: inout CounterRNG) {
        let cols = p.shape[1]
        var shares = [Float](repeating: 0, count: cols)
        var totals = [Float](repeating: 0, count: copies.count)
        for r in 0..<p.shape[0] {
            let row = p.value + r * cols
            for i in totals.indices { totals[i] = 0 }
            for j in 0..<cols {
                // Between 0.5 and 1.5 before normalising: no copy gets a vanishing share.
                shares[j] = copies[source[j]] == 1 ? 1 : 0.5 + rng.nextFloat()
                totals[source[j]] += shares[j]
            }
            let oldWeights = (0..<copies.count).map { row[$0] }
            for j in 0..<cols { row[j] = oldWeights[source[j]] * shares[j] / totals[source[j]] }
        }
    }
}
