import Foundation

/// The viridis colour map (perceptually uniform, readable in greyscale and by most colour-blind
/// readers), sampled at nine stops and interpolated linearly between them.
enum ColorScale {
    private static let stops: [(Double, Double, Double)] = [
        (68, 1, 84), (71, 45, 123), (59, 82, 139), (44, 114, 142), (33, 145, 140),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    ]

    /// The colour of `fraction` in [0, 1] (clamped) as `#rrggbb`.
    static func viridis(_ fraction: Double) -> String {
        let f = fraction.isFinite ? min(1, max(0, fraction)) : 0
        let position = f * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(position)), w = position - Double(i)
        let (r0, g0, b0) = stops[i], (r1, g1, b1) = stops[i + 1]
        func channel(_ a: Double, _ b: Double) -> Int { Int((a + (b - a) * w).rounded()) }
        return String(format: "#%02x%02x%02x", channel(r0, r1), channel(g0, g1), channel(b0, b1))
    }
}
