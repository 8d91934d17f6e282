import CBLAS
import Foundation

/// Hyperparameters of an isotropic Matérn-5/2 kernel on standardised targets:
/// k(r) = signal · (1 + √5 r/ℓ + 5r²/3ℓ²) · exp(−√5 r/ℓ), plus `noise` on the diagonal.
public struct KernelHyperparameters: Sendable, Equatable {
    public var lengthscale: Double
    public var signal: Double
    public var noise: Double

    public init(lengthscale: Double, signal: Double = 1, noise: Double) {
        self.lengthscale = lengthscale
        self.signal = signal
        self.noise = noise
    }

    @inline(__always)
    func covariance(squaredDistance d2: Double) -> Double {
        let r = max(d2, 0).squareRoot() * 5.0.squareRoot() / lengthscale
        return signal * (1 + r + r * r / 3) * Foundation.exp(-r)
    }
}

/// Gaussian-process regression in double precision: the kernel matrix is factorised by
/// LAPACK's Cholesky (`dpotrf`), predictions solve against the factor (`dtrsm`). Targets are
/// standardised (zero mean, unit variance) inside; predictions are in the original units.
public final class GaussianProcess {
    public let dimension: Int
    public let count: Int
    public let hyperparameters: KernelHyperparameters
    /// Log marginal likelihood of the (standardised) targets.
    public let logMarginalLikelihood: Double
    let points: [Double]           // [count, dimension] row-major
    let norms: [Double]            // squared norms of the points
    let yMean: Double, yScale: Double
    private let factor: [Double]   // column-major lower Cholesky factor of K + noise·I
    private let alpha: [Double]    // (K + noise·I)⁻¹ y, standardised

    public struct FitError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Fits the GP to `points` (each `dimension` values) and `values`. Throws when the kernel
    /// matrix cannot be factorised even with added jitter.
    public init(points: [[Double]], values: [Double], hyperparameters: KernelHyperparameters) throws(FitError) {
        precondition(points.count == values.count && !points.isEmpty, "one value per point, at least one point")
        let n = points.count, d = points[0].count
        let flat = points.flatMap { $0 }
        let squaredNorms = points.map { $0.reduce(0) { $0 + $1 * $1 } }
        let mean = values.reduce(0, +) / Double(n)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        let scale = variance > 1e-12 ? variance.squareRoot() : 1
        let y = values.map { ($0 - mean) / scale }
        let kernel = GaussianProcess.crossCovariance(flat, squaredNorms, rows: n, flat, squaredNorms, cols: n, dimension: d,
                                                     hyperparameters)
        // Cholesky of K + noise·I; more jitter when rounding makes it indefinite.
        var jitter = hyperparameters.noise
        var lower: [Double]?
        for _ in 0..<6 {
            var a = kernel
            for i in 0..<n { a[i * n + i] += jitter }
            var uplo = CChar(UInt8(ascii: "L")), n32 = Int32(n), lda = Int32(n), info: Int32 = 0
            dpotrf_(&uplo, &n32, &a, &lda, &info)
            if info == 0 {
                lower = a
                break
            }
            jitter = max(jitter * 10, 1e-8)
        }
        guard var lower else {
            throw FitError(description: "the GP kernel matrix is not positive definite even with jitter \(jitter)")
        }
        var b = y
        var uplo = CChar(UInt8(ascii: "L")), n32 = Int32(n), nrhs: Int32 = 1, lda = Int32(n), ldb = Int32(n), info: Int32 = 0
        dpotrs_(&uplo, &n32, &nrhs, &lower, &lda, &b, &ldb, &info)
        var logDet = 0.0
        for i in 0..<n { logDet += Foundation.log(lower[i * n + i]) }
        let fit = zip(y, b).reduce(0) { $0 + $1.0 * $1.1 }
        dimension = d
        count = n
        self.hyperparameters = hyperparameters
        self.points = flat
        norms = squaredNorms
        yMean = mean
        yScale = scale
        factor = lower
        alpha = b
        logMarginalLikelihood = -0.5 * fit - logDet - 0.5 * Double(n) * Foundation.log(2 * Double.pi)
    }

