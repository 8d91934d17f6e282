import CKernels

/// A single-layer LSTM with torch.nn.LSTM's weights and gate order (input, forget, cell, output),
/// inference only. The work is split the way a caller that shares work between sequences needs
/// it: `project` computes the input half of the gates for many rows in one product, `step`
/// advances a batch of states by one time step from gates whose input half is already there.
///
/// torch adds b_ih and b_hh separately; here they are summed once, which changes a gate by at
/// most an ulp of the bias.
public final class LSTM {
    public let inputSize: Int
    public let hiddenSize: Int
    /// [4H, inputSize] and [4H, H], as weight_ih_l0 and weight_hh_l0.
    public let weightIH: [Float]
    public let weightHH: [Float]
    /// b_ih + b_hh, [4H].
    public let bias: [Float]
    /// The two weights packed for the AVX-512 product (`PackedWeights`), or nil where the products
    /// go through OpenBLAS (`kernel: .blas`, or a CPU without AVX-512).
    let packedIH: PackedWeights?
    let packedHH: PackedWeights?
    /// The fused step's weights (`fusedStep`), or nil where it is not used.
    let interleaved: Interleaved?

    /// W_ih, W_hh and the bias with their gate columns interleaved (CKernels/lstm_step.h: each
    /// 32-column panel holds the i, f, g, o gates of 8 hidden units), the two weights packed.
    struct Interleaved {
        let packedIH: PackedWeights
        let packedHH: PackedWeights
        let bias: [Float]
    }

    public init(weightIH: [Float], weightHH: [Float], biasIH: [Float], biasHH: [Float], inputSize: Int, hiddenSize: Int,
                kernel: ProductKernel = .auto, fusedStep: Bool = true) {
        let gates = 4 * hiddenSize
        precondition(weightIH.count == gates * inputSize && weightHH.count == gates * hiddenSize)
        precondition(biasIH.count == gates && biasHH.count == gates)
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.weightIH = weightIH
        self.weightHH = weightHH
        let bias = zip(biasIH, biasHH).map { $0 + $1 }
        self.bias = bias
        let packs = kernel == .auto
        packedIH = packs ? weightIH.withUnsafeBufferPointer { PackedWeights($0.baseAddress!, n: gates, k: inputSize) } : nil
        packedHH = packs ? weightHH.withUnsafeBufferPointer { PackedWeights($0.baseAddress!, n: gates, k: hiddenSize) } : nil
        if fusedStep && packedHH != nil && hiddenSize % 8 == 0 {
            let rows = (0..<gates).map { mk_lstm_interleaved_row($0, hiddenSize) }
            let ih = rows.flatMap { weightIH[($0 * inputSize)..<(($0 + 1) * inputSize)] }
            let hh = rows.flatMap { weightHH[($0 * hiddenSize)..<(($0 + 1) * hiddenSize)] }
            interleaved = Interleaved(packedIH: ih.withUnsafeBufferPointer { PackedWeights($0.baseAddress!, n: gates, k: inputSize)! },
                                      packedHH: hh.withUnsafeBufferPointer { PackedWeights($0.baseAddress!, n: gates, k: hiddenSize)! },
                                      bias: rows.map { bias[$0] })
        } else {
            interleaved = nil
        }
    }

    /// Whether the products run on the packed AVX-512 kernel.
    public var usesPackedKernel: Bool { packedHH != nil }

    public var gateWidth: Int { 4 * hiddenSize }

    /// Whether `projectInterleaved` and `fusedStep` may be called: the packed kernel is in use,
    /// the hidden size is a multiple of 8 and the LSTM was not made with `fusedStep: false`.
    public var usesFusedStep: Bool { interleaved != nil }

