/// Reduction over time of packed ragged sequences to one vector per sequence.
/// - mean: smooth (every position gets gradient), independent of padding by construction,
///   costs only the valid positions; but it forgets where each feature was.
/// - max: offered for experiments.
/// - flatten: position t of every sequence goes to columns [t·channels, (t+1)·channels) of a
///   row `positions · channels` wide, zeros past the sequence's end (the reference CVAE's
///   flatten). The row keeps the order of the features, which a decoder that must give the
///   molecule back needs; only the first `activeWidth` columns (the batch's longest sequence)
///   are written, so a consumer that reads just those (Linear's `activeInputs`) pays for the
///   batch's own length, not for `positions`.
public enum PoolingKind: String, Codable, Sendable, CaseIterable {
    case mean, max, flatten
}

public final class MaskedPooling {
    public let kind: PoolingKind
    public let channels: Int
    /// Longest sequence a flatten pooling accepts (1 for mean and max).
    public let positions: Int
    public let output = FloatBuffer()
    /// Columns written by the last forward: `channels`, or the batch's longest sequence times
    /// `channels` for flatten.
    public private(set) var activeWidth: Int
    let argmax = IntBuffer()

    public init(kind: PoolingKind, channels: Int, positions: Int = 1) {
        self.kind = kind
        self.channels = channels
        self.positions = kind == .flatten ? positions : 1
        activeWidth = channels
    }

    /// Row stride of the output: `channels`, or `positions · channels` for flatten.
    public var width: Int { positions * channels }

    /// x [layout.total, channels] -> [batch, width]. A sequence of length 0 pools to zeros.
    @discardableResult
    public func forward(_ x: UnsafePointer<Float>, layout: RaggedLayout) -> UnsafeMutablePointer<Float> {
        let y = output.reserve(layout.batch * width)
        if kind == .flatten { flatten(x, layout: layout, into: y) } else { reduce(x, layout: layout, into: y) }
        return y
    }

    /// dy [batch, width] (only the first `activeWidth` columns are read); overwrites
    /// dx [layout.total, channels].
    public func backward(_ dy: UnsafePointer<Float>, layout: RaggedLayout, dx: UnsafeMutablePointer<Float>) {
        let c = channels
        if kind == .flatten {
            for b in 0..<layout.batch {
                (dx + layout.offsets[b] * c).update(from: dy + b * width, count: layout.lengths[b] * c)
            }
            return
        }
        dx.update(repeating: 0, count: layout.total * c)
        for b in 0..<layout.batch {
            let len = layout.lengths[b], base = layout.offsets[b], g = dy + b * c
            guard len > 0 else { continue }
            if kind == .mean {
                let inv = 1 / Float(len)
                for t in 0..<len { let row = dx + (base + t) * c; for j in 0..<c { row[j] = g[j] * inv } }
            } else {
                for j in 0..<c { dx[(base + Int(argmax.pointer[b * c + j])) * c + j] = g[j] }
            }
        }
    }

    private func flatten(_ x: UnsafePointer<Float>, layout: RaggedLayout, into y: UnsafeMutablePointer<Float>) {
        let c = channels
        var longest = 0
        for l in layout.lengths { longest = Swift.max(longest, l) }
        precondition(longest <= positions, "sequence of \(longest) positions; flatten pooling holds \(positions)")
        activeWidth = longest * c
        for b in 0..<layout.batch {
            let len = layout.lengths[b], out = y + b * width
            out.update(from: x + layout.offsets[b] * c, count: len * c)
            (out + len * c).update(repeating: 0, count: activeWidth - len * c)
        }
    }

    /// Mean or max over each sequence's positions.
    private func reduce(_ x: UnsafePointer<Float>, layout: RaggedLayout, into y: UnsafeMutablePointer<Float>) {
        let c = channels
        activeWidth = c
        let am = argmax.reserve(layout.batch * c)
        for b in 0..<layout.batch {
            let len = layout.lengths[b], base = layout.offsets[b], out = y + b * c
            out.update(repeating: 0, count: c)
            guard len > 0 else { continue }
            if kind == .mean {
                for t in 0..<len { let row = x + (base + t) * c; for j in 0..<c { out[j] += row[j] } }
                let inv = 1 / Float(len)
                for j in 0..<c { out[j] *= inv }
            } else {
                for j in 0..<c { out[j] = x[base * c + j]; am[b * c + j] = 0 }
                for t in 1..<Swift.max(1, len) {
                    let row = x + (base + t) * c
                    for j in 0..<c where row[j] > out[j] { out[j] = row[j]; am[b * c + j] = Int32(t) }
                }
            }
        }
    }
}