    /// Predictive mean and variance (of the latent function, in the targets' units) at each row.
    public func predict(_ queries: [[Double]]) -> (mean: [Double], variance: [Double]) {
        let m = queries.count, n = count, d = dimension
        guard m > 0 else { return ([], []) }
        let flat = queries.flatMap { $0 }
        let qNorms = queries.map { $0.reduce(0) { $0 + $1 * $1 } }
        // Row i of kStar is k(query i, every point): read column-major, that is the n×m matrix
        // Kᵀ* the triangular solve needs.
        var kStar = GaussianProcess.crossCovariance(flat, qNorms, rows: m, points, norms, cols: n, dimension: d, hyperparameters)
        var mean = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var s = 0.0
            for j in 0..<n { s += kStar[i * n + j] * alpha[j] }
            mean[i] = yMean + yScale * s
        }
        factor.withUnsafeBufferPointer { l in
            cblas_dtrsm(CblasColMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, Int32(n), Int32(m), 1,
                        l.baseAddress, Int32(n), &kStar, Int32(n))
        }
        var variance = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var s = 0.0
            for j in 0..<n { s += kStar[i * n + j] * kStar[i * n + j] }
            variance[i] = max(hyperparameters.signal - s, 1e-12) * yScale * yScale
        }
        return (mean, variance)
    }

    /// k(a_i, b_j) for rows of a ([rows, d]) and b ([cols, d]) as a [rows, cols] row-major matrix;
    /// squared distances by ‖a‖² + ‖b‖² − 2a·b with one DGEMM.
    static func crossCovariance(_ a: [Double], _ aNorms: [Double], rows: Int, _ b: [Double], _ bNorms: [Double], cols: Int,
                                dimension d: Int, _ h: KernelHyperparameters) -> [Double] {
        var out = [Double](repeating: 0, count: rows * cols)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(cols), Int32(d), -2, a, Int32(d), b, Int32(d),
                    0, &out, Int32(cols))
        for i in 0..<rows {
            for j in 0..<cols { out[i * cols + j] = h.covariance(squaredDistance: out[i * cols + j] + aNorms[i] + bNorms[j]) }
        }
        return out
    }

    /// The GP over `points` whose hyperparameters maximise the log marginal likelihood over a
    /// grid: lengthscales `lengthscaleFactors` × the median distance between points, noise
    /// variances `noises` (on standardised targets). The grid is searched on at most
    /// `fitPoints` of the points (an evenly strided subset); the returned GP uses them all.
    public static func fit(points: [[Double]], values: [Double], lengthscaleFactors: [Double] = [0.25, 0.5, 1, 2],
                           noises: [Double] = [1e-4, 1e-2, 1e-1], fitPoints: Int = 400) throws(FitError) -> GaussianProcess {
        let best = try bestHyperparameters(points: points, values: values, lengthscaleFactors: lengthscaleFactors, noises: noises,
                                           fitPoints: fitPoints)
        return try GaussianProcess(points: points, values: values, hyperparameters: best)
    }

    /// The grid point with the highest log marginal likelihood (see `fit`).
    public static func bestHyperparameters(points: [[Double]], values: [Double], lengthscaleFactors: [Double] = [0.25, 0.5, 1, 2],
                                           noises: [Double] = [1e-4, 1e-2, 1e-1],
                                           fitPoints: Int = 400) throws(FitError) -> KernelHyperparameters {
        // An evenly strided subset: every part of the data has its say.
        let k = min(points.count, max(2, fitPoints))
        let picked = (0..<k).map { $0 * points.count / k }
        let subset = picked.map { points[$0] }, subsetValues = picked.map { values[$0] }
        let scale = medianDistance(subset)
        var best: (KernelHyperparameters, Double)?
        for f in lengthscaleFactors {
            for noise in noises {
                let h = KernelHyperparameters(lengthscale: max(scale * f, 1e-6), noise: noise)
                guard let gp = try? GaussianProcess(points: subset, values: subsetValues, hyperparameters: h) else { continue }
                if best.map({ gp.logMarginalLikelihood > $0.1 }) ?? true { best = (h, gp.logMarginalLikelihood) }
            }
        }
        guard let best else { throw FitError(description: "no hyperparameters on the grid give a positive definite kernel") }
        return best.0
    }

    /// The median Euclidean distance between distinct pairs (1 when all points coincide).
    static func medianDistance(_ points: [[Double]]) -> Double {
        var distances: [Double] = []
        for i in 0..<points.count {
            for j in (i + 1)..<max(i + 1, points.count) {
                var s = 0.0
                for k in 0..<points[i].count { let d = points[i][k] - points[j][k]; s += d * d }
                distances.append(s.squareRoot())
            }
        }
        distances.sort()
        let median = distances.isEmpty ? 0 : distances[distances.count / 2]
        return median > 1e-9 ? median : 1
    }
}

/// Expected improvement over `best` of a Gaussian prediction N(mean, sd²), for maximisation:
/// (μ − best − ξ)·Φ(z) + σ·φ(z) with z = (μ − best − ξ)/σ.
public func expectedImprovement(mean: Double, sd: Double, best: Double, xi: Double = 0) -> Double {
    let gain = mean - best - xi
    guard sd > 1e-12 else { return max(gain, 0) }
    let z = gain / sd
    let cdf = 0.5 * Foundation.erfc(-z / 2.0.squareRoot())
    let pdf = Foundation.exp(-0.5 * z * z) / (2 * Double.pi).squareRoot()
    return max(gain * cdf + sd * pdf, 0)
}
