/// How a latent point becomes one molecule.
public enum DecodingStrategy: Sendable, Equatable {
    /// `tries` stochastic decodings at `temperature` (optionally among the `topK` likeliest
    /// tokens); the answer is the most frequent valid molecule (by canonical SMILES), ties to
    /// the first seen.
    case tries(Int, temperature: Float = 1, topK: Int? = nil)
    /// The likeliest token at every step.
    case greedy
    /// Beam search of this width (see `BeamSearch`).
    case beam(width: Int)

    public var name: String {
        switch self {
        case let .tries(k, temperature, topK):
            return "tries \(k) at temperature \(temperature)" + (topK.map { ", top-k \($0)" } ?? "")
        case .greedy: return "greedy"
        case .beam(let width): return "beam \(width)"
        }
    }
}
