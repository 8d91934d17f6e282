/// The first Wasserstein (earth mover's) distance between two one-dimensional samples with
/// equal weights: the integral of |F_u(x) - F_v(x)| over x, computed as scipy's
/// `wasserstein_distance` does (MOSES uses it for logP, SA, QED and weight).
public func wassersteinDistance(_ u: [Double], _ v: [Double]) -> Double {
    guard !u.isEmpty, !v.isEmpty else { return .nan }
    let uSorted = u.sorted(), vSorted = v.sorted()
    let all = (u + v).sorted()
    var total = 0.0
    var i = 0, j = 0
    for k in 0..<(all.count - 1) {
        let x = all[k]
        // CDFs at x: the share of each sample that is <= x.
        while i < uSorted.count && uSorted[i] <= x { i += 1 }
        while j < vSorted.count && vSorted[j] <= x { j += 1 }
        let delta = all[k + 1] - x
        if delta > 0 {
            total += abs(Double(i) / Double(uSorted.count) - Double(j) / Double(vSorted.count)) * delta
        }
    }
    return total
}
