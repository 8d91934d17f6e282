/// Sizes of the SMILES VAE. Defaults are the PyTorch reference (torch_vae_bench.py) except the
/// encoder's reduction over time: the reference flattens 120 padded positions; we pool over
/// each molecule's valid positions (masked mean by default here, what the engine benchmarks
/// compare), so the encoder costs only the real tokens. `molvae train` defaults to `.flatten`
/// (positions up to maxTokens + 1, the dense layer reading only the batch's longest molecule):
/// it keeps the order of the encoder's features, which reconstruction needs (docs/MODEL.md).
public struct VAEConfig: Codable, Sendable, Equatable {
    public var vocabSize: Int
    /// Encoder token vectors; 0 means one-hot (an embedding of vocabSize dims initialised to
    /// the identity, which computes exactly the one-hot input and is cheaper).
    public var encoderEmbedding: Int = 0
    public var convChannels: [Int] = [9, 9, 10]
    public var convKernels: [Int] = [9, 9, 11]
    public var convDilations: [Int] = [1, 1, 1]
    public var convPadding: ConvPadding = .same
    public var pooling: PoolingKind = .mean
    public var dense: Int = 256
    public var latent: Int = 128
    public var decoderEmbedding: Int = 64
    public var hidden: Int = 512
    public var layers: Int = 1
    /// Whether the decoder reads structure features of the string written so far
    /// (`StructureFeatures`); nil (absent from older model files) is false.
    public var structureFeatures: Bool?
    /// Workspace sizing for reserveWorkspaces(): molecules per batch, tokens per molecule
    /// (without <bos>/<eos>).
    public var maxBatch: Int = 256
    public var maxTokens: Int = 120

    public init(vocabSize: Int) { self.vocabSize = vocabSize }

    public var encoderInputDim: Int { encoderEmbedding == 0 ? vocabSize : encoderEmbedding }

    public var hasStructureFeatures: Bool { structureFeatures ?? false }

    public func validate() throws {
        func fail(_ s: String) -> VAEConfigError { VAEConfigError(reason: s) }
        guard vocabSize > TokenID.firstRegularID else { throw fail("vocabSize must exceed the 4 special tokens") }
        guard !convChannels.isEmpty, convChannels.count == convKernels.count, convKernels.count == convDilations.count else {
            throw fail("convChannels, convKernels and convDilations need the same non-zero count")
        }
        guard convChannels.allSatisfy({ $0 > 0 }), convKernels.allSatisfy({ $0 > 0 }), convDilations.allSatisfy({ $0 > 0 }) else {
            throw fail("conv sizes must be positive")
        }
        guard encoderEmbedding >= 0, dense > 0, latent > 0, decoderEmbedding > 0, hidden > 0, layers > 0 else {
            throw fail("layer sizes must be positive")
        }
        guard maxBatch > 0, maxTokens > 0 else { throw fail("maxBatch and maxTokens must be positive") }
    }
}

public struct VAEConfigError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "invalid VAE configuration: \(reason)" }
}

/// Ids of the special tokens, fixed for every model: the same as `Vocabulary`'s defaults
/// (`<pad>` 0, `<bos>` 1, `<eos>` 2, `<unk>` 3), so the engine never needs a vocabulary object.
public enum TokenID {
    public static let pad: Int32 = 0
    public static let bos: Int32 = 1
    public static let eos: Int32 = 2
    public static let unk: Int32 = 3
    public static let firstRegularID = 4
    public static let specials = Vocabulary.specialTokenStrings
}
