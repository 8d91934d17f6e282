import Foundation

/// How `interpolate` walks between two latent points.
public enum InterpolationMethod: String, Sendable, CaseIterable {
    /// Straight line: z(t) = (1 − t)·a + t·b. Mid-path points are shorter than the endpoints
    /// (the chord cuts through the low-norm middle of the Gaussian), which is why slerp exists.
    case linear
    /// Spherical: the direction turns at constant angular speed from â to b̂ (slerp) while the
    /// norm goes linearly from |a| to |b|, so every point keeps a norm between the endpoints'.
    /// (Plain slerp of unnormalised vectors can dip below both norms when the angle is wide.)
    case slerp
}

/// Points on a path between two latent vectors.
public enum LatentPath {
    /// The `steps` values of t from 0 to 1 inclusive, evenly spaced; one step is t = 0.
    public static func times(steps: Int) -> [Double] {
        guard steps > 1 else { return steps == 1 ? [0] : [] }
        return (0..<steps).map { Double($0) / Double(steps - 1) }
    }

    /// The point at fraction t of the way from `a` to `b` (same length vectors).
    public static func point(from a: [Float], to b: [Float], t: Double, method: InterpolationMethod) -> [Float] {
        precondition(a.count == b.count, "endpoints need the same dimension")
        switch method {
        case .linear:
            return linear(a, b, t)
        case .slerp:
            return slerp(a, b, t)
        }
    }

    /// `steps` points from `a` (t = 0) to `b` (t = 1), with their t.
    public static func points(from a: [Float], to b: [Float], steps: Int, method: InterpolationMethod) -> [(t: Double, z: [Float])] {
        times(steps: steps).map { ($0, point(from: a, to: b, t: $0, method: method)) }
    }

    static func linear(_ a: [Float], _ b: [Float], _ t: Double) -> [Float] {
        (0..<a.count).map { Float((1 - t) * Double(a[$0]) + t * Double(b[$0])) }
    }

    static func slerp(_ a: [Float], _ b: [Float], _ t: Double) -> [Float] {
        let na = norm(a), nb = norm(b)
        // A zero endpoint has no direction: the straight line is the only sensible path.
        guard na > 0, nb > 0 else { return linear(a, b, t) }
        var cosine = 0.0
        for i in 0..<a.count { cosine += Double(a[i]) * Double(b[i]) }
        cosine = min(1, max(-1, cosine / (na * nb)))
        let omega = acos(cosine), sinOmega = sin(omega)
        let length = (1 - t) * na + t * nb
        let wa: Double, wb: Double
        if sinOmega < 1e-6 {
            // (Nearly) parallel or opposite directions: the great circle is undefined or
            // degenerate; blend the unit directions linearly and renormalise below.
            wa = 1 - t
            wb = t
        } else {
            wa = sin((1 - t) * omega) / sinOmega
            wb = sin(t * omega) / sinOmega
        }
        var direction = (0..<a.count).map { wa * Double(a[$0]) / na + wb * Double(b[$0]) / nb }
        let nd = direction.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if nd > 0 { direction = direction.map { $0 / nd } }
        return direction.map { Float($0 * length) }
    }

    /// Euclidean norm, in Double.
    public static func norm(_ v: [Float]) -> Double {
        v.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
    }

    /// Euclidean distance, in Double.
    public static func distance(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "vectors need the same dimension")
        var s = 0.0
        for i in 0..<a.count { let d = Double(a[i]) - Double(b[i]); s += d * d }
        return s.squareRoot()
    }
}
