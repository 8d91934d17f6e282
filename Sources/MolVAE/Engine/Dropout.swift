/// Inverted dropout: kept values are scaled by 1/(1-p) so evaluation needs no rescaling.
/// The mask comes from the counter RNG with a caller-chosen stream (e.g. the step number),
/// so it does not depend on the thread count.
public final class Dropout {
    public let probability: Float
    public let output = FloatBuffer()
    let mask = FloatBuffer()

    public init(probability: Float) {
        precondition(probability >= 0 && probability < 1)
        self.probability = probability
    }

    @discardableResult
    public func forward(_ x: UnsafePointer<Float>, count n: Int, training: Bool, seed: UInt64, stream: UInt64) -> UnsafeMutablePointer<Float> {
        let y = output.reserve(n), m = mask.reserve(n)
        if !training || probability == 0 {
            m.update(repeating: 1, count: n)
            y.update(from: x, count: n)
            return y
        }
        let keep = 1 / (1 - probability)
        var rng = CounterRNG(seed: seed, stream: stream)
        for i in 0..<n {
            m[i] = rng.nextFloat() < probability ? 0 : keep
            y[i] = x[i] * m[i]
        }
        return y
    }

    public func backward(_ dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n { dx[i] = dy[i] * mask.pointer[i] }
    }
}
