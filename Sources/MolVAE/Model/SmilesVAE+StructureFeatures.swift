import Foundation

/// The decoder's structure features (`StructureFeatures`) in the model: computed over the
/// training strings under teacher forcing, over the decoder's own tokens when decoding, and
/// added to the first GRU layer's input gates through `structureGates`.
extension SmilesVAE {
    public enum StructureFeaturesError: Error, CustomStringConvertible {
        case alreadyPresent

        public var description: String {
            switch self {
            case .alreadyPresent: return "the model already has structure features"
            }
        }
    }

    /// A copy of this model that also reads structure features, with their gate rows at zero,
    /// so that it decodes exactly as this one does until training moves them.
    public func withStructureFeatures(vocabulary: [String]) throws -> SmilesVAE {
        guard !config.hasStructureFeatures else { throw StructureFeaturesError.alreadyPresent }
        var next = config
        next.structureFeatures = true
        let model = try SmilesVAE(config: next, structure: StructureFeatures(vocabulary: vocabulary))
        let old = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0) })
        for p in model.parameters where p !== model.structureGates { p.values = old[p.name]!.values }
        return model
    }

    /// The structure feature ids of every decoder row of the sorted batch (sortBatch and the
    /// decoder layout done), as the GRU's extra gate rows; nil for a model without the features.
    func structureGateRows(_ batch: TokenBatch, rows n: Int) -> GRU.GateRows? {
        guard let structureGates, let structure else { return nil }
        let k = StructureFeatures.perStep
        let ids = structureIds.reserve(n * k)
        for i in 0..<batchSize {
            let row = order[i], l = batch.lengths[row]
            var tracker = SMILESStructureTracker()
            for t in 0...l {
                StructureFeatures.write(tracker, to: ids + decoderLayout.row(i, t) * k)
                if t < l { structure.advance(&tracker, by: batch.token(row, t)) }
            }
        }
        return GRU.GateRows(ids: ids, perRow: k, table: structureGates)
    }

    /// Adds the structure gate rows of `tracker`'s state to one row of first-layer input gates
    /// (a decoding step); `ids` is scratch for `StructureFeatures.perStep` values.
    @inline(__always)
    func addStructureGates(of tracker: SMILESStructureTracker, to gates: UnsafeMutablePointer<Float>,
                           scratch ids: UnsafeMutablePointer<Int32>) {
        guard let structureGates else { return }
        let g3 = 3 * config.hidden
        StructureFeatures.write(tracker, to: ids)
        GRU.GateRows.add(rows: ids, count: StructureFeatures.perStep, of: structureGates.value, width: g3, to: gates)
    }
}
