import Foundation

/// A counter-based random generator: every number is a SplitMix64-style hash of
/// (seed, stream, counter). Work split across threads draws from streams named by what it
/// computes (a row, a step), never by the thread, so results do not depend on the thread count.
public struct CounterRNG: Sendable {
    public let seed: UInt64
    public let stream: UInt64
    public var counter: UInt64

    public init(seed: UInt64, stream: UInt64 = 0, counter: UInt64 = 0) {
        self.seed = seed
        self.stream = stream
        self.counter = counter
    }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    public static func hash(seed: UInt64, stream: UInt64, counter: UInt64) -> UInt64 {
        mix(mix(mix(seed) ^ stream) ^ counter)
    }

    @inline(__always)
    public mutating func nextUInt64() -> UInt64 {
        let v = CounterRNG.hash(seed: seed, stream: stream, counter: counter)
        counter &+= 1
        return v
    }

    /// Uniform in [0, 1) with 24 random bits (exactly representable in Float).
    @inline(__always)
    public mutating func nextFloat() -> Float {
        Float(nextUInt64() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Standard normal by Box-Muller (two uniforms per value; the second value is discarded so
    /// that the i-th normal of a stream depends only on (seed, stream, i)).
    @inline(__always)
    public mutating func nextNormal() -> Float {
        let u1 = Double((nextUInt64() >> 11) + 1) * (1.0 / 9_007_199_254_740_993.0)
        let u2 = Double(nextUInt64() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        return Float(sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2))
    }
}
