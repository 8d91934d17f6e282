import CBLAS
import Foundation

/// The Fréchet distance between two Gaussians, ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr √(Σ₁Σ₂), as
/// fcd_torch's `calculate_frechet_distance` defines it.
///
/// fcd_torch takes scipy's general matrix square root of the product Σ₁Σ₂ and keeps its real
/// part. For covariance matrices the trace needs no general square root: Σ₁Σ₂ is similar to the
/// symmetric √Σ₁ Σ₂ √Σ₁ (√Σ₁ the symmetric square root), so both have the same non-negative
/// eigenvalues λᵢ and tr √(Σ₁Σ₂) = Σ √λᵢ. Two symmetric eigendecompositions (LAPACK dsyev) give
/// it; eigenvalues that rounding makes slightly negative count as 0, as the real part of
/// their complex square root does in scipy.
///
/// fcd_torch's fallback is kept: when the square root is not finite, it adds 1e-6 to both
/// diagonals and tries again. Here that happens when an eigendecomposition fails to converge or
/// gives a non-finite value; if the second try fails too the distance is NaN.
public func frechetDistance(_ a: ChemNetStatistics, _ b: ChemNetStatistics) -> Double {
    precondition(a.dimension == b.dimension, "statistics of different dimensions")
    let d = a.dimension
    var squaredDistance = 0.0
    for j in 0..<d { squaredDistance += (a.mean[j] - b.mean[j]) * (a.mean[j] - b.mean[j]) }
    var traces = 0.0
    for j in 0..<d { traces += a.covariance[j * d + j] + b.covariance[j * d + j] }
    var traceRoot = traceOfSquareRootOfProduct(a.covariance, b.covariance, dimension: d, offset: 0)
    if traceRoot == nil || !traceRoot!.isFinite {
        traceRoot = traceOfSquareRootOfProduct(a.covariance, b.covariance, dimension: d, offset: 1e-6)
    }
    guard let traceRoot, traceRoot.isFinite else { return .nan }
    return squaredDistance + traces - 2 * traceRoot
}

/// tr √(AB) for symmetric positive semi-definite A and B (with `offset` added to both
/// diagonals); nil when LAPACK does not converge.
func traceOfSquareRootOfProduct(_ a: [Double], _ b: [Double], dimension d: Int, offset: Double) -> Double? {
    var a = a, b = b
    if offset != 0 { for j in 0..<d { a[j * d + j] += offset; b[j * d + j] += offset } }
    // √A = V diag(√λ) Vᵀ.
    guard let (values, vectors) = symmetricEigen(a, dimension: d) else { return nil }
    // Row k of `vectors` is eigenvector k; scale it by λₖ^¼ so that Wᵀ W = √A with W = scaled.
    var scaled = vectors
    for k in 0..<d {
        let factor = max(values[k], 0).squareRoot().squareRoot()
        for j in 0..<d { scaled[k * d + j] *= factor }
    }
    var rootA = [Double](repeating: 0, count: d * d)
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(d), Int32(d), Int32(d), 1, scaled, Int32(d), scaled, Int32(d), 0, &rootA, Int32(d))
    // M = √A · B · √A (symmetric).
    var product = [Double](repeating: 0, count: d * d)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(d), Int32(d), Int32(d), 1, rootA, Int32(d), b, Int32(d), 0, &product, Int32(d))
    var m = [Double](repeating: 0, count: d * d)
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(d), Int32(d), Int32(d), 1, product, Int32(d), rootA, Int32(d), 0, &m, Int32(d))
    for i in 0..<d { for j in (i + 1)..<d { let s = 0.5 * (m[i * d + j] + m[j * d + i]); m[i * d + j] = s; m[j * d + i] = s } }
    guard let (eigenvalues, _) = symmetricEigen(m, dimension: d, vectors: false) else { return nil }
    return eigenvalues.reduce(0) { $0 + max($1, 0).squareRoot() }
}

/// Eigenvalues (ascending) and, unless `vectors` is false, eigenvectors as rows of a row-major
/// matrix, of a symmetric matrix; nil when LAPACK does not converge or meets a non-finite value.
func symmetricEigen(_ matrix: [Double], dimension d: Int, vectors: Bool = true) -> (values: [Double], vectors: [Double])? {
    guard matrix.allSatisfy(\.isFinite) else { return nil }
    var a = matrix
    var values = [Double](repeating: 0, count: d)
    var n = Int32(d), lda = Int32(d), info: Int32 = 0, lwork: Int32 = -1
    var query = 0.0
    let job = vectors ? "V" : "N"
    // A row-major symmetric matrix read column-major is itself; column k of the column-major
    // result is row k of the row-major one.
    dsyev_(job, "L", &n, &a, &lda, &values, &query, &lwork, &info)
    lwork = Int32(max(1, Int(query)))
    var work = [Double](repeating: 0, count: Int(lwork))
    dsyev_(job, "L", &n, &a, &lda, &values, &work, &lwork, &info)
    guard info == 0, values.allSatisfy(\.isFinite) else { return nil }
    return (values, a)
}
