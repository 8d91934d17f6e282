/// The head as a differentiable function of its input, for property-guided search: the
/// gradient of a weighted sum of its outputs with respect to mu. The training backward
/// (`lossAndBackward`) also accumulates weight gradients; this one leaves the head's
/// parameters and their gradients untouched.
extension PropertyHead {
    /// For each row of `z` ([rows, latent]): s = Σ_j weights[j] · predict(z)_j, and ds/dz.
    /// Returns the values [rows] and the gradients [rows, latent].
    public func weightedPrediction(at z: [Float], rows: Int, weights: [Float]) -> (values: [Float], gradients: [Float]) {
        precondition(z.count == rows * latent, "z needs rows * latent values")
        precondition(weights.count == outputs, "one weight per head output")
        guard rows > 0 else { return ([], []) }
        var values = [Float](repeating: 0, count: rows)
        var gradients = [Float](repeating: 0, count: rows * latent)
        // dS/d(hidden activation) before the ReLU mask is the same for every row: weights · W_out.
        var dActivation = [Float](repeating: 0, count: hiddenSize)
        let wOut = out.weight.value
        for j in 0..<outputs where weights[j] != 0 {
            for k in 0..<hiddenSize { dActivation[k] += weights[j] * wOut[j * hiddenSize + k] }
        }
        z.withUnsafeBufferPointer { zp in
            let activation = hidden.forward(zp.baseAddress!, rows: rows)
            Activation.relu.forward(activation, activation, count: rows * hiddenSize)
            let prediction = out.forward(activation, rows: rows)
            for r in 0..<rows {
                var s: Float = 0
                for j in 0..<outputs { s += weights[j] * prediction[r * outputs + j] }
                values[r] = s
            }
            // Mask by the ReLU (the activation is post-ReLU: zero exactly where the unit is off).
            var dPre = [Float](repeating: 0, count: rows * hiddenSize)
            for r in 0..<rows {
                for k in 0..<hiddenSize where activation[r * hiddenSize + k] > 0 { dPre[r * hiddenSize + k] = dActivation[k] }
            }
            dPre.withUnsafeBufferPointer { d in
                gradients.withUnsafeMutableBufferPointer { g in
                    sgemm(false, false, rows, latent, hiddenSize, 1, d.baseAddress!, hiddenSize, hidden.weight.value, latent,
                          0, g.baseAddress!, latent)
                }
            }
        }
        return (values, gradients)
    }
}
