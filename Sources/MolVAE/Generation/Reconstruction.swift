/// How well the model gives back one input molecule.
public struct MoleculeReconstruction: Sendable, Equatable {
    public let molecule: PreparedMolecule
    /// Stochastic decodings (of stochastic encodings) whose canonical SMILES is the input's.
    public let stochasticMatches: Int
    public let stochasticDecodings: Int
    /// Whether greedy decoding of mu gives the input back.
    public let greedyMatch: Bool
    /// Whether beam search from mu gives the input back; nil when no beam was asked for.
    public let beamMatch: Bool?

    public var stochasticAccuracy: Double {
        stochasticDecodings > 0 ? Double(stochasticMatches) / Double(stochasticDecodings) : 0
    }
}

/// The reconstruction protocol of Gómez-Bombarelli et al. (2018) and JT-VAE (Jin et al. 2018):
/// each molecule is encoded `encodes` times stochastically (z = mu + sigma·eps), each point is
/// decoded `decodes` times at `temperature` (1: the model's own distribution), and the accuracy
/// is the fraction of those decodings whose RDKit canonical SMILES equals the input's. Alongside:
/// whether greedy decoding of mu, and beam search of `beamWidth` from mu, give the input back.
///
/// Molecule i (its index in the run) draws encoding e from stream (i, e) and decoding d of it
/// from the decoder stream ((i·encodes + e)·decodes + d): results do not depend on batching
/// or threads.
public struct ReconstructionProtocol: Sendable, Equatable {
    public var encodes = 10
    public var decodes = 10
    public var temperature: Float = 1
    public var beamWidth: Int?
    public var seed: UInt64 = 0

    public init(encodes: Int = 10, decodes: Int = 10, temperature: Float = 1, beamWidth: Int? = nil, seed: UInt64 = 0) {
        self.encodes = encodes
        self.decodes = decodes
        self.temperature = temperature
        self.beamWidth = beamWidth
        self.seed = seed
    }

    /// Runs the protocol on encoded molecules; `firstIndex` is the run index of the first.
    public func run(_ molecules: [EncodedMolecule], decoder: LatentDecoder, firstIndex: Int = 0) -> [MoleculeReconstruction] {
        precondition(encodes >= 1 && decodes >= 1, "encodes and decodes must be at least 1")
        guard !molecules.isEmpty else { return [] }
        let n = molecules.count
        var points: [Float] = []
        points.reserveCapacity(n * encodes * decoder.model.config.latent)
        for (i, m) in molecules.enumerated() {
            for e in 0..<encodes { points += m.latent.sample(seed: seed, index: firstIndex + i, draw: e) }
        }
        let stochastic = decoder.decodings(latents: points, count: n * encodes, tries: decodes, temperature: temperature,
                                           topK: nil, seed: seed, firstIndex: firstIndex * encodes)
        let canonical = MoleculeCanonicaliser.canonical(stochastic.raw)
        let means = molecules.flatMap(\.latent.mu)
        let greedy = decoder.decode(latents: means, count: n, strategy: .greedy)
        let beam = beamWidth.map { decoder.decode(latents: means, count: n, strategy: .beam(width: $0)) }
        let perMolecule = encodes * decodes
        return molecules.enumerated().map { i, m in
            let target = m.molecule.canonical
            let matches = canonical[(i * perMolecule)..<((i + 1) * perMolecule)].filter { $0 == target }.count
            return MoleculeReconstruction(molecule: m.molecule, stochasticMatches: matches, stochasticDecodings: perMolecule,
                                          greedyMatch: greedy[i].canonical == target, beamMatch: beam.map { $0[i].canonical == target })
        }
    }
}

/// The protocol's numbers over a set of molecules.
public struct ReconstructionSummary: Sendable, Equatable, Codable {
    public var molecules = 0
    /// Inputs that could not be encoded (not part of the accuracies).
    public var failures = 0
    public var encodes: Int
    public var decodes: Int
    public var temperature: Float
    public var beamWidth: Int?
    public var seed: UInt64
    /// Mean over molecules of the per-molecule stochastic accuracy (every molecule has the same
    /// number of decodings, so this is also the pooled fraction).
    public var stochasticAccuracy = 0.0
    public var greedyAccuracy = 0.0
    public var beamAccuracy: Double?

    private var stochasticSum = 0.0, greedyCount = 0, beamCount = 0

    public init(protocol p: ReconstructionProtocol) {
        encodes = p.encodes
        decodes = p.decodes
        temperature = p.temperature
        beamWidth = p.beamWidth
        seed = p.seed
    }

    public mutating func add(_ r: MoleculeReconstruction) {
        molecules += 1
        stochasticSum += r.stochasticAccuracy
        if r.greedyMatch { greedyCount += 1 }
        if r.beamMatch == true { beamCount += 1 }
        stochasticAccuracy = stochasticSum / Double(molecules)
        greedyAccuracy = Double(greedyCount) / Double(molecules)
        if beamWidth != nil { beamAccuracy = Double(beamCount) / Double(molecules) }
    }

    public mutating func addFailure() { failures += 1 }

    enum CodingKeys: String, CodingKey {
        case molecules, failures, encodes, decodes, temperature, seed
        case beamWidth = "beam_width"
        case stochasticAccuracy = "stochastic_accuracy"
        case greedyAccuracy = "greedy_accuracy"
        case beamAccuracy = "beam_accuracy"
    }
}
