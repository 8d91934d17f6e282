/// Molecules as token ids without specials (the model adds <bos>/<eos> itself), stored flat.
public struct TokenBatch: Sendable {
    public private(set) var tokens: [Int32]
    public private(set) var offsets: [Int]
    public private(set) var lengths: [Int]

    public init(sequences: [[Int32]]) {
        tokens = []
        offsets = []
        lengths = []
        for s in sequences { append(s) }
    }

    /// From a padded [count][stride] matrix and the valid length of each row.
    public init(padded: [Int32], stride: Int, lengths: [Int]) {
        tokens = []
        offsets = []
        self.lengths = []
        for (b, l) in lengths.enumerated() { append(Array(padded[(b * stride)..<(b * stride + l)])) }
    }

    public mutating func append(_ sequence: [Int32]) {
        offsets.append(tokens.count)
        lengths.append(sequence.count)
        tokens.append(contentsOf: sequence)
    }

    public var count: Int { lengths.count }
    public var tokenCount: Int { tokens.count }

    @inline(__always) public func token(_ b: Int, _ t: Int) -> Int32 { tokens[offsets[b] + t] }
}

/// Where the reparameterisation noise comes from.
public enum Epsilon: Sendable {
    /// [batch, latent] in the batch's order.
    case given([Float])
    /// N(0, I) from the counter RNG: stream per (step, molecule), so independent of threads.
    /// Row i of the batch draws from stream firstRow + i: a rank that holds rows firstRow... of
    /// a global batch draws what one process would for those rows.
    case random(seed: UInt64, step: UInt64, firstRow: Int = 0)
    /// eps = 0: z = mu (deterministic encoding).
    case zero
}

/// Loss pieces of one batch, each already divided by the batch size (the reference convention):
/// total = recon + beta * kl.
public struct VAELoss: Sendable, Equatable {
    public var recon: Double
    public var kl: Double
    public var tokens: Int
    public var batch: Int
    public init(recon: Double, kl: Double, tokens: Int, batch: Int) {
        self.recon = recon
        self.kl = kl
        self.tokens = tokens
        self.batch = batch
    }
    public func total(beta: Double = 1) -> Double { recon + beta * kl }
}
