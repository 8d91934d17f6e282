import Foundation

/// The Gaussian pieces of a VAE: reparameterisation and KL(N(mu, exp(logvar)) || N(0, I)).
public enum GaussianLatent {
    /// z = mu + exp(logvar / 2) * eps.
    public static func reparameterise(mu: UnsafePointer<Float>, logvar: UnsafePointer<Float>, eps: UnsafePointer<Float>,
                                      z: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n { z[i] = mu[i] + Foundation.exp(0.5 * logvar[i]) * eps[i] }
    }

    /// Adds dz's contribution to dmu and dlogvar (accumulate).
    public static func reparameteriseBackward(dz: UnsafePointer<Float>, logvar: UnsafePointer<Float>, eps: UnsafePointer<Float>,
                                              dmu: UnsafeMutablePointer<Float>, dlogvar: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n {
            dmu[i] += dz[i]
            dlogvar[i] += dz[i] * eps[i] * 0.5 * Foundation.exp(0.5 * logvar[i])
        }
    }

    /// Sum over all elements of -0.5 (1 + logvar - mu^2 - exp(logvar)).
    public static func kl(mu: UnsafePointer<Float>, logvar: UnsafePointer<Float>, count n: Int) -> Double {
        var s = 0.0
        for i in 0..<n { s += Double(1 + logvar[i] - mu[i] * mu[i] - Foundation.exp(logvar[i])) }
        return -0.5 * s
    }

    /// KL of each latent dimension summed over the batch (for free bits): out[j], j < dim.
    public static func klPerDimension(mu: UnsafePointer<Float>, logvar: UnsafePointer<Float>, rows: Int, dim: Int,
                                      into out: UnsafeMutablePointer<Double>) {
        for j in 0..<dim { out[j] = 0 }
        for r in 0..<rows {
            for j in 0..<dim {
                let i = r * dim + j
                out[j] += -0.5 * Double(1 + logvar[i] - mu[i] * mu[i] - Foundation.exp(logvar[i]))
            }
        }
    }

    /// Accumulates scale * d(KL sum) into dmu, dlogvar.
    public static func klBackward(mu: UnsafePointer<Float>, logvar: UnsafePointer<Float>, scale: Float,
                                  dmu: UnsafeMutablePointer<Float>, dlogvar: UnsafeMutablePointer<Float>, count n: Int) {
        for i in 0..<n {
            dmu[i] += scale * mu[i]
            dlogvar[i] += scale * 0.5 * (Foundation.exp(logvar[i]) - 1)
        }
    }
}

/// Mean squared error over n elements (torch.nn.functional.mse_loss, reduction "mean").
public enum MeanSquaredError {
    public static func loss(prediction: UnsafePointer<Float>, target: UnsafePointer<Float>, count n: Int) -> Double {
        var s = 0.0
        for i in 0..<n { let d = Double(prediction[i] - target[i]); s += d * d }
        return n > 0 ? s / Double(n) : 0
    }

    /// Writes scale * d(loss)/d prediction into dprediction (overwrite).
    public static func backward(prediction: UnsafePointer<Float>, target: UnsafePointer<Float>, count n: Int, scale: Float = 1,
                                dprediction: UnsafeMutablePointer<Float>) {
        let k = n > 0 ? 2 * scale / Float(n) : 0
        for i in 0..<n { dprediction[i] = k * (prediction[i] - target[i]) }
    }
}
