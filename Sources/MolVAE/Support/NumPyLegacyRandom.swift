/// NumPy's legacy global generator (`np.random.seed` / `RandomState`, MT19937), reproduced for
/// the one draw that must match Python bit for bit: GuacaMol's `get_random_subset`, which is
/// `np.random.seed(seed); np.random.choice(dataset, k, replace=False)`. That choice is the first
/// k entries of `permutation(n)`, a Fisher–Yates shuffle of 0..<n from the top, each swap
/// partner drawn by `random_interval` (mask-and-reject on 32-bit outputs).
/// Checked against NumPy 1.26 by the GuacaMol fixture (its drawn reference set).
public struct NumPyLegacyRandom {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624

    /// `np.random.seed(seed)` for an integer seed: MT19937's init_genrand.
    public init(seed: UInt32) {
        state[0] = seed
        for i in 1..<624 {
            state[i] = 1_812_433_253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
    }

    /// The next 32-bit output (genrand_int32).
    public mutating func nextUInt32() -> UInt32 {
        if index >= 624 {
            for k in 0..<624 {
                let y = (state[k] & 0x8000_0000) | (state[(k + 1) % 624] & 0x7fff_ffff)
                state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 == 0 ? 0 : 0x9908_b0df)
            }
            index = 0
        }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// NumPy's `random_interval(max)`: uniform on 0...max by masking to the smallest covering
    /// power of two and rejecting values above `max`.
    public mutating func interval(_ max: UInt32) -> UInt32 {
        guard max > 0 else { return 0 }
        var mask = max
        for shift: UInt32 in [1, 2, 4, 8, 16] { mask |= mask >> shift }
        while true {
            let value = nextUInt32() & mask
            if value <= max { return value }
        }
    }

    /// `np.random.seed(seed); np.random.choice(n, k, replace=False)`: k distinct indices of 0..<n.
    public static func choiceWithoutReplacement(from n: Int, count k: Int, seed: UInt32) -> [Int] {
        precondition(k <= n && n <= Int(UInt32.max), "cannot draw \(k) of \(n)")
        var random = NumPyLegacyRandom(seed: seed)
        var order = Array(0..<n)
        var i = n - 1
        while i > 0 {
            order.swapAt(i, Int(random.interval(UInt32(i))))
            i -= 1
        }
        return Array(order.prefix(k))
    }
}
