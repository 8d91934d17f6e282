import Foundation

/// GuacaMol's `ArithmeticMeanScoringFunction`: the weighted mean of its parts' scores. As in
/// GuacaMol, a part that cannot score counts as its corrupt score (−1) in the mean; the mean is
/// nil (corrupt) only when no part can score.
public struct ArithmeticMeanScoring: MoleculeScoringFunction {
    public let parts: [any MoleculeScoringFunction]
    public let weights: [Double]

    /// Equal weights (1 each) when `weights` is nil.
    public init(_ parts: [any MoleculeScoringFunction], weights: [Double]? = nil) {
        precondition(weights == nil || weights!.count == parts.count, "one weight per part")
        self.parts = parts
        self.weights = weights ?? Array(repeating: 1.0, count: parts.count)
    }

    public func score(_ molecule: Molecule) -> Double? {
        let scores = parts.map { $0.score(molecule) }
        guard scores.contains(where: { $0 != nil }) else { return nil }
        var sum = 0.0
        for (score, weight) in zip(scores, weights) { sum += weight * (score ?? GuacaMolScore.corrupt) }
        return sum / weights.reduce(0, +)
    }
}

/// GuacaMol's `GeometricMeanScoringFunction`: (Π scores)^(1/n), corrupt when any part is.
public struct GeometricMeanScoring: MoleculeScoringFunction {
    public let parts: [any MoleculeScoringFunction]

    public init(_ parts: [any MoleculeScoringFunction]) {
        self.parts = parts
    }

    public func score(_ molecule: Molecule) -> Double? {
        var scores: [Double] = []
        for part in parts {
            guard let score = part.score(molecule), score != GuacaMolScore.corrupt else { return nil }
            scores.append(score)
        }
        return GuacaMolScore.geometricMean(scores)
    }
}

/// GuacaMol's constants and means (`guacamol/utils/math.py`).
public enum GuacaMolScore {
    /// `ScoringFunction.corrupt_score`: what GuacaMol scores a molecule it cannot score.
    public static let corrupt = -1.0

    /// `geometric_mean`: the product's n-th root (numpy: `a.prod() ** (1.0 / len(a))`).
    public static func geometricMean(_ values: [Double]) -> Double {
        pow(values.reduce(1.0, *), 1.0 / Double(values.count))
    }

    /// `arithmetic_mean`: `sum(values) / len(values)`.
    public static func arithmeticMean(_ values: [Double]) -> Double {
        values.reduce(0.0, +) / Double(values.count)
    }
}
