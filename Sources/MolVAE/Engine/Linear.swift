/// y = x W^T + b, with W shaped [out, in] as in torch.nn.Linear.
public final class Linear {
    public let inputs: Int
    public let outputs: Int
    public let weight: Parameter
    public let bias: Parameter?
    public let output = FloatBuffer()

    public init(name: String, inputs: Int, outputs: Int, bias: Bool = true) {
        self.inputs = inputs
        self.outputs = outputs
        weight = Parameter(name: name + ".weight", shape: [outputs, inputs])
        self.bias = bias ? Parameter(name: name + ".bias", shape: [outputs]) : nil
    }

    public var parameters: [Parameter] { bias.map { [weight, $0] } ?? [weight] }

    public func initDefault(rng: inout CounterRNG) {
        let bound = 1 / Float(inputs).squareRoot()
        weight.initUniform(bound: bound, rng: &rng)
        bias?.initUniform(bound: bound, rng: &rng)
    }

    /// Writes into `output` and returns it.
    /// `activeInputs` (default: all) reads only the first columns of each x row (stride stays
    /// `inputs`): the rest are known zeros, e.g. the positions past a batch's longest molecule.
    @discardableResult
    public func forward(_ x: UnsafePointer<Float>, rows: Int, activeInputs: Int? = nil) -> UnsafeMutablePointer<Float> {
        let y = output.reserve(rows * outputs)
        forward(x, rows: rows, into: y, activeInputs: activeInputs)
        return y
    }

    public func forward(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, activeInputs: Int? = nil) {
        let k = activeInputs ?? inputs
        precondition(k <= inputs, "activeInputs beyond inputs")
        if let b = bias { broadcastRows(y, b.value, rows: rows, cols: outputs) }
        sgemm(false, true, rows, outputs, k, 1, x, inputs, weight.value, inputs, bias == nil ? 0 : 1, y, outputs)
    }

    /// Accumulates scale * dW, scale * db; writes (or adds, if accumulate) scale * dy W into dx.
    /// The scale lets a loss weight (1/B, beta) ride on the GEMMs instead of an extra pass.
    /// With `activeInputs`, only those first columns of dW and dx are touched.
    public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, rows: Int,
                         dx: UnsafeMutablePointer<Float>?, accumulate: Bool = false, scale: Float = 1,
                         activeInputs: Int? = nil) {
        let k = activeInputs ?? inputs
        precondition(k <= inputs, "activeInputs beyond inputs")
        sgemm(true, false, outputs, k, rows, scale, dy, outputs, x, inputs, 1, weight.grad, inputs)
        if let b = bias { accumulateColumnSums(b.grad, dy, rows: rows, cols: outputs, scale: scale) }
        if let dx { sgemm(false, false, rows, k, outputs, scale, dy, outputs, weight.value, inputs, accumulate ? 1 : 0, dx, inputs) }
    }
}
