/// How a convolution treats the sequence ends.
public enum ConvPadding: String, Codable, Sendable {
    /// Output length = input length; the window is centred (left pad = ((k-1)·d)/2, as
    /// PyTorch's padding="same") and reads zeros outside the sequence.
    case same
    /// Output length = input length − (k−1)·d; no padding.
    case valid
}

/// 1-D convolution over packed ragged sequences (RaggedLayout, rows = positions, columns =
/// channels), weights [out, in, k] as torch.nn.Conv1d. im2col gathers each output position's
/// window (zeros outside the sequence's own length, so a molecule gives the same numbers in any
/// batch, padded or not) and one GEMM does the rest. Rows exist only for valid positions.
public final class Conv1d {
    public let inChannels: Int
    public let outChannels: Int
    public let kernel: Int
    public let dilation: Int
    public let padding: ConvPadding
    public let weight: Parameter
    public let bias: Parameter
    public let output = FloatBuffer()
    public let outputLayout = RaggedLayout()
    let columns = FloatBuffer()
    let columnGrad = FloatBuffer()

    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int, dilation: Int = 1, padding: ConvPadding = .same) {
        precondition(kernel >= 1 && dilation >= 1)
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.dilation = dilation
        self.padding = padding
        weight = Parameter(name: name + ".weight", shape: [outChannels, inChannels, kernel])
        bias = Parameter(name: name + ".bias", shape: [outChannels])
    }

    public var parameters: [Parameter] { [weight, bias] }
    var span: Int { (kernel - 1) * dilation }
    var leftPad: Int { padding == .same ? span / 2 : 0 }
    var width: Int { inChannels * kernel }

    public func initDefault(rng: inout CounterRNG) {
        let bound = 1 / Float(width).squareRoot()
        weight.initUniform(bound: bound, rng: &rng)
        bias.initUniform(bound: bound, rng: &rng)
    }

    public func outputLength(_ length: Int) -> Int { padding == .same ? length : max(0, length - span) }

    /// x: [layout.total, inChannels]. Returns [outputLayout.total, outChannels].
    @discardableResult
    public func forward(_ x: UnsafePointer<Float>, layout: RaggedLayout) -> UnsafeMutablePointer<Float> {
        outputLayout.removeAll()
        for l in layout.lengths { outputLayout.append(outputLength(l)) }
        let rows = outputLayout.total, w = width
        let col = columns.reserve(rows * w)
        let k = kernel, cin = inChannels, lp = leftPad
        for b in 0..<layout.batch {
            let len = layout.lengths[b], inBase = layout.offsets[b], outBase = outputLayout.offsets[b]
            for t in 0..<outputLayout.lengths[b] {
                let dst = col + (outBase + t) * w
                for j in 0..<k {
                    let p = t - lp + j * dilation
                    if p >= 0 && p < len {
                        let src = x + (inBase + p) * cin
                        for c in 0..<cin { dst[c * k + j] = src[c] }
                    } else {
                        for c in 0..<cin { dst[c * k + j] = 0 }
                    }
                }
            }
        }
        let y = output.reserve(rows * outChannels)
        broadcastRows(y, bias.value, rows: rows, cols: outChannels)
        sgemm(false, true, rows, outChannels, w, 1, col, w, weight.value, w, 1, y, outChannels)
        return y
    }

    /// dy: [outputLayout.total, outChannels] for the last forward. Accumulates weight gradients;
    /// overwrites dx [layout.total, inChannels] if given.
    public func backward(_ dy: UnsafePointer<Float>, layout: RaggedLayout, dx: UnsafeMutablePointer<Float>?) {
        let rows = outputLayout.total, w = width
        sgemm(true, false, outChannels, w, rows, 1, dy, outChannels, columns.pointer, w, 1, weight.grad, w)
        accumulateColumnSums(bias.grad, dy, rows: rows, cols: outChannels)
        guard let dx else { return }
        let dcol = columnGrad.reserve(rows * w)
        sgemm(false, false, rows, w, outChannels, 1, dy, outChannels, weight.value, w, 0, dcol, w)
        dx.update(repeating: 0, count: layout.total * inChannels)
        let k = kernel, cin = inChannels, lp = leftPad
        for b in 0..<layout.batch {
            let len = layout.lengths[b], inBase = layout.offsets[b], outBase = outputLayout.offsets[b]
            for t in 0..<outputLayout.lengths[b] {
                let src = dcol + (outBase + t) * w
                for j in 0..<k {
                    let p = t - lp + j * dilation
                    guard p >= 0 && p < len else { continue }
                    let dst = dx + (inBase + p) * cin
                    for c in 0..<cin { dst[c] += src[c * k + j] }
                }
            }
        }
    }
}
