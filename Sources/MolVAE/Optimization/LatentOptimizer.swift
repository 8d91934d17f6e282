import Foundation

/// Runs one search method for one start molecule (or none) against a trained model: builds the
/// oracle (decoder, RDKit scoring, budget, similarity constraint) and hands it to the method.
///
/// A search is deterministic for (settings.seed, start index): every random draw comes from a
/// counter stream named by the seed, the index and what it is for, and decoding does not depend
/// on the thread count. An optimizer owns its model's workspaces: use one per thread.
public final class LatentOptimizer {
    public let model: TrainedModel
    public let settings: SearchSettings
    public let references: ReferenceTargets?
    /// RDKit workers for scoring each batch of decoded molecules.
    public var scoringThreads = 1
    /// How each latent point becomes a molecule (greedy by default).
    public let strategy: DecodingStrategy
    let decoder: LatentDecoder
    let surrogate: HeadSurrogate?

    /// Checks that the method can run with this model: gradient ascent needs a property head
    /// that predicts part of the objective, interpolation needs reference targets.
    public init(model: TrainedModel, settings: SearchSettings, references: ReferenceTargets? = nil,
                strategy: DecodingStrategy = .greedy) throws(OptimizationError) {
        if let problem = settings.validationError() { throw OptimizationError(problem) }
        self.model = model
        self.settings = settings
        self.references = references
        self.strategy = strategy
        decoder = LatentDecoder(model, masks: settings.masks)
        switch settings.method {
        case .gradient:
            guard model.propertyHead != nil, let standardisation = model.standardisation else {
                throw OptimizationError("\(model.path) has no property head (it was trained with --property-weight 0), and "
                                        + "gradient ascent climbs the head's prediction; use --method cmaes, bo or interpolate")
            }
            surrogate = try settings.objective.headSurrogate(for: standardisation)
        case .interpolate:
            guard references != nil else {
                throw OptimizationError("interpolation needs reference molecules to aim at (--reference FILE)")
            }
            surrogate = nil
        case .cmaes, .bo:
            surrogate = nil
        }
    }

    /// The seed of the search for start number `index`.
    public func seed(forStart index: Int) -> UInt64 {
        CounterRNG.hash(seed: settings.seed, stream: 0x5354_4152, counter: UInt64(index))
    }

    /// Searches from `start` (nil: from the prior; not for interpolation). `onBatch` is called
    /// after every batch of oracle calls.
    public func search(start: StartMolecule?, index: Int = 0,
                       onBatch: ((MoleculeOracle) -> Void)? = nil) throws(OptimizationError) -> SearchResult {
        let constraint: SimilarityConstraint?
        if let start {
            guard let molecule = try? Molecule(smiles: start.canonical),
                  let reference = try? SimilarityReference(molecule: molecule, measure: settings.similarity) else {
                throw OptimizationError("\(start.source): cannot fingerprint the start molecule \(start.canonical)")
            }
            constraint = SimilarityConstraint(reference: reference, minimum: settings.minSimilarity ?? 0)
        } else {
            if settings.method == .interpolate {
                throw OptimizationError("interpolation searches from a start molecule: give --from SMILES or --input FILE")
            }
            if settings.minSimilarity != nil {
                throw OptimizationError("--min-similarity needs a start molecule to compare with: give --from SMILES or --input FILE")
            }
            constraint = nil
        }
        let seed = seed(forStart: index)
        let oracle = MoleculeOracle(objective: settings.objective, budget: settings.budget, decoder: decoder, strategy: strategy,
                                    decodingSeed: seed, constraint: constraint, threads: scoringThreads)
        oracle.onBatch = onBatch
        let context = SearchContext(oracle: oracle, start: start, settings: settings, seed: seed, latent: oracle.latentSize)
        switch settings.method {
        case .gradient: GradientAscentSearch.run(context, head: model.propertyHead!, surrogate: surrogate!)
        case .cmaes: CMAESSearch.run(context)
        case .bo: BayesianOptimizationSearch.run(context)
        case .interpolate: InterpolationSearch.run(context, references: references!)
        }
        return SearchResult(method: settings.method, start: start, startScore: start.map { settings.objective.score($0.properties) },
                            molecules: oracle.found, oracleCalls: oracle.calls, validCalls: oracle.validCalls,
                            distinctMolecules: oracle.distinctMolecules)
    }
}
