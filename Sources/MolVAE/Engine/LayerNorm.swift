import Foundation

/// Layer normalisation over the last dimension with affine gain and bias (torch.nn.LayerNorm).
public final class LayerNorm {
    public let dim: Int
    public let epsilon: Float
    public let weight: Parameter
    public let bias: Parameter
    public let output = FloatBuffer()
    let mean = FloatBuffer()
    let rstd = FloatBuffer()

    public init(name: String, dim: Int, epsilon: Float = 1e-5) {
        self.dim = dim
        self.epsilon = epsilon
        weight = Parameter(name: name + ".weight", shape: [dim])
        bias = Parameter(name: name + ".bias", shape: [dim])
        weight.fill(1)
    }

    public var parameters: [Parameter] { [weight, bias] }

    @discardableResult
    public func forward(_ x: UnsafePointer<Float>, rows: Int) -> UnsafeMutablePointer<Float> {
        let y = output.reserve(rows * dim), mu = mean.reserve(rows), rs = rstd.reserve(rows)
        for r in 0..<rows {
            let row = x + r * dim, out = y + r * dim
            var s = 0.0, s2 = 0.0
            for j in 0..<dim { s += Double(row[j]) }
            let m = s / Double(dim)
            for j in 0..<dim { let d = Double(row[j]) - m; s2 += d * d }
            let inv = Float(1 / (s2 / Double(dim) + Double(epsilon)).squareRoot())
            mu[r] = Float(m); rs[r] = inv
            for j in 0..<dim { out[j] = (row[j] - Float(m)) * inv * weight.value[j] + bias.value[j] }
        }
        return y
    }

    /// Overwrites dx; accumulates dweight, dbias.
    public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, rows: Int, dx: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let row = x + r * dim, g = dy + r * dim, out = dx + r * dim
            let m = mean.pointer[r], inv = rstd.pointer[r]
            var sumG = Float(0), sumGX = Float(0)
            for j in 0..<dim {
                let xhat = (row[j] - m) * inv
                let gh = g[j] * weight.value[j]
                weight.grad[j] += g[j] * xhat
                bias.grad[j] += g[j]
                sumG += gh
                sumGX += gh * xhat
            }
            let n = Float(dim)
            for j in 0..<dim {
                let xhat = (row[j] - m) * inv
                out[j] = inv * (g[j] * weight.value[j] - sumG / n - xhat * sumGX / n)
            }
        }
    }
}
