import Foundation

/// A one-dimensional Gaussian kernel density estimate as `scipy.stats.gaussian_kde` (SciPy 1.11)
/// builds it with its defaults: equal weights, Scott's rule for the bandwidth factor
/// (n^(-1/5)), the kernel's variance the data's unbiased variance times the factor squared.
/// Evaluation follows `gaussian_kernel_estimate`: data and points are divided by the kernel's
/// standard deviation first, and each point sums weight · exp(-r²/2) · norm over the data in
/// data order, so the sums are SciPy's to rounding.
public struct GaussianKDE: Sendable {
    public let data: [Double]
    /// The kernel's standard deviation (SciPy's `cho_cov` for d = 1); NaN when the data cannot
    /// define one (fewer than two points, or no spread), where SciPy raises instead.
    public let bandwidth: Double

    public init(data: [Double]) {
        self.data = data
        let n = Double(data.count)
        // np.cov(dataset, aweights=weights) with weights 1/n: the average, then the weighted sum of
        // squares over (v1 - sum(w²)/v1), and Scott's factor from neff = 1/sum(w²).
        let w = 1 / n
        let v1 = w * n
        let mean = data.reduce(0) { $0 + $1 * w } / v1
        let squares = data.reduce(0) { $0 + ($1 - mean) * ($1 - mean) * w }
        let variance = squares / (v1 - w * w * n / v1)
        let factor = pow(1 / (w * w * n), -1.0 / 5)
        bandwidth = data.count >= 2 && variance > 0 && variance.isFinite ? variance.squareRoot() * factor : .nan
    }

    /// The density at each of `points`, split over `threads` workers by point (each point's sum
    /// runs over the data in order, whatever the split). All NaN when `bandwidth` is NaN.
    public func evaluate(_ points: [Double], threads: Int) -> [Double] {
        guard bandwidth.isFinite else { return [Double](repeating: .nan, count: points.count) }
        let sigma = bandwidth
        let scaledData = data.map { $0 / sigma }
        let norm = pow(2 * Double.pi, -0.5) / sigma
        let weight = 1 / Double(data.count)
        var out = [Double](repeating: 0, count: points.count)
        out.withUnsafeMutableBufferPointer { result in
            let base = result.baseAddress!
            scaledData.withUnsafeBufferPointer { xs in
                parallelChunks(count: points.count, threads: threads, maxChunk: 32) { range in
                    for j in range {
                        let y = points[j] / sigma
                        var sum = 0.0
                        for x in xs {
                            let r = x - y
                            sum += weight * (exp(-(r * r) / 2) * norm)
                        }
                        base[j] = sum
                    }
                }
            }
        }
        return out
    }
}
