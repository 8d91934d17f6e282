/// 1-D convolution with a stride and TensorFlow's "same" padding, inference only, without bias:
/// the convolution Keras models such as ChemNet were trained with (fcd_torch's `SamePadding1d`
/// followed by `nn.Conv1d(bias=False)`).
///
/// Sequences have a nominal length (every sequence of a batch is padded to it) but only a prefix
/// of each is non-zero. Without a bias, a window that sees only zeros gives exactly zero, so the
/// layer stores and computes only the outputs whose window reaches the non-zero prefix: a ragged
/// batch in, a ragged batch out, with an implicit zero tail on both sides.
public final class StridedConv1d {
    public let inChannels: Int
    public let outChannels: Int
    public let kernel: Int
    public let stride: Int
    /// [outChannels, inChannels, kernel], as torch.nn.Conv1d.
    public let weight: [Float]
    /// The weight as [outChannels, inChannels · kernel] packed for the AVX-512 product, or nil
    /// (OpenBLAS). Its rows come out the same whatever the other rows of the batch, which keeps a
    /// molecule's ChemNet features exactly independent of its company.
    let packed: PackedWeights?

    public init(weight: [Float], inChannels: Int, outChannels: Int, kernel: Int, stride: Int, product: ProductKernel = .auto) {
        precondition(weight.count == outChannels * inChannels * kernel && kernel >= 1 && stride >= 1)
        self.weight = weight
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        packed = product == .auto
            ? weight.withUnsafeBufferPointer { PackedWeights($0.baseAddress!, n: outChannels, k: inChannels * kernel) } : nil
    }

    /// Output length for a nominal input length: ceil(length / stride), as TensorFlow "same".
    public func outputLength(_ length: Int) -> Int { (length + stride - 1) / stride }

    /// Zeros added before the sequence: TensorFlow pads max(k − s, 0) (or max(k − length mod s, 0)
    /// when s does not divide the length) in total, the smaller half in front.
    public func leftPadding(_ length: Int) -> Int {
        let total = length % stride == 0 ? max(kernel - stride, 0) : max(kernel - length % stride, 0)
        return total / 2
    }

    /// How many outputs see at least one of the first `nonZero` inputs: output q reads inputs
    /// q·s − left … q·s − left + k − 1, so it is non-zero only while q·s − left ≤ nonZero − 1.
    public func nonZeroOutputs(nominalLength length: Int, nonZero: Int) -> Int {
        guard nonZero > 0 else { return 0 }
        return min(outputLength(length), (nonZero - 1 + leftPadding(length)) / stride + 1)
    }

    /// x: [layout.total, inChannels], the non-zero prefix of each sequence of nominal length
    /// `length`. Writes [outputLayout.total, outChannels] to `output` and the non-zero output
    /// lengths to `outputLayout`; `columns` is scratch space for the gathered windows, `scratch`
    /// the packed product's. The layer holds only its weights, so threads may share it, each with
    /// its own buffers.
    public func forward(_ x: UnsafePointer<Float>, layout: RaggedLayout, nominalLength length: Int,
                        output: FloatBuffer, outputLayout: RaggedLayout, columns: FloatBuffer, scratch: FloatBuffer) {
        outputLayout.removeAll()
        for n in layout.lengths { outputLayout.append(nonZeroOutputs(nominalLength: length, nonZero: n)) }
        let rows = outputLayout.total, width = inChannels * kernel
        let col = columns.reserve(rows * width)
        let k = kernel, cin = inChannels, left = leftPadding(length)
        for b in 0..<layout.batch {
            let n = layout.lengths[b], inBase = layout.offsets[b], outBase = outputLayout.offsets[b]
            for q in 0..<outputLayout.lengths[b] {
                let dst = col + (outBase + q) * width
                for j in 0..<k {
                    let p = q * stride - left + j
                    if p >= 0 && p < n {
                        let src = x + (inBase + p) * cin
                        for c in 0..<cin { dst[c * k + j] = src[c] }
                    } else {
                        for c in 0..<cin { dst[c * k + j] = 0 }
                    }
                }
            }
        }
        let y = output.reserve(rows * outChannels)
        guard rows > 0 else { return }
        if let packed {
            y.update(repeating: 0, count: rows * outChannels)
            packed.accumulate(col, lda: width, rows: rows, into: y, ldc: outChannels, scratch: scratch)
        } else {
            weight.withUnsafeBufferPointer { w in
                MatrixProduct.cblas(false, true, rows, outChannels, width, 1, col, width, w.baseAddress!, width, 0, y, outChannels)
            }
        }
    }
}
