import Foundation

/// GuacaMol's score modifiers (`guacamol/score_modifier.py`), mapping a raw value to a score.
/// Each case computes exactly what the Python class does, in the same order of operations.
public enum ScoreModifier: Sendable, Equatable {
    /// `LinearModifier(slope)`: slope · x (slope 1 is GuacaMol's default, no change).
    case linear(slope: Double)
    /// `SquaredModifier(target_value, coefficient)`: 1 − coefficient · (target − x)².
    case squared(target: Double, coefficient: Double)
    /// `AbsoluteScoreModifier(target_value)`: 1 − |target − x|.
    case absolute(target: Double)
    /// `GaussianModifier(mu, sigma)`: exp(−½ ((x − μ)/σ)²).
    case gaussian(mu: Double, sigma: Double)
    /// `MinGaussianModifier(mu, sigma)`: 1 up to μ, then the Gaussian's right half.
    case minGaussian(mu: Double, sigma: Double)
    /// `MaxGaussianModifier(mu, sigma)`: the Gaussian's left half up to μ, then 1.
    case maxGaussian(mu: Double, sigma: Double)
    /// `ClippedScoreModifier(upper_x, lower_x, high_score, low_score)`: linear between
    /// (lower_x, low) and (upper_x, high), clipped to [low, high].
    case clipped(upperX: Double, lowerX: Double = 0, highScore: Double = 1, lowScore: Double = 0)
    /// `SmoothClippedScoreModifier(upper_x, lower_x, high_score, low_score)`: the logistic
    /// with the clipped modifier's slope at its centre.
    case smoothClipped(upperX: Double, lowerX: Double = 0, highScore: Double = 1, lowScore: Double = 0)
    /// `ThresholdedLinearModifier(threshold)`: min(x, threshold) / threshold.
    case thresholdedLinear(threshold: Double)
    /// `ChainedModifier(modifiers)`: each applied to the previous one's output, first to last.
    case chained([ScoreModifier])

    /// GuacaMol's default modifier (`LinearModifier()`).
    public static let identity = ScoreModifier.linear(slope: 1)

    public func callAsFunction(_ x: Double) -> Double {
        switch self {
        case .linear(let slope):
            return slope * x
        case .squared(let target, let coefficient):
            let d = target - x
            return 1.0 - coefficient * (d * d)
        case .absolute(let target):
            return 1.0 - abs(target - x)
        case .gaussian(let mu, let sigma):
            return exp(-0.5 * pow((x - mu) / sigma, 2.0))
        case .minGaussian(let mu, let sigma):
            return ScoreModifier.gaussian(mu: mu, sigma: sigma)(Swift.max(x, mu))
        case .maxGaussian(let mu, let sigma):
            return ScoreModifier.gaussian(mu: mu, sigma: sigma)(Swift.min(x, mu))
        case .clipped(let upperX, let lowerX, let highScore, let lowScore):
            let slope = (highScore - lowScore) / (upperX - lowerX)
            let intercept = highScore - slope * upperX
            let y = slope * x + intercept
            return Swift.min(Swift.max(y, lowScore), highScore)
        case .smoothClipped(let upperX, let lowerX, let highScore, let lowScore):
            let k = 4.0 / (upperX - lowerX)
            let middleX = (upperX + lowerX) / 2
            let l = highScore - lowScore
            return lowScore + l / (1 + exp(-k * (x - middleX)))
        case .thresholdedLinear(let threshold):
            return Swift.min(x, threshold) / threshold
        case .chained(let modifiers):
            return modifiers.reduce(x) { score, modifier in modifier(score) }
        }
    }
}