    /// gates[r] = W_ih · x[r] + b for `rows` rows of x [rows, inputSize]. `scratch` is the
    /// packed kernel's (each thread its own; unused on the OpenBLAS path).
    public func project(_ x: UnsafePointer<Float>, rows: Int, into gates: UnsafeMutablePointer<Float>, scratch: FloatBuffer) {
        guard rows > 0 else { return }
        let g = gateWidth
        bias.withUnsafeBufferPointer { b in broadcastRows(gates, b.baseAddress!, rows: rows, cols: g) }
        if let packedIH {
            packedIH.accumulate(x, lda: inputSize, rows: rows, into: gates, ldc: g, scratch: scratch)
        } else {
            weightIH.withUnsafeBufferPointer { w in
                MatrixProduct.cblas(false, true, rows, g, inputSize, 1, x, inputSize, w.baseAddress!, inputSize, 1, gates, g)
            }
        }
    }

    /// One time step for `rows` sequences: gates [rows, 4H] holds W_ih·x + b on entry (and is
    /// overwritten); h and c [rows, H] are the states, updated in place. `scratch` as in `project`.
    public func step(gates: UnsafeMutablePointer<Float>, h: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, rows: Int,
                     scratch: FloatBuffer) {
        guard rows > 0 else { return }
        let hs = hiddenSize, g = gateWidth
        if let packedHH {
            packedHH.accumulate(h, lda: hs, rows: rows, into: gates, ldc: g, scratch: scratch)
        } else {
            weightHH.withUnsafeBufferPointer { w in
                MatrixProduct.cblas(false, true, rows, g, hs, 1, h, hs, w.baseAddress!, hs, 1, gates, g)
            }
        }
        // c ← σ(f)·c + σ(i)·tanh(g); h ← σ(o)·tanh(c): a C kernel, AVX-512 where the CPU has it.
        for r in 0..<rows {
            mk_lstm_cell(gates + r * g, h + r * hs, c + r * hs, hs)
        }
    }

    /// `project` with the gate columns in the fused step's interleaved order (the same values,
    /// permuted). Only where `usesFusedStep`.
    public func projectInterleaved(_ x: UnsafePointer<Float>, rows: Int, into gates: UnsafeMutablePointer<Float>, scratch: FloatBuffer) {
        guard rows > 0, let interleaved else { return }
        interleaved.bias.withUnsafeBufferPointer { b in broadcastRows(gates, b.baseAddress!, rows: rows, cols: gateWidth) }
        interleaved.packedIH.accumulate(x, lda: inputSize, rows: rows, into: gates, ldc: gateWidth, scratch: scratch)
    }

    /// One time step for `rows` sequences on the fused kernel (CKernels/lstm_step.c), the same bits
    /// as `step`: row r's input half of the gates (from `projectInterleaved`) is read at inputs[r],
    /// which rows may share; h goes from hIn to hOut [rows, H] (not overlapping), c [rows, H] is
    /// updated in place. No gates matrix is written. Only where `usesFusedStep`.
    public func fusedStep(inputs: UnsafePointer<UnsafePointer<Float>?>, hIn: UnsafePointer<Float>, hOut: UnsafeMutablePointer<Float>,
                          c: UnsafeMutablePointer<Float>, rows: Int, scratch: FloatBuffer) {
        guard rows > 0, let interleaved else { return }
        let work = scratch.reserve(mk_lstm_step_scratch_size(rows, hiddenSize))
        mk_lstm_fused_step(rows, hiddenSize, inputs, interleaved.packedHH.pointer, hIn, hOut, c, work)
    }

    /// The whole sequence x [steps, inputSize] for one sequence from zero states; returns the
    /// hidden state after every step, [steps, H]. The plain definition, for checks.
    public func run(_ x: [Float], steps: Int) -> [Float] {
        precondition(x.count == steps * inputSize)
        var gates = [Float](repeating: 0, count: gateWidth)
        var h = [Float](repeating: 0, count: hiddenSize), c = h
        var out: [Float] = []
        out.reserveCapacity(steps * hiddenSize)
        let scratch = FloatBuffer()
        for t in 0..<steps {
            x.withUnsafeBufferPointer { xs in project(xs.baseAddress! + t * inputSize, rows: 1, into: &gates, scratch: scratch) }
            step(gates: &gates, h: &h, c: &c, rows: 1, scratch: scratch)
            out += h
        }
        return out
    }
}

