import Foundation

/// Where the encoder places one molecule: the diagonal Gaussian q(z | x) = N(mu, exp(logvar)).
public struct LatentGaussian: Sendable, Equatable {
    public let mu: [Float]
    public let logvar: [Float]

    public init(mu: [Float], logvar: [Float]) {
        precondition(mu.count == logvar.count, "mu and logvar need the same dimension")
        self.mu = mu
        self.logvar = logvar
    }

    public var dimension: Int { mu.count }

    /// z = mu + sigma · eps with eps ~ N(0, I) from the counter stream named by (index, draw): the
    /// same molecule index and draw give the same point whatever the batch or thread count.
    public func sample(seed: UInt64, index: Int, draw: Int = 0) -> [Float] {
        var rng = CounterRNG(seed: seed, stream: LatentGaussian.stream(index: index, draw: draw))
        var z = mu
        for j in 0..<z.count { z[j] += Foundation.exp(0.5 * logvar[j]) * rng.nextNormal() }
        return z
    }

    /// The point `mode` asks for.
    public func point(_ mode: EncodingMode, index: Int, draw: Int = 0) -> [Float] {
        switch mode {
        case .mean: return mu
        case .sample(let seed): return sample(seed: seed, index: index, draw: draw)
        }
    }

    static func stream(index: Int, draw: Int) -> UInt64 {
        0x454E_4300_0000_0000 ^ (UInt64(truncatingIfNeeded: draw) << 32) ^ UInt64(truncatingIfNeeded: index)
    }
}

/// Which point of q(z | x) stands for a molecule.
public enum EncodingMode: Sendable, Equatable {
    /// The mean: deterministic.
    case mean
    /// One draw mu + sigma · eps from the seeded stream of the molecule's index.
    case sample(seed: UInt64)
}
