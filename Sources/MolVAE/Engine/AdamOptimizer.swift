import Foundation

/// Adam / AdamW with bias correction, written to match torch.optim.Adam(W) step for step:
/// denom = sqrt(v) / sqrt(1 - beta2^t) + eps (eps added after the square root),
/// param -= lr / (1 - beta1^t) * m / denom.
/// Adam's weight decay adds wd * param to the gradient; AdamW multiplies the parameter by
/// (1 - lr * wd) first (decoupled).
public final class AdamOptimizer {
    public let parameters: [Parameter]
    public var learningRate: Float
    public let beta1: Float
    public let beta2: Float
    public let epsilon: Float
    public let weightDecay: Float
    public let decoupled: Bool
    public private(set) var step = 0
    let firstMoments: [FloatBuffer]
    let secondMoments: [FloatBuffer]

    public init(parameters: [Parameter], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0, decoupled: Bool = false) {
        self.parameters = parameters
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
        firstMoments = parameters.map { FloatBuffer($0.count) }
        secondMoments = parameters.map { FloatBuffer($0.count) }
    }

    /// AdamW with torch's default weight decay.
    public static func adamW(parameters: [Parameter], learningRate: Float = 1e-3, weightDecay: Float = 1e-2) -> AdamOptimizer {
        AdamOptimizer(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay, decoupled: true)
    }

    public func update() {
        step += 1
        let lr = learningRate, b1 = beta1, b2 = beta2, eps = epsilon, wd = weightDecay
        // Scalars in Double as torch computes them in Python floats.
        let bc1 = 1 - pow(Double(b1), Double(step))
        let bc2Sqrt = Float((1 - pow(Double(b2), Double(step))).squareRoot())
        let stepSize = Float(Double(lr) / bc1)
        for (k, p) in parameters.enumerated() {
            let m = firstMoments[k].pointer, v = secondMoments[k].pointer
            let w = p.value, g = p.grad
            for i in 0..<p.count {
                var gi = g[i]
                if wd != 0 {
                    if decoupled { w[i] *= 1 - lr * wd } else { gi += wd * w[i] }
                }
                m[i] = m[i] * b1 + (1 - b1) * gi
                v[i] = v[i] * b2 + (1 - b2) * gi * gi
                let denom = v[i].squareRoot() / bc2Sqrt + eps
                w[i] -= stepSize * (m[i] / denom)
            }
        }
    }

    /// Moments for checkpoints: name -> (m, v, step).
    public func moments(of index: Int) -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) {
        (firstMoments[index].pointer, secondMoments[index].pointer)
    }

    public func restore(step: Int) { self.step = step }

    /// The optimiser state as tensors ("adam.m.<param>", "adam.v.<param>") plus the step count
    /// in metadata ("adam.step"), for checkpoints next to the model's own tensors.
    public func addState(to file: inout SafeTensors) {
        for (k, p) in parameters.enumerated() {
            file.add("adam.m." + p.name, shape: p.shape, values: firstMoments[k].toArray(p.count))
            file.add("adam.v." + p.name, shape: p.shape, values: secondMoments[k].toArray(p.count))
        }
        file.metadata["adam.step"] = String(step)
    }

    public func loadState(from file: SafeTensors) throws {
        guard let text = file.metadata["adam.step"], let s = Int(text), s >= 0 else {
            throw SafeTensorsError.badMetadata("no valid adam.step")
        }
        for (k, p) in parameters.enumerated() {
            for (prefix, buffer) in [("adam.m.", firstMoments[k]), ("adam.v.", secondMoments[k])] {
                let t = try file.tensor(prefix + p.name)
                guard t.shape == p.shape else { throw SafeTensorsError.shapeMismatch(tensor: prefix + p.name, expected: p.shape, found: t.shape) }
                t.values.withUnsafeBufferPointer { buffer.pointer.update(from: $0.baseAddress!, count: p.count) }
            }
        }
        step = s
    }
}

/// Global-norm gradient clipping (torch.nn.utils.clip_grad_norm_, L2): if the norm of all
/// gradients together exceeds maxNorm, every gradient is scaled by maxNorm / (norm + 1e-6).
/// Returns the norm before clipping.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var s = 0.0
    for p in parameters { for i in 0..<p.count { let g = Double(p.grad[i]); s += g * g } }
    let norm = Float(s.squareRoot())
    let coef = maxNorm / (norm + 1e-6)
    if coef < 1 { for p in parameters { for i in 0..<p.count { p.grad[i] *= coef } } }
    return norm
}

/// Learning-rate schedules as a function of the step about to be taken (0-based).
public enum LearningRateSchedule: Codable, Sendable, Equatable {
    case constant(Float)
    /// Linear warm-up from 0 to peak over warmupSteps, then cosine decay to minimum at totalSteps.
    case warmupCosine(peak: Float, minimum: Float, warmupSteps: Int, totalSteps: Int)

    public func rate(at step: Int) -> Float {
        switch self {
        case .constant(let lr): return lr
        case let .warmupCosine(peak, minimum, warmup, total):
            if step < warmup { return peak * Float(step + 1) / Float(warmup) }
            let span = max(1, total - warmup)
            let progress = min(1, Double(step - warmup) / Double(span))
            return minimum + (peak - minimum) * Float(0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}
