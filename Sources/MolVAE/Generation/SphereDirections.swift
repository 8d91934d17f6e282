/// Random directions uniform on the unit sphere of the latent space, seeded and indexed: the
/// i-th direction depends only on (seed, i), so a search that stops early or decodes in batches
/// of any size sees the same points.
public enum SphereDirections {
    /// Direction `index` for `seed`: a standard normal vector divided by its norm (uniform on
    /// the sphere by the Gaussian's rotational symmetry).
    public static func direction(index: Int, dimension: Int, seed: UInt64) -> [Float] {
        var rng = CounterRNG(seed: seed, stream: 0x4E31_0000_0000 ^ UInt64(index))
        while true {
            let v = (0..<dimension).map { _ in Double(rng.nextNormal()) }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            // A zero vector has probability 0 but would have no direction: draw again.
            if norm > 0 { return v.map { Float($0 / norm) } }
        }
    }

    /// The point `center + radius · direction(index)`, at distance `radius` from the centre.
    public static func point(around center: [Float], radius: Double, index: Int, seed: UInt64) -> [Float] {
        let u = direction(index: index, dimension: center.count, seed: seed)
        return (0..<center.count).map { center[$0] + Float(radius * Double(u[$0])) }
    }
}
