/// Penalized logP, the property optimised in the JT-VAE / GCPN / MolDQN benchmarks. Two forms
/// circulate under the same name and give very different numbers, so both are offered and named.
///
/// Both use `cycle = max(0, largest ring size - 6)`, the ring sizes being those of RDKit's
/// `GetRingInfo().AtomRings()` (SSSR) and `cycle = 0` without rings.
public enum PenalizedLogP {
    /// The raw form, as most papers state it: `logP - SA - cycle`.
    public static func raw(logP: Double, syntheticAccessibility: Double, largestRingSize: Int) -> Double {
        logP - syntheticAccessibility - Double(cyclePenalty(largestRingSize: largestRingSize))
    }

    /// The normalised form used by the JT-VAE and GCPN benchmark code: each term is standardised
    /// by the mean and standard deviation measured on ZINC-250k,
    /// `(logP - 2.4570953396190123) / 1.434324401111988
    ///  + (-SA + 3.0525811293166134) / 0.8335207024513095
    ///  + (-cycle + 0.0485696876403053) / 0.2860212110245455`.
    /// Reported improvements in those papers are in these units.
    public static func normalized(logP: Double, syntheticAccessibility: Double, largestRingSize: Int) -> Double {
        let cycle = Double(cyclePenalty(largestRingSize: largestRingSize))
        return (logP - 2.4570953396190123) / 1.434324401111988
            + (-syntheticAccessibility - (-3.0525811293166134)) / 0.8335207024513095
            + (-cycle - (-0.0485696876403053)) / 0.2860212110245455
    }

    /// Ring atoms beyond six in the largest ring; 0 for rings of six or fewer and for acyclic
    /// molecules.
    public static func cyclePenalty(largestRingSize: Int) -> Int {
        max(0, largestRingSize - 6)
    }
}
