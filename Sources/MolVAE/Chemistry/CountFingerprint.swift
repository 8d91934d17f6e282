import CMolShim

/// An unhashed Morgan count fingerprint as `AllChem.GetMorganFingerprint(mol, radius)`: the
/// 32-bit environment ids that occur, ascending, with how often each occurs. Nothing is folded,
/// so no two environments collide; the SA score and count-based similarity use this form.
public struct CountFingerprint: Sendable, Hashable {
    /// Environment ids, strictly ascending.
    public let ids: [UInt32]
    /// `counts[i]` is the number of occurrences of `ids[i]`.
    public let counts: [UInt32]
    /// Sum of all counts (cached for similarity).
    public let total: Int

    public init(ids: [UInt32], counts: [UInt32]) {
        precondition(ids.count == counts.count, "ids and counts differ in length")
        self.ids = ids
        self.counts = counts
        total = counts.reduce(0) { $0 + Int($1) }
    }

    /// Count Tanimoto as RDKit's `TanimotoSimilarity` on `SparseIntVect`s:
    /// Σ min(a, b) / (Σ a + Σ b − Σ min(a, b)); 0 when both are empty (RDKit's choice).
    public func tanimoto(_ other: CountFingerprint) -> Double {
        var i = 0, j = 0, common = 0
        while i < ids.count && j < other.ids.count {
            if ids[i] == other.ids[j] {
                common += Int(min(counts[i], other.counts[j]))
                i += 1
                j += 1
            } else if ids[i] < other.ids[j] {
                i += 1
            } else {
                j += 1
            }
        }
        let denominator = total + other.total - common
        return denominator == 0 ? 0 : Double(common) / Double(denominator)
    }

    /// Similarity to each of `others`, in order.
    public func tanimoto(against others: [CountFingerprint]) -> [Double] {
        others.map { tanimoto($0) }
    }
}

extension Molecule {
    /// Unhashed Morgan counts of `radius` (default 2).
    public func countFingerprint(radius: Int = 2) throws(PropertyError) -> CountFingerprint {
        guard radius >= 0 else { throw PropertyError(description: "Morgan count fingerprint failed") }
        return try takeCounts("Morgan count fingerprint") { ids, counts, length, error in
            molshim_mol_morgan_counts(handle, UInt32(radius), ids, counts, length, error)
        }
    }

    /// Runs a shim count-fingerprint call and takes its two arrays (every count fingerprint's
    /// way across the boundary).
    func takeCounts(
        _ what: String,
        _ call: (UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>, UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>,
                 UnsafeMutablePointer<Int>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32
    ) throws(PropertyError) -> CountFingerprint {
        var ids: UnsafeMutablePointer<UInt32>? = nil
        var counts: UnsafeMutablePointer<UInt32>? = nil
        var length = 0
        var error: UnsafeMutablePointer<CChar>? = nil
        guard call(&ids, &counts, &length, &error) == 1 else {
            throw PropertyError(description: takeString(error).nonEmpty ?? "\(what) failed")
        }
        defer {
            molshim_free_buffer(ids)
            molshim_free_buffer(counts)
        }
        return CountFingerprint(
            ids: Array(UnsafeBufferPointer(start: ids, count: length)),
            counts: Array(UnsafeBufferPointer(start: counts, count: length)))
    }
}
