import Foundation

/// Multi-layer GRU in PyTorch's formulation and parameter layout (gate order r, z, n):
///   r = σ(W_ir x + b_ir + W_hr h + b_hr),  z = σ(W_iz x + b_iz + W_hz h + b_hz)
///   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)),  h' = (1 − z) ⊙ n + z ⊙ h
/// Sequences are packed time-major (TimeMajorLayout, longest first): at step t only the first
/// active[t] rows are computed, so padding costs nothing.
///
/// Layer 0's input is [x_t ; c]: a time-varying part x (e.g. a token embedding) and a part c
/// that is constant over time (e.g. the latent z). weight_ih_l0 is [3H, I + C] exactly as in
/// torch, but the c columns are multiplied once per sequence, not once per step; their gradient
/// uses the per-sequence sum over time of the gate gradients.
/// The input projections of all steps are one GEMM; backward accumulates the recurrent weight
/// gradient of all steps as one GEMM too.
public final class GRU {
    public let inputSize: Int
    public let constantSize: Int
    public let hiddenSize: Int
    public let layers: Int
    public let weightIH: [Parameter]
    public let weightHH: [Parameter]
    public let biasIH: [Parameter]
    public let biasHH: [Parameter]

    // Forward caches, one per layer: input gates [N,3H] (x part + b_ih + constant part), gate activations
    // r,z,n [N,3H], W_hn h + b_hn [N,H], previous hidden state per row [N,H], outputs [N,H].
    let inputGates: [FloatBuffer]
    let gateValues: [FloatBuffer]
    let hiddenN: [FloatBuffer]
    let previous: [FloatBuffer]
    public let outputs: [FloatBuffer]
    let constantGates = FloatBuffer()   // [B,3H]: c W_ic^T, once per sequence
    let stepScratch = FloatBuffer()     // [B,3H]: W_h h + b_h for one step
    // Backward workspaces.
    let dInputGates = FloatBuffer()     // [N,3H]
    let dHiddenGates = FloatBuffer()    // [N,3H]
    let dCarry = FloatBuffer()          // [B,H]
    let dConstantGates = FloatBuffer()  // [B,3H]
    let dLayerOutput = [FloatBuffer(), FloatBuffer()]
    public let inputGrad = FloatBuffer()     // [N,I]
    public let constantGrad = FloatBuffer()  // [B,C]

    private var lastInput: UnsafePointer<Float>?
    private var lastConstant: UnsafePointer<Float>?
    // Token input: layer 0's x is embedding[token]; see forward(tokens:).
    private var lastTokens: UnsafePointer<Int32>?
    private var lastEmbedding: Embedding?
    let tokenTable = FloatBuffer()      // [V,3H]: embedding · W_ie^T
    private var lastGateRows: GateRows?
    let dTokenTable = FloatBuffer()     // [V,3H]

    /// Extra input-gate rows for layer 0 in token mode: `perRow` ids per packed row into `table`.
    public struct GateRows {
        public let ids: UnsafePointer<Int32>
        public let perRow: Int
        public let table: Parameter
        public init(ids: UnsafePointer<Int32>, perRow: Int, table: Parameter) {
            self.ids = ids
            self.perRow = perRow
            self.table = table
        }

        /// Adds the `table` rows named by `ids[0..<count]` to one gate row of `width` floats:
        /// the forward step shared by teacher forcing (here) and one-step decoding (the model's).
        public static func add(rows ids: UnsafePointer<Int32>, count: Int, of table: UnsafePointer<Float>,
                               width: Int, to gates: UnsafeMutablePointer<Float>) {
            for i in 0..<count {
                let src = table + Int(ids[i]) * width
                for j in 0..<width { gates[j] += src[j] }
            }
        }
    }

