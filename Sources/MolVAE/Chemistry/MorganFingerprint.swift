import CMolShim

/// A hashed Morgan (ECFP-like) fingerprint as `AllChem.GetMorganFingerprintAsBitVect`: bits
/// packed into 64-bit words, so Tanimoto similarity is a few popcounts and never calls RDKit.
public struct MorganFingerprint: Sendable, Hashable {
    /// Packed bits: bit `i` is `(words[i / 64] >> (i % 64)) & 1`.
    public let words: [UInt64]
    /// Number of set bits, cached because every similarity needs it.
    public let bitCount: Int

    /// The vector length in bits.
    public var length: Int { words.count * 64 }

    public init(words: [UInt64]) {
        self.words = words
        bitCount = words.reduce(0) { $0 + $1.nonzeroBitCount }
    }

    /// Indices of the set bits, ascending (as RDKit's `GetOnBits`).
    public var onBits: [Int] {
        var bits: [Int] = []
        bits.reserveCapacity(bitCount)
        for (w, word) in words.enumerated() {
            var rest = word
            while rest != 0 {
                bits.append(w * 64 + rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
        return bits
    }

    /// Tanimoto (Jaccard) similarity: |a ∧ b| / |a ∨ b|; 1 for two empty vectors, as RDKit.
    /// Both fingerprints must have the same length.
    public func tanimoto(_ other: MorganFingerprint) -> Double {
        precondition(words.count == other.words.count, "fingerprint lengths differ")
        var common = 0
        for i in 0..<words.count { common += (words[i] & other.words[i]).nonzeroBitCount }
        let union = bitCount + other.bitCount - common
        return union == 0 ? 1 : Double(common) / Double(union)
    }

    /// Similarity of this fingerprint to each of `others`, in order (one-against-many, the inner
    /// loop of nearest-neighbour and diversity metrics). With `threads` > 1 the comparisons are
    /// spread over that many workers; worthwhile from some tens of thousands of fingerprints.
    public func tanimoto(against others: [MorganFingerprint], threads: Int = 1) -> [Double] {
        if threads <= 1 { return others.map { tanimoto($0) } }
        return BatchScoring.parallelMap(others.count, threads: threads) { tanimoto(others[$0]) }
    }
}

extension Molecule {
    /// Morgan fingerprint of `radius` (default 2) folded to `bits` bits (a positive multiple of 64;
    /// 1024 and 2048 are the usual lengths).
    public func morganFingerprint(radius: Int = 2, bits: Int = 2048) throws(PropertyError) -> MorganFingerprint {
        guard bits > 0, bits % 64 == 0, radius >= 0 else {
            throw PropertyError(description: "fingerprint length must be a positive multiple of 64")
        }
        var words = [UInt64](repeating: 0, count: bits / 64)
        var error: UnsafeMutablePointer<CChar>? = nil
        let ok = words.withUnsafeMutableBufferPointer {
            molshim_mol_morgan_bits(handle, UInt32(radius), UInt32(bits), $0.baseAddress, &error)
        }
        guard ok == 1 else { throw PropertyError(description: takeString(error).nonEmpty ?? "Morgan fingerprint failed") }
        return MorganFingerprint(words: words)
    }
}
