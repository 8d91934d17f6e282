/// Points drawn from the prior N(0, I) for the training terms that decode from the prior (the
/// validity and prior-decoding terms): row i of step s is a counter-RNG function of (seed, s, i)
/// alone, so a resumed run, another thread count or another rank draws the same point.
enum PriorDraws {
    /// [rows.count, latent] values, row k for global row rows[k].
    static func latents(rows: some Sequence<Int>, latent: Int, seed: UInt64, step: Int) -> [Float] {
        var latents: [Float] = []
        for i in rows {
            var rng = CounterRNG(seed: seed, stream: (UInt64(step) << 20) ^ UInt64(i))
            for _ in 0..<latent { latents.append(rng.nextNormal()) }
        }
        return latents
    }
}