    public init(name: String = "gru", inputSize: Int, constantSize: Int = 0, hiddenSize: Int, layers: Int = 1) {
        precondition(layers >= 1 && hiddenSize >= 1)
        self.inputSize = inputSize
        self.constantSize = constantSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        let h = hiddenSize
        weightIH = (0..<layers).map { Parameter(name: "\(name).weight_ih_l\($0)", shape: [3 * h, $0 == 0 ? inputSize + constantSize : h]) }
        weightHH = (0..<layers).map { Parameter(name: "\(name).weight_hh_l\($0)", shape: [3 * h, h]) }
        biasIH = (0..<layers).map { Parameter(name: "\(name).bias_ih_l\($0)", shape: [3 * h]) }
        biasHH = (0..<layers).map { Parameter(name: "\(name).bias_hh_l\($0)", shape: [3 * h]) }
        inputGates = (0..<layers).map { _ in FloatBuffer() }
        gateValues = (0..<layers).map { _ in FloatBuffer() }
        hiddenN = (0..<layers).map { _ in FloatBuffer() }
        previous = (0..<layers).map { _ in FloatBuffer() }
        outputs = (0..<layers).map { _ in FloatBuffer() }
    }

    /// In torch's named_parameters order.
    public var parameters: [Parameter] {
        (0..<layers).flatMap { [weightIH[$0], weightHH[$0], biasIH[$0], biasHH[$0]] }
    }

    public func initDefault(rng: inout CounterRNG) {
        let bound = 1 / Float(hiddenSize).squareRoot()
        for p in parameters { p.initUniform(bound: bound, rng: &rng) }
    }

    func layerInputSize(_ l: Int) -> Int { l == 0 ? inputSize : hiddenSize }
    func layerWeightColumns(_ l: Int) -> Int { l == 0 ? inputSize + constantSize : hiddenSize }

    /// x: [layout.total, inputSize] time-major packed; constant: [B, constantSize] (nil if
    /// constantSize is 0); h0: layer l of sequence b at h0[b * h0Stride + l * H].
    /// Returns the top layer's outputs [layout.total, H]. The pointers must stay valid until
    /// backward.
    @discardableResult
    public func forward(x: UnsafePointer<Float>, constant: UnsafePointer<Float>?, h0: UnsafePointer<Float>, h0Stride: Int,
                        layout: TimeMajorLayout) -> UnsafeMutablePointer<Float> {
        lastTokens = nil
        lastEmbedding = nil
        lastGateRows = nil
        return run(x: x, constant: constant, h0: h0, h0Stride: h0Stride, layout: layout)
    }

    /// Layer 0's time-varying input is embedding[token] (tokens time-major packed [N]). With a
    /// small vocabulary, embedding · W_ie^T ([V, 3H]) is computed once and each row's input
    /// gates are a lookup: no [N, E] x [E, 3H] GEMM forward, and backward scatters the gate
    /// gradients into [V, 3H] instead of two more GEMMs over N rows. The embedding's gradient is
    /// accumulated here (no separate Embedding.backward).
    ///
    /// gateRows (optional) adds, to each row's layer-0 input gates, rows of a learned table:
    /// `perRow` ids per row (packed like the tokens), each naming a row of `table` ([C, 3H]); the
    /// table's gradient is accumulated by backward. An embedding of categorical inputs straight
    /// into gate space (the decoder's structure features).
    @discardableResult
    public func forward(tokens: UnsafePointer<Int32>, embedding: Embedding, constant: UnsafePointer<Float>?,
                        h0: UnsafePointer<Float>, h0Stride: Int, layout: TimeMajorLayout,
                        gateRows: GateRows? = nil) -> UnsafeMutablePointer<Float> {
        precondition(embedding.dim == inputSize)
        precondition(gateRows.map { $0.table.count % (3 * hiddenSize) == 0 } ?? true, "gate rows need 3H columns")
        lastTokens = tokens
        lastEmbedding = embedding
        lastGateRows = gateRows
        let v = embedding.count, g3 = 3 * hiddenSize
        sgemm(false, true, v, g3, inputSize, 1, embedding.weight.value, inputSize, weightIH[0].value, inputSize + constantSize,
              0, tokenTable.reserve(v * g3), g3)
        return run(x: nil, constant: constant, h0: h0, h0Stride: h0Stride, layout: layout)
    }

