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

    // Forward caches, one per layer: input gates [N,3H] (x part + b_ih), gate activations
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
    let dTokenTable = FloatBuffer()     // [V,3H]

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
        return run(x: x, constant: constant, h0: h0, h0Stride: h0Stride, layout: layout)
    }

    /// Layer 0's time-varying input is embedding[token] (tokens time-major packed [N]). With a
    /// small vocabulary, embedding · W_ie^T ([V, 3H]) is computed once and each row's input
    /// gates are a lookup: no [N, E] x [E, 3H] GEMM forward, and backward scatters the gate
    /// gradients into [V, 3H] instead of two more GEMMs over N rows. The embedding's gradient is
    /// accumulated here (no separate Embedding.backward).
    @discardableResult
    public func forward(tokens: UnsafePointer<Int32>, embedding: Embedding, constant: UnsafePointer<Float>?,
                        h0: UnsafePointer<Float>, h0Stride: Int, layout: TimeMajorLayout) -> UnsafeMutablePointer<Float> {
        precondition(embedding.dim == inputSize)
        lastTokens = tokens
        lastEmbedding = embedding
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
        let scratch = stepScratch.reserve(batch * g3)
        for l in 0..<layers {
            let isz = layerInputSize(l), ldw = layerWeightColumns(l)
            let gi = inputGates[l].reserve(n * g3)
            if l == 0, let tokens = lastTokens {
                let table = tokenTable.pointer, bias = biasIH[0].value
                for r in 0..<n {
                    let src = table + Int(tokens[r]) * g3, dst = gi + r * g3
                    for j in 0..<g3 { dst[j] = src[j] + bias[j] }
                }
            } else {
                let input: UnsafePointer<Float> = l == 0 ? x! : UnsafePointer(outputs[l - 1].pointer)
                broadcastRows(gi, biasIH[l].value, rows: n, cols: g3)
                sgemm(false, true, n, g3, isz, 1, input, isz, weightIH[l].value, ldw, 1, gi, g3)
            }
            let gates = gateValues[l].reserve(n * g3), hn = hiddenN[l].reserve(n * h)
            let prev = previous[l].reserve(n * h), out = outputs[l].reserve(n * h)
            let cg: UnsafePointer<Float>? = (l == 0 && constantSize > 0) ? UnsafePointer(constantGates.pointer) : nil
            let whh = weightHH[l].value, bhh = biasHH[l].value
            for t in 0..<layout.steps {
                let a = layout.active[t], base = layout.stepOffsets[t]
                let hp = prev + base * h
                if t == 0 {
                    for b in 0..<a { (hp + b * h).update(from: h0 + b * h0Stride + l * h, count: h) }
                } else {
                    hp.update(from: out + layout.stepOffsets[t - 1] * h, count: a * h)
                }
                broadcastRows(scratch, bhh, rows: a, cols: g3)
                sgemm(false, true, a, g3, h, 1, hp, h, whh, h, 1, scratch, g3)
                let giT = gi + base * g3, gv = gates + base * g3, hnT = hn + base * h, outT = out + base * h
                EngineThreads.parallelFor(a, minPerChunk: 32) { rows in
                    for b in rows {
                        let xi = giT + b * g3, hg = scratch + b * g3, gvb = gv + b * g3
                        let c = cg.map { $0 + b * g3 }
                        let hpb = hp + b * h, hnb = hnT + b * h, ob = outT + b * h
                        for j in 0..<h {
                            var ir = xi[j], iz = xi[h + j], inn = xi[2 * h + j]
                            if let c { ir += c[j]; iz += c[h + j]; inn += c[2 * h + j] }
                            let r = fastSigmoid(ir + hg[j])
                            let z = fastSigmoid(iz + hg[h + j])
                            let hnv = hg[2 * h + j]
                            let nv = fastTanh(inn + r * hnv)
                            gvb[j] = r; gvb[h + j] = z; gvb[2 * h + j] = nv; hnb[j] = hnv
                            ob[j] = (1 - z) * nv + z * hpb[j]
                        }
                    }
                }
            }
        }
        return outputs[layers - 1].pointer
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
            let gates = gateValues[l].pointer, hn = hiddenN[l].pointer, prev = previous[l].pointer
            let whh = weightHH[l].value
            carry.update(repeating: 0, count: batch * h)
            let dy = dTop
            for t in stride(from: layout.steps - 1, through: 0, by: -1) {
                let a = layout.active[t], base = layout.stepOffsets[t]
                let carried = t + 1 < layout.steps ? layout.active[t + 1] : 0
                let gv = gates + base * g3, hnT = hn + base * h, hpT = prev + base * h
                let dyT = dy + base * h, dgiT = dgi + base * g3, dghT = dgh + base * g3
                EngineThreads.parallelFor(a, minPerChunk: 32) { rows in
                    for b in rows {
                        let gvb = gv + b * g3, hnb = hnT + b * h, hpb = hpT + b * h, dyb = dyT + b * h
                        let di = dgiT + b * g3, dh = dghT + b * g3, cb = carry + b * h
                        let hasCarry = b < carried
                        for j in 0..<h {
                            let grad = dyb[j] + (hasCarry ? cb[j] : 0)
                            let r = gvb[j], z = gvb[h + j], nv = gvb[2 * h + j]
                            let dn = grad * (1 - z) * (1 - nv * nv)
                            let dz = grad * (hpb[j] - nv) * z * (1 - z)
                            let dr = dn * hnb[j] * r * (1 - r)
                            di[j] = dr; di[h + j] = dz; di[2 * h + j] = dn
                            dh[j] = dr; dh[h + j] = dz; dh[2 * h + j] = dn * r
                            cb[j] = grad * z
                        }
                    }
                }
                // carry += dgh_t W_hh: the gradient reaching h_{t-1} through the recurrence.
                sgemm(false, false, a, h, g3, 1, dghT, g3, whh, h, 1, carry, h)
            }
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

    /// One step for sampling, in place: h (rows [rows, H]) becomes h'. gi holds the full input
    /// projection of this step including b_ih (and the constant part).
    public func cell(layer l: Int, inputGates gi: UnsafePointer<Float>, hidden hs: UnsafeMutablePointer<Float>, rows a: Int) {
        let h = hiddenSize, g3 = 3 * h
        let scratch = stepScratch.reserve(a * g3)
        broadcastRows(scratch, biasHH[l].value, rows: a, cols: g3)
        sgemm(false, true, a, g3, h, 1, hs, h, weightHH[l].value, h, 1, scratch, g3)
        EngineThreads.parallelFor(a, minPerChunk: 32) { rows in
            for b in rows {
                let xi = gi + b * g3, hg = scratch + b * g3, hb = hs + b * h
                for j in 0..<h {
                    let r = fastSigmoid(xi[j] + hg[j])
                    let z = fastSigmoid(xi[h + j] + hg[h + j])
                    let nv = fastTanh(xi[2 * h + j] + r * hg[2 * h + j])
                    hb[j] = (1 - z) * nv + z * hb[j]
                }
            }
        }
    }
}
