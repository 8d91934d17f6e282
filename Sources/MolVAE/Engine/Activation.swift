import Foundation

/// Elementwise nonlinearities with explicit derivatives. Backward gets both the input and the
/// output so each derivative uses whichever is cheaper (tanh/sigmoid/ReLU from the output).
public enum Activation: String, Codable, Sendable, CaseIterable {
    case identity, relu, tanh, sigmoid, selu, gelu

    static let seluAlpha: Float = 1.6732632423543772
    static let seluScale: Float = 1.0507009873554805

    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count n: Int) {
        switch self {
        case .identity: if UnsafePointer(y) != x { y.update(from: x, count: n) }
        case .relu: for i in 0..<n { y[i] = max(x[i], 0) }
        case .tanh: for i in 0..<n { y[i] = Foundation.tanh(x[i]) }
        case .sigmoid: for i in 0..<n { y[i] = 1 / (1 + Foundation.exp(-x[i])) }
        case .selu:
            for i in 0..<n { let v = x[i]; y[i] = Activation.seluScale * (v > 0 ? v : Activation.seluAlpha * (Foundation.exp(v) - 1)) }
        case .gelu:
            // Exact GELU (torch default): x * Phi(x).
            for i in 0..<n { let v = x[i]; y[i] = 0.5 * v * (1 + Foundation.erf(v * 0.70710678118654752)) }
        }
    }

    /// dx = dy * f'(x). dx may alias dy.
    public func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>,
                         _ dx: UnsafeMutablePointer<Float>, count n: Int) {
        switch self {
        case .identity: if UnsafePointer(dx) != dy { dx.update(from: dy, count: n) }
        case .relu: for i in 0..<n { dx[i] = y[i] > 0 ? dy[i] : 0 }
        case .tanh: for i in 0..<n { dx[i] = dy[i] * (1 - y[i] * y[i]) }
        case .sigmoid: for i in 0..<n { dx[i] = dy[i] * y[i] * (1 - y[i]) }
        case .selu:
            for i in 0..<n { dx[i] = dy[i] * (x[i] > 0 ? Activation.seluScale : y[i] + Activation.seluScale * Activation.seluAlpha) }
        case .gelu:
            for i in 0..<n {
                let v = x[i]
                let cdf = 0.5 * (1 + Foundation.erf(v * 0.70710678118654752))
                let pdf = Foundation.exp(-0.5 * v * v) * 0.3989422804014327
                dx[i] = dy[i] * (cdf + v * pdf)
            }
        }
    }
}