    func run(x: UnsafePointer<Float>?, constant: UnsafePointer<Float>?, h0: UnsafePointer<Float>, h0Stride: Int,
             layout: TimeMajorLayout) -> UnsafeMutablePointer<Float> {
        precondition(constantSize == 0 || constant != nil)
        lastInput = x
        lastConstant = constant
        let n = layout.total, batch = layout.batch, h = hiddenSize, g3 = 3 * h
        if constantSize > 0, let constant {
            let cg = constantGates.reserve(batch * g3)
            sgemm(false, true, batch, g3, constantSize, 1, constant, constantSize, weightIH[0].value + inputSize, inputSize + constantSize, 0, cg, g3)
        }
        stepScratch.reserve(batch * g3)
        for l in 0..<layers {
            let isz = layerInputSize(l), ldw = layerWeightColumns(l)
            let gi = inputGates[l].reserve(n * g3)
            if l == 0, let tokens = lastTokens {
                let table = tokenTable.pointer, bias = biasIH[0].value
                for r in 0..<n {
                    let src = table + Int(tokens[r]) * g3, dst = gi + r * g3
                    for j in 0..<g3 { dst[j] = src[j] + bias[j] }
                }
                if let extra = lastGateRows {
                    let rows = UnsafePointer(extra.table.value), k = extra.perRow
                    for r in 0..<n {
                        GateRows.add(rows: extra.ids + r * k, count: k, of: rows, width: g3, to: gi + r * g3)
                    }
                }
            } else {
                let input: UnsafePointer<Float> = l == 0 ? x! : UnsafePointer(outputs[l - 1].pointer)
                broadcastRows(gi, biasIH[l].value, rows: n, cols: g3)
                sgemm(false, true, n, g3, isz, 1, input, isz, weightIH[l].value, ldw, 1, gi, g3)
            }
            if l == 0 && constantSize > 0 {
                // The constant part's gates, computed once per sequence, join every step's row.
                let cg = constantGates.pointer
                for t in 0..<layout.steps {
                    let base = gi + layout.stepOffsets[t] * g3
                    for i in 0..<(layout.active[t] * g3) { base[i] += cg[i] }
                }
            }
            gateValues[l].reserve(n * g3)
            hiddenN[l].reserve(n * h)
            previous[l].reserve(n * h)
            outputs[l].reserve(n * h)
            inParallelRowGroups(layout, RowGroupSteps(gru: self, layer: l, layout: layout, pass: .forward(h0: h0, h0Stride: h0Stride)))
        }
        return outputs[layers - 1].pointer
    }

    /// Row groups for the recurrence. Sequences never interact, so with T threads the batch is cut
    /// into T contiguous groups of about equal total length, and each thread runs every step of
    /// its group with single-threaded GEMMs: no synchronisation per step (a 2-thread GEMM of 128
    /// rows syncs twice per step), and the gate loops run in parallel with the other group's GEMM.
    private var groupBounds: [Int] = []

    func inParallelRowGroups(_ layout: TimeMajorLayout, _ steps: RowGroupSteps) {
        let parts = min(EngineThreads.count, max(1, layout.batch / 8))
        if parts <= 1 { steps.run(rows: 0..<layout.batch); return }
        groupBounds.removeAll(keepingCapacity: true)
        groupBounds.append(0)
        var acc = 0
        for b in 0..<layout.batch {
            acc += layout.lengths[b]
            if groupBounds.count < parts && acc * parts >= layout.total * groupBounds.count { groupBounds.append(b + 1) }
        }
        while groupBounds.count <= parts { groupBounds.append(layout.batch) }
        EngineThreads.setGEMMThreads(1)
        EngineThreads.parallelFor(parts, minPerChunk: 1, work: steps)
        EngineThreads.restoreGEMMThreads()
    }

    /// One layer's recurrence over a set of row groups: the parallel loop body of
    /// `inParallelRowGroups`, a value rather than a closure so the loop allocates nothing.
    struct RowGroupSteps: ParallelWork {
        enum Pass {
            case forward(h0: UnsafePointer<Float>, h0Stride: Int)
            case backward(dOut: UnsafePointer<Float>)
        }
        let gru: GRU
        let layer: Int
        let layout: TimeMajorLayout
        let pass: Pass

        /// Row groups `groups` (indices into `groupBounds`).
        func run(_ groups: Range<Int>) {
            let bounds = gru.groupBounds
            for p in groups where bounds[p] < bounds[p + 1] { run(rows: bounds[p]..<bounds[p + 1]) }
        }

