import Foundation

/// Round tick values for an axis (1, 2 or 5 times a power of ten apart).
enum AxisTicks {
    static func values(low: Double, high: Double, target: Int = 5) -> [Double] {
        guard low.isFinite, high.isFinite, high > low, target > 0 else { return [low] }
        let raw = (high - low) / Double(target)
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        var ticks: [Double] = []
        var v = ceil(low / step) * step
        while v <= high + step * 1e-9 {
            ticks.append(abs(v) < step * 1e-9 ? 0 : v)
            v += step
        }
        return ticks
    }

    /// A tick label with as many decimals as the spacing needs.
    static func label(_ value: Double, ticks: [Double]) -> String {
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let decimals = max(0, min(6, Int(-floor(log10(step)))))
        return String(format: "%.\(decimals)f", value)
    }
}
