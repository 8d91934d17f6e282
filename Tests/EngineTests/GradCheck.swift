import Testing
@testable import MolVAE

/// Central finite differences on Float32 code.
/// Why these tolerances: the forward runs in Float (relative rounding ~1e-7 per op) and the
/// scalar loss is accumulated in Double. With step h the rounding noise in the difference
/// quotient is about 1e-7·|loss|/h and the truncation error about h²·|f'''|/6. For h = 1e-2 and
/// losses of order 1–10 both are ≲1e-4, so |numeric − analytic| ≤ 2e-3 + 2e-2·|analytic|
/// separates rounding from real mistakes (a wrong term shows up as an O(1) relative error).
struct GradCheck {
    var h: Float = 1e-2
    var absTolerance: Double = 2e-3
    var relTolerance: Double = 2e-2

    /// Perturbs up to `samples` elements of `values` (spread over the tensor) and compares with
    /// `analytic`. Returns the number of mismatches (each also recorded as a test issue).
    @discardableResult
    func check(_ label: String, _ values: UnsafeMutablePointer<Float>, analytic: [Float], count: Int,
               samples: Int = 24, loss: () -> Double) -> Int {
        precondition(analytic.count >= count)
        var failures = 0
        let stride = max(1, count / samples)
        var idx = 0
        var checked = 0
        while idx < count && checked < samples {
            let saved = values[idx]
            values[idx] = saved + h
            let lp = loss()
            values[idx] = saved - h
            let lm = loss()
            values[idx] = saved
            let numeric = (lp - lm) / (2 * Double(h))
            let a = Double(analytic[idx])
            let err = abs(numeric - a)
            if err > absTolerance + relTolerance * max(abs(a), abs(numeric)) {
                failures += 1
                Issue.record("\(label)[\(idx)]: numeric \(numeric) analytic \(a)")
            }
            idx += stride
            checked += 1
        }
        return failures
    }
}

/// Fixed pseudo-random values for inputs and loss weights.
func randomValues(_ n: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = CounterRNG(seed: seed, stream: 99)
    return (0..<n).map { _ in (2 * rng.nextFloat() - 1) * scale }
}

/// sum_i w_i y_i in Double: a scalar loss whose gradient wrt y is w.
func weightedSum(_ y: UnsafePointer<Float>, _ w: [Float]) -> Double {
    var s = 0.0
    for i in 0..<w.count { s += Double(y[i]) * Double(w[i]) }
    return s
}

/// A heap Float vector for tests: the perturbed inputs must be mutable while the loss closure
/// reads them, which Swift arrays forbid (exclusive access), so tests keep raw buffers.
final class Vec {
    let p: UnsafeMutablePointer<Float>
    let count: Int
    init(_ values: [Float]) {
        count = values.count
        p = .allocate(capacity: max(1, count))
        for i in 0..<count { p[i] = values[i] }
    }
    convenience init(zeros n: Int) { self.init([Float](repeating: 0, count: n)) }
    deinit { p.deallocate() }
    var array: [Float] { Array(UnsafeBufferPointer(start: p, count: count)) }
    subscript(i: Int) -> Float { get { p[i] } set { p[i] = newValue } }
}

final class IVec {
    let p: UnsafeMutablePointer<Int32>
    let count: Int
    init(_ values: [Int32]) {
        count = values.count
        p = .allocate(capacity: max(1, count))
        for i in 0..<count { p[i] = values[i] }
    }
    deinit { p.deallocate() }
}
