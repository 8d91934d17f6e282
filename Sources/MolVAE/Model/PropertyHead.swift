import Foundation

/// A small MLP on mu (latent -> hidden ReLU -> outputs) that predicts standardised molecular
/// properties (logP, QED, SA by default). Trained jointly with the VAE: its mean-squared error
/// gradient with respect to mu goes into SmilesVAE.backward(muGrad:).
/// Parameter names: `property_head.hidden.weight|bias`, `property_head.out.weight|bias`.
public final class PropertyHead {
    public let latent: Int
    public let hiddenSize: Int
    public let outputs: Int
    public let hidden: Linear
    public let out: Linear
    let dPrediction = FloatBuffer()
    let dHidden = FloatBuffer()

    public init(latent: Int, hidden: Int = 64, outputs: Int = 3, seed: UInt64 = 0) {
        self.latent = latent
        hiddenSize = hidden
        self.outputs = outputs
        self.hidden = Linear(name: "property_head.hidden", inputs: latent, outputs: hidden)
        out = Linear(name: "property_head.out", inputs: hidden, outputs: outputs)
        var rng = CounterRNG(seed: seed, stream: 0x5052_4F50)
        self.hidden.initDefault(rng: &rng)
        out.initDefault(rng: &rng)
    }

    public var parameters: [Parameter] { hidden.parameters + out.parameters }

    /// Predictions [rows, outputs] for mu [rows, latent]; valid until the next call.
    @discardableResult
    public func predict(_ mu: UnsafePointer<Float>, rows: Int) -> UnsafeMutablePointer<Float> {
        let a = hidden.forward(mu, rows: rows)
        Activation.relu.forward(a, a, count: rows * hiddenSize)
        return out.forward(a, rows: rows)
    }

    /// Masked mean squared error of predict(mu) against targets [rows, outputs]; a non-finite
    /// target (a molecule RDKit could not score) is left out of the mean. Accumulates
    /// weight * d(loss) into the head's gradients and writes weight * d(loss)/d mu into dmu
    /// (adds when accumulate). Returns the unweighted loss.
    @discardableResult
    public func lossAndBackward(mu: UnsafePointer<Float>, targets: UnsafePointer<Float>, rows: Int, weight: Float,
                                dmu: UnsafeMutablePointer<Float>, accumulate: Bool = false, validTargets: Int? = nil) -> Double {
        let n = rows * outputs
        let pred = predict(mu, rows: rows)
        var valid = 0
        var s = 0.0
        for i in 0..<n where targets[i].isFinite {
            let d = Double(pred[i] - targets[i])
            s += d * d
            valid += 1
        }
        // A rank holding part of a global batch averages over the global batch's finite targets.
        if let validTargets { valid = validTargets }
        let dp = dPrediction.reserve(n)
        let k = valid > 0 ? 2 / Float(valid) : 0
        for i in 0..<n { dp[i] = targets[i].isFinite ? k * (pred[i] - targets[i]) : 0 }
        let a = hidden.output.pointer
        let dh = dHidden.reserve(rows * hiddenSize)
        out.backward(a, dp, rows: rows, dx: dh, scale: weight)
        Activation.relu.backward(a, a, dh, dh, count: rows * hiddenSize)
        hidden.backward(mu, dh, rows: rows, dx: dmu, accumulate: accumulate)
        return valid > 0 ? s / Double(valid) : 0
    }
}

/// Means and standard deviations used to standardise the property targets, stored in the model
/// metadata (`molvae.property_head`) so predictions can be turned back into property values.
public struct PropertyStandardisation: Codable, Sendable, Equatable {
    public static let metadataKey = "molvae.property_head"
    public static let defaultNames = ["logp", "qed", "sa"]
    public var names: [String]
    public var means: [Double]
    public var sds: [Double]
    /// Hidden width of the head (needed to rebuild it on load).
    public var hidden: Int

    public init(names: [String], means: [Double], sds: [Double], hidden: Int) {
        self.names = names
        self.means = means
        self.sds = sds
        self.hidden = hidden
    }

    /// Fits means and sds to raw values [rows, names.count] (non-finite values ignored; an sd
    /// of 0 or an empty column becomes 1).
    public static func fit(_ raw: [Float], names: [String] = defaultNames, hidden: Int = 64) -> PropertyStandardisation {
        let k = names.count
        var means = [Double](repeating: 0, count: k), sds = [Double](repeating: 1, count: k)
        for j in 0..<k {
            var s = 0.0, s2 = 0.0, n = 0.0
            var i = j
            while i < raw.count {
                let v = Double(raw[i])
                if v.isFinite { s += v; s2 += v * v; n += 1 }
                i += k
            }
            if n > 0 {
                means[j] = s / n
                let variance = max(0, s2 / n - means[j] * means[j])
                sds[j] = variance > 1e-12 ? variance.squareRoot() : 1
            }
        }
        return PropertyStandardisation(names: names, means: means, sds: sds, hidden: hidden)
    }

    public func standardise(_ raw: [Float]) -> [Float] {
        let k = names.count
        return raw.enumerated().map { i, v in v.isFinite ? Float((Double(v) - means[i % k]) / sds[i % k]) : .nan }
    }

    public func destandardise(_ value: Float, property j: Int) -> Double { Double(value) * sds[j] + means[j] }

    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}
