import Foundation

/// The factor (0...1) multiplying beta · KL at a training step.
public enum KLAnnealing: Codable, Sendable, Equatable {
    /// Always 1.
    case constant
    /// 0 -> 1 linearly over warmupSteps, then 1.
    case linear(warmupSteps: Int)
    /// Logistic 1 / (1 + exp(-12 (step / warmupSteps - 0.5))) over warmupSteps, then 1
    /// (Bowman et al. 2016).
    case sigmoid(warmupSteps: Int)
    /// Cyclical (Fu et al. 2019): every periodSteps, a linear ramp 0 -> 1 over the first
    /// rampFraction of the period, then 1 for the rest.
    case cyclical(periodSteps: Int, rampFraction: Double)

    public func factor(at step: Int) -> Double {
        switch self {
        case .constant:
            return 1
        case .linear(let warmup):
            guard warmup > 0 else { return 1 }
            return min(1, Double(step) / Double(warmup))
        case .sigmoid(let warmup):
            guard warmup > 0 else { return 1 }
            if step >= warmup { return 1 }
            return 1 / (1 + exp(-12 * (Double(step) / Double(warmup) - 0.5)))
        case let .cyclical(period, ramp):
            guard period > 0, ramp > 0 else { return 1 }
            let position = Double(step % period) / Double(period)
            return min(1, position / ramp)
        }
    }
}

/// Free bits (Kingma et al. 2016, "Improved variational inference with inverse autoregressive
/// flow"): the KL term is sum over latent dimensions j of max(λ, KL_j), where KL_j is the KL of
/// dimension j averaged over the batch. Dimensions under λ get no KL gradient, so the encoder
/// may use up to λ nats per dimension for free.
public enum FreeBits {
    /// The clamped KL (per molecule, comparable to VAELoss.kl) and the plain KL, for mu and
    /// logvar [rows, dim] in any row order. Adds weight * d(clamped KL)/d mu and /d logvar into
    /// dmu and dlogvar.
    @discardableResult
    public static func apply(mu: UnsafePointer<Float>, logvar: UnsafePointer<Float>, rows: Int, dim: Int, lambda: Double,
                             weight: Float, dmu: UnsafeMutablePointer<Float>, dlogvar: UnsafeMutablePointer<Float>)
        -> (clamped: Double, kl: Double) {
        let perDim = perDimensionSums(mu: mu, logvar: logvar, rows: rows, dim: dim)
        return apply(perDimensionSums: perDim, totalRows: rows, mu: mu, logvar: logvar, rows: rows, dim: dim, lambda: lambda,
                     weight: weight, dmu: dmu, dlogvar: dlogvar)
    }

    /// KL summed over the rows, per latent dimension.
    public static func perDimensionSums(mu: UnsafePointer<Float>, logvar: UnsafePointer<Float>, rows: Int, dim: Int) -> [Double] {
        var perDim = [Double](repeating: 0, count: dim)
        perDim.withUnsafeMutableBufferPointer { GaussianLatent.klPerDimension(mu: mu, logvar: logvar, rows: rows, dim: dim, into: $0.baseAddress!) }
        return perDim
    }

    /// The clamp is decided by the batch mean per dimension, which a rank holding part of a
    /// global batch only knows from every rank's sums: `perDimensionSums` are the global
    /// batch's (totalRows rows), `mu`/`logvar` this rank's `rows` rows, whose gradient is added.
    public static func apply(perDimensionSums perDim: [Double], totalRows: Int, mu: UnsafePointer<Float>, logvar: UnsafePointer<Float>,
                             rows: Int, dim: Int, lambda: Double, weight: Float, dmu: UnsafeMutablePointer<Float>,
                             dlogvar: UnsafeMutablePointer<Float>) -> (clamped: Double, kl: Double) {
        var clamped = 0.0, kl = 0.0
        var active = [Bool](repeating: false, count: dim)
        for j in 0..<dim {
            let k = perDim[j] / Double(totalRows)
            kl += k
            clamped += max(lambda, k)
            active[j] = k > lambda
        }
        let scale = weight / Float(totalRows)
        for r in 0..<rows {
            for j in 0..<dim where active[j] {
                let i = r * dim + j
                dmu[i] += scale * mu[i]
                dlogvar[i] += scale * 0.5 * (Foundation.exp(logvar[i]) - 1)
            }
        }
        return (clamped, kl)
    }
}
