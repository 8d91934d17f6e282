import Foundation

/// GuacaMol's two KL-divergence estimators (guacamol/utils/chemistry.py), with NumPy's and
/// SciPy's arithmetic where it decides a value: `continuous_kldiv` (Gaussian KDEs compared on
/// a 1,000-point grid) and `discrete_kldiv` (10-bin density histograms). Both add GuacaMol's
/// epsilon 1e-10 to every density before `scipy.stats.entropy` normalises them.
/// A case where the Python code raises (a set too small or without spread for a KDE) gives NaN.
public enum KLDivergence {
    public static let epsilon = 1e-10

    /// `continuous_kldiv(X_baseline, X_sampled)`: KL(P‖Q) of the two KDEs evaluated at
    /// `np.linspace(min, max, num=1000)` over both sets together.
    public static func continuous(baseline: [Double], sampled: [Double], threads: Int) -> Double {
        let both = baseline + sampled
        guard let low = both.min(), let high = both.max() else { return .nan }
        let grid = linspace(low, high, count: 1000)
        let p = GaussianKDE(data: baseline).evaluate(grid, threads: threads).map { $0 + epsilon }
        let q = GaussianKDE(data: sampled).evaluate(grid, threads: threads).map { $0 + epsilon }
        return entropy(p, q)
    }

    /// `discrete_kldiv(X_baseline, X_sampled)`: `np.histogram(baseline, bins=10, density=True)`,
    /// the sampled values binned on the same edges, then KL(P‖Q).
    public static func discrete(baseline: [Double], sampled: [Double]) -> Double {
        guard var low = baseline.min(), var high = baseline.max() else { return .nan }
        if low == high { low -= 0.5; high += 0.5 }  // np.histogram's range for constant data
        let edges = linspace(low, high, count: 11)
        let p = density(baseline, edges: edges).map { $0 + epsilon }
        let q = density(sampled, edges: edges).map { $0 + epsilon }
        return entropy(p, q)
    }

    /// `np.linspace(start, stop, count)`: start + i · step, the last point exactly `stop`.
    static func linspace(_ start: Double, _ stop: Double, count: Int) -> [Double] {
        let step = (stop - start) / Double(count - 1)
        var points = (0..<count).map { Double($0) * step + start }
        points[count - 1] = stop
        return points
    }

    /// `np.histogram(values, bins=edges, density=True)`: bin i holds edges[i] <= v < edges[i+1],
    /// the last bin closed; values outside the edges are dropped; counts / width / total (NaN
    /// densities when nothing falls inside, as NumPy's 0/0).
    static func density(_ values: [Double], edges: [Double]) -> [Double] {
        let bins = edges.count - 1
        var counts = [Double](repeating: 0, count: bins)
        for v in values where v >= edges[0] && v <= edges[bins] {
            // The last edge not above v, by binary search, clamped into the closed last bin.
            var lo = 0, hi = bins + 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if edges[mid] <= v { lo = mid + 1 } else { hi = mid }
            }
            counts[min(lo - 1, bins - 1)] += 1
        }
        let total = counts.reduce(0, +)
        return (0..<bins).map { counts[$0] / (edges[$0 + 1] - edges[$0]) / total }
    }

    /// `scipy.stats.entropy(p, q)`: both normalised to sum 1, then Σ p·log(p/q) (`rel_entr`:
    /// 0 where p = 0, +inf where q = 0 < p).
    static func entropy(_ p: [Double], _ q: [Double]) -> Double {
        let sp = p.reduce(0, +), sq = q.reduce(0, +)
        var sum = 0.0
        for (a, b) in zip(p, q) {
            let x = a / sp, y = b / sq
            if x.isNaN || y.isNaN { return .nan }
            if x > 0 && y > 0 { sum += x * log(x / y) } else if x == 0 && y >= 0 { continue } else { return .infinity }
        }
        return sum
    }
}