        func run(rows: Range<Int>) {
            switch pass {
            case let .forward(h0, h0Stride): gru.forwardSteps(layer: layer, rows: rows, layout: layout, h0: h0, h0Stride: h0Stride)
            case let .backward(dOut): gru.backwardSteps(layer: layer, rows: rows, layout: layout, dOut: dOut)
            }
        }
    }

    /// All steps of layer l for sequences `rows` (a contiguous group of the sorted batch).
    func forwardSteps(layer l: Int, rows: Range<Int>, layout: TimeMajorLayout, h0: UnsafePointer<Float>, h0Stride: Int) {
        let h = hiddenSize, g3 = 3 * h
        let gi = inputGates[l].pointer, gates = gateValues[l].pointer, hn = hiddenN[l].pointer
        let prev = previous[l].pointer, out = outputs[l].pointer, scratch = stepScratch.pointer
        let whh = weightHH[l].value, bhh = biasHH[l].value
        let lo = rows.lowerBound
        for t in 0..<layout.steps {
            let a = min(layout.active[t], rows.upperBound), base = layout.stepOffsets[t]
            guard a > lo else { break }
            let m = a - lo
            let hp = prev + (base + lo) * h
            if t == 0 {
                for b in lo..<a { (prev + (base + b) * h).update(from: h0 + b * h0Stride + l * h, count: h) }
            } else {
                hp.update(from: out + (layout.stepOffsets[t - 1] + lo) * h, count: m * h)
            }
            let gh = scratch + lo * g3
            broadcastRows(gh, bhh, rows: m, cols: g3)
            sgemm(false, true, m, g3, h, 1, hp, h, whh, h, 1, gh, g3)
            for b in lo..<a {
                let row = base + b
                gruRow(gi + row * g3, scratch + b * g3, prev + row * h, h, out + row * h,
                       gates: gates + row * g3, hn: hn + row * h)
            }
        }
    }

    /// dOut: gradient of the top layer's outputs [N, H] (overwritten as scratch).
    /// Accumulates parameter gradients; writes inputGrad [N, I] (dense input only; with token
    /// input the embedding gradient is accumulated instead), constantGrad [B, C] and the
    /// initial-state gradient into dh0 (same strided layout as h0, overwritten).
    public func backward(dOut: UnsafeMutablePointer<Float>, layout: TimeMajorLayout,
                         dh0: UnsafeMutablePointer<Float>, h0Stride: Int) {
        let n = layout.total, batch = layout.batch, h = hiddenSize, g3 = 3 * h
        let dgi = dInputGates.reserve(n * g3), dgh = dHiddenGates.reserve(n * g3)
        let carry = dCarry.reserve(batch * h)
        var dTop = dOut
        for l in stride(from: layers - 1, through: 0, by: -1) {
            let prev = previous[l].pointer
            carry.update(repeating: 0, count: batch * h)
            inParallelRowGroups(layout, RowGroupSteps(gru: self, layer: l, layout: layout, pass: .backward(dOut: dTop)))
            for b in 0..<batch { (dh0 + b * h0Stride + l * h).update(from: carry + b * h, count: h) }
            // All steps at once: dW_hh += dgh^T h_prev, biases are column sums.
            sgemm(true, false, g3, h, n, 1, dgh, g3, prev, h, 1, weightHH[l].grad, h)
            accumulateColumnSums(biasHH[l].grad, dgh, rows: n, cols: g3)
            accumulateColumnSums(biasIH[l].grad, dgi, rows: n, cols: g3)
            let isz = layerInputSize(l), ldw = layerWeightColumns(l)
            let dx = l == 0 ? inputGrad.reserve(n * isz) : dLayerOutput[l % 2].reserve(n * isz)
            if l == 0, let tokens = lastTokens, let embedding = lastEmbedding {
                let v = embedding.count, dt = dTokenTable.reserve(v * g3)
                dt.update(repeating: 0, count: v * g3)
                for r in 0..<n {
                    let src = dgi + r * g3, dst = dt + Int(tokens[r]) * g3
                    for j in 0..<g3 { dst[j] += src[j] }
                }
                sgemm(true, false, g3, isz, v, 1, dt, g3, embedding.weight.value, isz, 1, weightIH[0].grad, ldw)
                if let extra = lastGateRows {
                    let k = extra.perRow, grad = extra.table.grad
                    for r in 0..<n {
                        let src = dgi + r * g3
                        for i in 0..<k {
                            let dst = grad + Int(extra.ids[r * k + i]) * g3
                            for j in 0..<g3 { dst[j] += src[j] }
                        }
                    }
                }
                sgemm(false, false, v, isz, g3, 1, dt, g3, weightIH[0].value, ldw, 1, embedding.weight.grad, isz)
            } else {
                let input: UnsafePointer<Float> = l == 0 ? lastInput! : UnsafePointer(outputs[l - 1].pointer)
                sgemm(true, false, g3, isz, n, 1, dgi, g3, input, isz, 1, weightIH[l].grad, ldw)
                sgemm(false, false, n, isz, g3, 1, dgi, g3, weightIH[l].value, ldw, 0, dx, isz)
            }
            if l == 0 && constantSize > 0, let constant = lastConstant {
                // Per-sequence sum over time of the gate gradients, then two small GEMMs.
                let dcg = dConstantGates.reserve(batch * g3)
                dcg.update(repeating: 0, count: batch * g3)
                for t in 0..<layout.steps {
                    let a = layout.active[t], src = dgi + layout.stepOffsets[t] * g3
                    for i in 0..<(a * g3) { dcg[i] += src[i] }
                }
                let c = constantSize, ldc = inputSize + constantSize
                sgemm(true, false, g3, c, batch, 1, dcg, g3, constant, c, 1, weightIH[0].grad + inputSize, ldc)
                sgemm(false, false, batch, c, g3, 1, dcg, g3, weightIH[0].value + inputSize, ldc, 0, constantGrad.reserve(batch * c), c)
            }
            dTop = dx
        }
    }

