import Foundation

/// One input molecule placed in the latent space: what was given, what the model saw, and q(z | x).
public struct EncodedMolecule: Sendable, Equatable {
    public let molecule: PreparedMolecule
    public let latent: LatentGaussian
}

/// Encodes SMILES into a model's latent space, with a reason for every molecule that cannot be.
///
/// RDKit work (parse, canonicalise) runs on `EngineThreads.count` workers; the encoder runs in
/// chunks of `chunkSize` molecules (bounded memory, and the conv encoder's workspaces stay small).
/// The result for a molecule never depends on the chunk size or the thread count: the encoder
/// treats molecules independently, and sampled points draw from the molecule's own stream.
public final class LatentEncoder {
    public let model: SmilesVAE
    public let vocabulary: Vocabulary
    /// Molecules per encoder call.
    public var chunkSize: Int

    public init(model: SmilesVAE, vocabulary: Vocabulary, chunkSize: Int = 256) {
        precondition(vocabulary.count == model.config.vocabSize, "the vocabulary does not belong to this model")
        self.model = model
        self.vocabulary = vocabulary
        self.chunkSize = max(1, chunkSize)
    }

    public convenience init(_ trained: TrainedModel, chunkSize: Int = 256) {
        self.init(model: trained.model, vocabulary: trained.vocabulary, chunkSize: chunkSize)
    }

    /// The most tokens an input may have: what the model was trained with.
    public var maxTokens: Int { model.config.maxTokens }

    /// Canonicalises, tokenises and checks every input in parallel; results in input order.
    public func prepare(_ smiles: [String]) -> [Result<PreparedMolecule, EncodingFailure>] {
        var out = [Result<PreparedMolecule, EncodingFailure>?](repeating: nil, count: smiles.count)
        let vocabulary = self.vocabulary, maxTokens = self.maxTokens
        out.withUnsafeMutableBufferPointer { buffer in
            let box = UncheckedSendable(buffer)
            parallelChunks(count: smiles.count, threads: EngineThreads.count, maxChunk: 64) { range in
                for i in range { box.value[i] = PreparedMolecule.prepare(smiles[i], vocabulary: vocabulary, maxTokens: maxTokens) }
            }
        }
        return out.map { $0! }
    }

    /// q(z | x) of prepared molecules, in order.
    public func encode(prepared: [PreparedMolecule]) -> [LatentGaussian] {
        let lat = model.config.latent
        var result: [LatentGaussian] = []
        result.reserveCapacity(prepared.count)
        var start = 0
        while start < prepared.count {
            let end = min(prepared.count, start + chunkSize)
            let (mu, logvar) = model.encode(TokenBatch(sequences: prepared[start..<end].map(\.tokens)))
            for i in 0..<(end - start) {
                result.append(LatentGaussian(mu: Array(mu[(i * lat)..<((i + 1) * lat)]),
                                             logvar: Array(logvar[(i * lat)..<((i + 1) * lat)])))
            }
            start = end
        }
        return result
    }

    /// Every input's outcome, in input order: its latent Gaussian or why it has none.
    public func encode(_ smiles: [String]) -> [Result<EncodedMolecule, EncodingFailure>] {
        let prepared = prepare(smiles)
        let usable = prepared.compactMap { try? $0.get() }
        var latents = encode(prepared: usable).makeIterator()
        return prepared.map { outcome in
            outcome.map { EncodedMolecule(molecule: $0, latent: latents.next()!) }
        }
    }
}
