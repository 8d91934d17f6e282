/// The molecule a decoding strategy chose for one latent point.
public struct DecodedMolecule: Sendable, Equatable {
    /// The chosen decoding as the decoder spelled it (its first occurrence among the tries).
    public let raw: String
    /// RDKit's canonical SMILES of `raw`; nil when RDKit rejects it.
    public let canonical: String?
    /// Token ids of `raw` (without <bos>/<eos>).
    public let tokens: [Int32]
    /// Decodings that gave the chosen molecule (the same canonical SMILES, or for an invalid
    /// choice the same string); 1 for greedy and beam.
    public let count: Int
    /// Decodings that RDKit accepted.
    public let validCount: Int
    /// Decodings made.
    public let tries: Int
    /// Beam search's log p(tokens, <eos> | z); nil for the other strategies.
    public let logLikelihood: Double?

    public var isValid: Bool { canonical != nil }
    /// The canonical SMILES when valid, else the raw string.
    public var smiles: String { canonical ?? raw }
    /// count / tries.
    public var frequency: Double { tries > 0 ? Double(count) / Double(tries) : 0 }

    public init(raw: String, canonical: String?, tokens: [Int32], count: Int, validCount: Int, tries: Int,
                logLikelihood: Double? = nil) {
        self.raw = raw
        self.canonical = canonical
        self.tokens = tokens
        self.count = count
        self.validCount = validCount
        self.tries = tries
        self.logLikelihood = logLikelihood
    }

    /// The most-frequent rule over several decodings of one point: the valid molecule (by
    /// canonical SMILES) decoded most often, ties to the one seen first; when none is valid, the
    /// string decoded most often, ties to the first seen. `canonical[i]` is nil for invalid ones.
    public static func mostFrequent(raw: [String], canonical: [String?], tokens: [[Int32]]) -> DecodedMolecule {
        precondition(!raw.isEmpty && raw.count == canonical.count && raw.count == tokens.count)
        var counts: [String: Int] = [:], firstSeen: [String: Int] = [:]
        var validCount = 0
        let anyValid = canonical.contains { $0 != nil }
        for i in raw.indices {
            let key: String
            if let c = canonical[i] {
                validCount += 1
                key = c
            } else if anyValid {
                continue
            } else {
                key = raw[i]
            }
            counts[key, default: 0] += 1
            if firstSeen[key] == nil { firstSeen[key] = i }
        }
        var bestCount = 0, bestFirst = Int.max
        for (key, n) in counts {
            let first = firstSeen[key]!
            if n > bestCount || (n == bestCount && first < bestFirst) { (bestCount, bestFirst) = (n, first) }
        }
        return DecodedMolecule(raw: raw[bestFirst], canonical: canonical[bestFirst], tokens: tokens[bestFirst], count: bestCount,
                               validCount: validCount, tries: raw.count)
    }
}