    /// All steps of layer l backwards for sequences `rows`: per-row gate gradients into
    /// dInputGates/dHiddenGates and the recurrent gradient into dCarry, from dOut (the layer's
    /// output gradient) and the forward pass's saved gates.
    func backwardSteps(layer l: Int, rows: Range<Int>, layout: TimeMajorLayout, dOut dy: UnsafePointer<Float>) {
        let h = hiddenSize, g3 = 3 * h
        let gates = gateValues[l].pointer, hn = hiddenN[l].pointer, prev = previous[l].pointer
        let dgi = dInputGates.pointer, dgh = dHiddenGates.pointer, carry = dCarry.pointer
        let whh = weightHH[l].value
        let lo = rows.lowerBound
        for t in stride(from: layout.steps - 1, through: 0, by: -1) {
            let a = min(layout.active[t], rows.upperBound), base = layout.stepOffsets[t]
            guard a > lo else { continue }
            let carried = t + 1 < layout.steps ? layout.active[t + 1] : 0
            for b in lo..<a {
                let row = base + b
                gruRowBackward(gates: gates + row * g3, hn: hn + row * h, hPrev: prev + row * h, dOut: dy + row * h,
                               carry: carry + b * h, hasCarry: b < carried, dInput: dgi + row * g3,
                               dHidden: dgh + row * g3, h)
            }
            // carry += dgh_t W_hh: the gradient reaching h_{t-1} through the recurrence.
            sgemm(false, false, a - lo, h, g3, 1, dgh + (base + lo) * g3, g3, whh, h, 1, carry + lo * h, h)
        }
    }

    /// One step for sampling, in place: h (rows [rows, H]) becomes h'. gi holds the full input
    /// projection of this step including b_ih (and the constant part); it is used as scratch.
    /// scratch: [rows, 3H] floats owned by the caller (so several threads can decode
    /// independent groups of rows at once).
    public func cell(layer l: Int, inputGates gi: UnsafeMutablePointer<Float>, hidden hs: UnsafeMutablePointer<Float>, rows a: Int,
                     scratch: UnsafeMutablePointer<Float>) {
        let h = hiddenSize, g3 = 3 * h
        broadcastRows(scratch, biasHH[l].value, rows: a, cols: g3)
        sgemm(false, true, a, g3, h, 1, hs, h, weightHH[l].value, h, 1, scratch, g3)
        for b in 0..<a {
            gruRowInPlace(gi + b * g3, scratch + b * g3, hs + b * h, h)
        }
    }
}
