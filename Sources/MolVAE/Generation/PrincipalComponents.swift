import CBLAS
import Foundation

/// The leading principal components of a set of points: the top eigenvectors of their sample
/// covariance (LAPACK `dsyev_` on the d × d covariance, in Double), for the 2-D latent map.
///
/// Each direction's sign is fixed so that its largest-magnitude component is positive, so the
/// same data always gives the same picture (an eigenvector's sign is otherwise arbitrary).
public struct PrincipalComponents: Sendable {
    /// Per-dimension mean of the points.
    public let mean: [Double]
    /// Unit directions, most variance first: `directions[k]` has the points' dimension.
    public let directions: [[Double]]
    /// Variance of the points along each direction (eigenvalues of the covariance, n − 1 divisor).
    public let variances: [Double]
    /// Total variance (trace of the covariance): explained fraction = variance / total.
    public let totalVariance: Double

    public struct InputError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Fits `components` principal directions of `count` points of dimension `dimension`,
    /// stored row-major in `points`.
    public init(points: [Float], count: Int, dimension: Int, components: Int = 2) throws(InputError) {
        guard count >= 2 else { throw InputError(description: "principal components need at least 2 points (got \(count))") }
        guard dimension >= 1, points.count == count * dimension else {
            throw InputError(description: "expected \(count) × \(dimension) values, got \(points.count)")
        }
        guard (1...dimension).contains(components) else {
            throw InputError(description: "cannot take \(components) components of \(dimension)-dimensional points")
        }
        guard points.allSatisfy(\.isFinite) else { throw InputError(description: "the points contain NaN or infinite values") }
        let d = dimension
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<count { for j in 0..<d { mean[j] += Double(points[i * d + j]) } }
        for j in 0..<d { mean[j] /= Double(count) }
        var centred = [Double](repeating: 0, count: count * d)
        for i in 0..<count { for j in 0..<d { centred[i * d + j] = Double(points[i * d + j]) - mean[j] } }
        // Covariance = Xᵀ X / (n − 1), upper triangle (column-major for LAPACK: the lower
        // triangle of the row-major matrix, which for a symmetric one is the same thing).
        var covariance = [Double](repeating: 0, count: d * d)
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(count), 1 / Double(count - 1),
                    centred, Int32(d), 0, &covariance, Int32(d))
        var total = 0.0
        for j in 0..<d { total += covariance[j * d + j] }

        var eigenvalues = [Double](repeating: 0, count: d)
        var n = Int32(d), lda = Int32(d), info: Int32 = 0, lwork: Int32 = -1
        var query = 0.0
        // Row-major upper = column-major lower.
        dsyev_("V", "L", &n, &covariance, &lda, &eigenvalues, &query, &lwork, &info)
        lwork = Int32(max(1, Int(query)))
        var work = [Double](repeating: 0, count: Int(lwork))
        dsyev_("V", "L", &n, &covariance, &lda, &eigenvalues, &work, &lwork, &info)
        guard info == 0 else { throw InputError(description: "the eigendecomposition did not converge (LAPACK info \(info))") }

        // Eigenvalues ascend; column k of the column-major result (row k here) is vector k.
        var directions: [[Double]] = []
        var variances: [Double] = []
        for k in stride(from: d - 1, through: d - components, by: -1) {
            var v = Array(covariance[(k * d)..<((k + 1) * d)])
            var largest = 0
            for j in 1..<d where abs(v[j]) > abs(v[largest]) { largest = j }
            if v[largest] < 0 { v = v.map { -$0 } }
            directions.append(v)
            variances.append(max(0, eigenvalues[k]))
        }
        self.mean = mean
        self.directions = directions
        self.variances = variances
        self.totalVariance = total
    }

    /// Fraction of the total variance along each direction (0 when the points do not vary).
    public var explainedFractions: [Double] {
        variances.map { totalVariance > 0 ? $0 / totalVariance : 0 }
    }

    /// The coordinates of `count` points (row-major) along the directions: [count][components].
    public func project(points: [Float], count: Int) -> [[Double]] {
        let d = mean.count
        precondition(points.count == count * d, "points need the fitted dimension")
        return (0..<count).map { i in
            directions.map { direction in
                var s = 0.0
                for j in 0..<d { s += (Double(points[i * d + j]) - mean[j]) * direction[j] }
                return s
            }
        }
    }
}
