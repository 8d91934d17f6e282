import CBLAS
import Foundation

/// The (mu/mu_w, lambda) covariance matrix adaptation evolution strategy, as in Hansen's
/// tutorial ("The CMA Evolution Strategy: A Tutorial", 2016, the algorithm summary of its
/// appendix A) with positive recombination weights. It maximises: `ask()` proposes a
/// generation, `tell(_:)` takes their fitness (higher is better; -infinity for a point that
/// has none) and updates the mean, step size and covariance.
///
/// Every generation draws from its own counter stream (seed, generation), so a run is the same
/// for a seed whatever else happens in the process.
public final class CMAES {
    public let dimension: Int
    public let populationSize: Int
    public let parentCount: Int
    public private(set) var mean: [Double]
    public private(set) var sigma: Double
    public private(set) var generation = 0
    let seed: UInt64

    // Strategy parameters (tutorial, table 1).
    let weights: [Double]
    let muEff: Double
    let cSigma: Double, dSigma: Double, cc: Double, c1: Double, cMu: Double
    let expectedNorm: Double

    // State: covariance C = B diag(D²) Bᵀ, evolution paths.
    private(set) var covariance: [Double]
    private var basis: [Double]          // B, row-major: column k is eigenvector k
    private var scales: [Double]         // D: square roots of the eigenvalues
    private var pathSigma: [Double]
    private var pathC: [Double]
    private var eigenGeneration = 0
    private var pending: (normals: [[Double]], steps: [[Double]])?

    public init(mean: [Double], sigma: Double, population: Int? = nil, seed: UInt64) {
        let n = mean.count
        precondition(n > 0 && sigma > 0, "CMA-ES needs a dimension and a positive step size")
        dimension = n
        self.mean = mean
        self.sigma = sigma
        self.seed = seed
        let lambda = max(2, population ?? 4 + Int(3 * Foundation.log(Double(n))))
        populationSize = lambda
        parentCount = lambda / 2
        let raw = (1...(lambda / 2)).map { Foundation.log(Double(lambda + 1) / 2) - Foundation.log(Double($0)) }
        let total = raw.reduce(0, +)
        weights = raw.map { $0 / total }
        muEff = 1 / weights.reduce(0) { $0 + $1 * $1 }
        let nd = Double(n)
        cSigma = (muEff + 2) / (nd + muEff + 5)
        dSigma = 1 + 2 * max(0, ((muEff - 1) / (nd + 1)).squareRoot() - 1) + cSigma
        cc = (4 + muEff / nd) / (nd + 4 + 2 * muEff / nd)
        c1 = 2 / ((nd + 1.3) * (nd + 1.3) + muEff)
        cMu = min(1 - c1, 2 * (muEff - 2 + 1 / muEff) / ((nd + 2) * (nd + 2) + muEff))
        expectedNorm = nd.squareRoot() * (1 - 1 / (4 * nd) + 1 / (21 * nd * nd))
        covariance = [Double](repeating: 0, count: n * n)
        basis = [Double](repeating: 0, count: n * n)
        for i in 0..<n { covariance[i * n + i] = 1; basis[i * n + i] = 1 }
        scales = [Double](repeating: 1, count: n)
        pathSigma = [Double](repeating: 0, count: n)
        pathC = [Double](repeating: 0, count: n)
    }

    /// The largest standard deviation of the search distribution along any axis, σ·max(D).
    public var spread: Double { sigma * (scales.max() ?? 0) }

