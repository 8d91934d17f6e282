/// Word dropout on decoder inputs (Bowman et al. 2016): each decoder input token after <bos>
/// is replaced by <unk> with the given probability. The draw for (molecule row, position) comes
/// from the counter RNG stream of (seed, step, row), so it does not depend on threads or on the
/// order the model processes rows in.
public struct WordDropout: Sendable, Equatable {
    public var probability: Float
    public var seed: UInt64
    public var step: UInt64
    /// Global position of the batch's row 0 (a rank's share of a global batch starts there).
    public var firstRow: Int

    public init(probability: Float, seed: UInt64, step: UInt64, firstRow: Int = 0) {
        self.probability = probability
        self.seed = seed
        self.step = step
        self.firstRow = firstRow
    }

    /// Whether the decoder input at `position` (1-based: position 0 is <bos>, never dropped)
    /// of batch row `row` becomes <unk>.
    @inline(__always)
    public func drops(row: Int, position: Int) -> Bool {
        guard probability > 0, position > 0 else { return false }
        if probability >= 1 { return true }
        var rng = CounterRNG(seed: seed, stream: 0x5744_0000_0000_0000 ^ (step << 20) ^ UInt64(firstRow + row), counter: UInt64(position))
        return rng.nextFloat() < probability
    }
}
