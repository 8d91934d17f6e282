/// Turns latent points into molecules for a search. The searches only need this much of the
/// decoder, which keeps them testable against any decoding strategy.
public protocol PointDecoding: AnyObject {
    /// Latent dimensions.
    var latentSize: Int { get }
    /// The canonical SMILES decoded from each point of `latents` ([count, latentSize]), nil when
    /// the decoding is not a valid molecule. Point i of the call is global point `firstIndex + i`
    /// of the search, which names its random stream when decoding is stochastic.
    func decodeMolecules(latents: [Float], count: Int, firstIndex: Int) -> [String?]
}

/// Temporary adapter (greedy decoding through `SmilesVAE.sample`) until the generation core's
/// decoder lands; replaced by it.
final class GreedyPointDecoder: PointDecoding {
    let model: SmilesVAE
    let vocabulary: Vocabulary

    init(_ trained: TrainedModel) {
        model = trained.model
        vocabulary = trained.vocabulary
    }

    var latentSize: Int { model.config.latent }

    func decodeMolecules(latents: [Float], count: Int, firstIndex: Int) -> [String?] {
        let result = model.sample(latents: latents, count: count, maxSteps: model.config.maxTokens + 1, greedy: true)
        return result.sequences.map { ids in
            guard let smiles = try? vocabulary.decode(ids), !smiles.isEmpty else { return nil }
            return try? Molecule(smiles: smiles).canonicalSMILES
        }
    }
}