    /// The next generation's points: x_k = m + σ B D z_k, z_k ~ N(0, I).
    public func ask() -> [[Double]] {
        let n = dimension
        var rng = CounterRNG(seed: seed, stream: 0xC3A_0000_0000 ^ UInt64(generation))
        var normals: [[Double]] = [], steps: [[Double]] = [], points: [[Double]] = []
        for _ in 0..<populationSize {
            let z = (0..<n).map { _ in Double(rng.nextNormal()) }
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = 0.0
                for k in 0..<n { s += basis[i * n + k] * scales[k] * z[k] }
                y[i] = s
            }
            normals.append(z)
            steps.append(y)
            points.append((0..<n).map { mean[$0] + sigma * y[$0] })
        }
        pending = (normals, steps)
        return points
    }

    /// Updates the distribution from the fitness of the points the last `ask()` returned (higher
    /// is better). Ties keep the proposal order.
    public func tell(_ fitness: [Double]) {
        guard let (_, steps) = pending else { preconditionFailure("tell() without ask()") }
        precondition(fitness.count == populationSize, "one fitness per proposed point")
        pending = nil
        let n = dimension
        let order = (0..<populationSize).sorted { a, b in
            let fa = fitness[a].isNaN ? -Double.infinity : fitness[a], fb = fitness[b].isNaN ? -Double.infinity : fitness[b]
            return fa != fb ? fa > fb : a < b
        }
        // Weighted mean step ⟨y⟩_w and the new mean.
        var yw = [Double](repeating: 0, count: n)
        for (i, k) in order.prefix(parentCount).enumerated() {
            for j in 0..<n { yw[j] += weights[i] * steps[k][j] }
        }
        for j in 0..<n { mean[j] += sigma * yw[j] }
        // Step-size path: C^{-1/2} ⟨y⟩_w = B D⁻¹ Bᵀ ⟨y⟩_w.
        var projected = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var s = 0.0
            for i in 0..<n { s += basis[i * n + k] * yw[i] }
            projected[k] = s / scales[k]
        }
        let cs = (cSigma * (2 - cSigma) * muEff).squareRoot()
        for i in 0..<n {
            var s = 0.0
            for k in 0..<n { s += basis[i * n + k] * projected[k] }
            pathSigma[i] = (1 - cSigma) * pathSigma[i] + cs * s
        }
        let psNorm = pathSigma.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let decay = 1 - Foundation.pow(1 - cSigma, 2 * Double(generation + 1))
        let hSigma = psNorm / max(decay, 1e-300).squareRoot() < (1.4 + 2 / Double(n + 1)) * expectedNorm
        let ccs = (cc * (2 - cc) * muEff).squareRoot()
        for i in 0..<n { pathC[i] = (1 - cc) * pathC[i] + (hSigma ? ccs * yw[i] : 0) }
        // Covariance: rank-one (path) and rank-mu (selected steps) updates.
        let deltaH = hSigma ? 0 : cc * (2 - cc)
        let keep = 1 - c1 - cMu + c1 * deltaH
        for i in 0..<n {
            for j in i..<n {
                var rankMu = 0.0
                for (r, k) in order.prefix(parentCount).enumerated() { rankMu += weights[r] * steps[k][i] * steps[k][j] }
                let v = keep * covariance[i * n + j] + c1 * pathC[i] * pathC[j] + cMu * rankMu
                covariance[i * n + j] = v
                covariance[j * n + i] = v
            }
        }
        sigma *= Foundation.exp((cSigma / dSigma) * (psNorm / expectedNorm - 1))
        generation += 1
        // Decompose C again often enough that B and D stay close to it (tutorial: about every
        // λ / ((c1 + cμ) n · 10) generations).
        let interval = max(1, Int(Double(populationSize) / ((c1 + cMu) * Double(n) * 10)))
        if generation - eigenGeneration >= interval { decompose() }
    }

    /// B and D from C by LAPACK's symmetric eigensolver. Eigenvalues are floored at a tiny
    /// positive value so that rounding never gives a zero or negative scale.
    private func decompose() {
        eigenGeneration = generation
        var n32 = Int32(dimension), lda = Int32(dimension), info: Int32 = 0
        let n = dimension
        var a = covariance                     // symmetric: row- and column-major agree
        var w = [Double](repeating: 0, count: n)
        var lwork: Int32 = -1, query = 0.0
        var jobz = CChar(UInt8(ascii: "V")), uplo = CChar(UInt8(ascii: "U"))
        dsyev_(&jobz, &uplo, &n32, &a, &lda, &w, &query, &lwork, &info)
        lwork = Int32(max(1, Int(query)))
        var work = [Double](repeating: 0, count: Int(lwork))
        dsyev_(&jobz, &uplo, &n32, &a, &lda, &w, &work, &lwork, &info)
        guard info == 0 else { return }        // keep the previous B, D
        let largest = max(w.max() ?? 1, 1e-300)
        for k in 0..<n {
            scales[k] = max(w[k], largest * 1e-14).squareRoot()
            // Column-major eigenvector k is a[k*n ..< (k+1)*n]; store it as column k of B.
            for i in 0..<n { basis[i * n + k] = a[k * n + i] }
        }
    }
}
