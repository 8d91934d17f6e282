import Foundation

/// Mean and standard deviation of the negative ELBO over a reference set of molecules drawn
/// from the training distribution: what `score` measures z-scores against. A z-score of 3 means
/// the model finds a molecule three standard deviations less likely than a typical one.
public struct ELBOReference: Sendable, Equatable {
    /// Where the statistics came from (a file path, for the summary).
    public let source: String
    /// Molecules that entered the statistics (the encodable ones).
    public let count: Int
    public let mean: Double
    /// Sample standard deviation (n − 1 divisor).
    public let standardDeviation: Double

    public struct InsufficientDataError: Error, CustomStringConvertible, Sendable {
        public let source: String
        public let usable: Int
        public var description: String {
            "\(source): only \(usable) reference molecule(s) could be scored; the z-score needs at least 2 with different scores"
        }
    }

    /// Statistics of `values` (the finite ones); at least two that differ are needed.
    public init(source: String, values: [Double]) throws(InsufficientDataError) {
        let finite = values.filter(\.isFinite)
        guard finite.count >= 2 else { throw InsufficientDataError(source: source, usable: finite.count) }
        let mean = finite.reduce(0, +) / Double(finite.count)
        let variance = finite.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(finite.count - 1)
        guard variance > 0 else { throw InsufficientDataError(source: source, usable: finite.count) }
        self.source = source
        self.count = finite.count
        self.mean = mean
        self.standardDeviation = variance.squareRoot()
    }

    /// (value − mean) / sd.
    public func zScore(_ value: Double) -> Double { (value - mean) / standardDeviation }
}
