/// Which side of the train/validation split a molecule falls on.
///
/// The assignment is a pure function of the molecule's string and the seed (a 64-bit FNV-1a
/// hash, mixed with the seed and finalised with SplitMix64), not of its position or of a shared
/// random generator. So the same seed gives the same split whatever the thread count, chunk
/// size or input order, nothing has to be held in memory to split, and duplicates of a molecule
/// always land on the same side (no train/validation leakage when not deduplicating).
public enum CorpusSplit: String, Sendable, Codable, CaseIterable {
    case train
    case valid

    /// The side of `smiles` for `seed`; about `validFraction` of distinct strings are `.valid`.
    public static func assign(_ smiles: String, seed: UInt64, validFraction: Double) -> CorpusSplit {
        unitInterval(smiles, seed: seed) < validFraction ? .valid : .train
    }

    /// A deterministic, uniformly distributed value in [0, 1) for `smiles` and `seed`.
    public static func unitInterval(_ smiles: String, seed: UInt64) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in smiles.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        var mixed = hash ^ (seed &* 0x9e37_79b9_7f4a_7c15)
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        mixed ^= mixed >> 31
        return Double(mixed >> 11) * 0x1.0p-53
    }
}
