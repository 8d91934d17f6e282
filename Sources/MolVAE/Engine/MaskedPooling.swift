/// Reduction over time of packed ragged sequences to one vector per sequence.
/// The VAE uses the mean: it is smooth (every position gets gradient), independent of padding
/// by construction, and costs only the valid positions. Max is offered for experiments.
public enum PoolingKind: String, Codable, Sendable {
    case mean, max
}

public final class MaskedPooling {
    public let kind: PoolingKind
    public let channels: Int
    public let output = FloatBuffer()
    let argmax = IntBuffer()

    public init(kind: PoolingKind, channels: Int) {
        self.kind = kind
        self.channels = channels
    }

    /// x [layout.total, channels] -> [batch, channels]. A sequence of length 0 pools to zeros.
    @discardableResult
    public func forward(_ x: UnsafePointer<Float>, layout: RaggedLayout) -> UnsafeMutablePointer<Float> {
        let c = channels
        let y = output.reserve(layout.batch * c)
        let am = argmax.reserve(layout.batch * c)
        for b in 0..<layout.batch {
            let len = layout.lengths[b], base = layout.offsets[b], out = y + b * c
            out.update(repeating: 0, count: c)
            guard len > 0 else { continue }
            switch kind {
            case .mean:
                for t in 0..<len { let row = x + (base + t) * c; for j in 0..<c { out[j] += row[j] } }
                let inv = 1 / Float(len)
                for j in 0..<c { out[j] *= inv }
            case .max:
                for j in 0..<c { out[j] = x[base * c + j]; am[b * c + j] = 0 }
                for t in 1..<max(1, len) {
                    let row = x + (base + t) * c
                    for j in 0..<c where row[j] > out[j] { out[j] = row[j]; am[b * c + j] = Int32(t) }
                }
            }
        }
        return y
    }

    /// Overwrites dx [layout.total, channels].
    public func backward(_ dy: UnsafePointer<Float>, layout: RaggedLayout, dx: UnsafeMutablePointer<Float>) {
        let c = channels
        dx.update(repeating: 0, count: layout.total * c)
        for b in 0..<layout.batch {
            let len = layout.lengths[b], base = layout.offsets[b], g = dy + b * c
            guard len > 0 else { continue }
            switch kind {
            case .mean:
                let inv = 1 / Float(len)
                for t in 0..<len { let row = dx + (base + t) * c; for j in 0..<c { row[j] = g[j] * inv } }
            case .max:
                for j in 0..<c { dx[(base + Int(argmax.pointer[b * c + j])) * c + j] = g[j] }
            }
        }
    }
}
