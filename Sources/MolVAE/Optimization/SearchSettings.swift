/// A way of searching the latent space.
public enum SearchMethod: String, CaseIterable, Sendable {
    /// Gradient ascent on the property head's prediction, decoding along the path.
    case gradient
    /// CMA-ES with RDKit as the oracle.
    case cmaes
    /// Gaussian-process Bayesian optimisation with expected improvement.
    case bo
    /// Paths from the start toward the best molecules found and high-scoring reference molecules.
    case interpolate
}

/// Everything that shapes one search except the start molecule.
public struct SearchSettings: Sendable {
    public var objective: Objective
    public var method: SearchMethod
    /// Oracle calls per start molecule (one call: one latent point decoded and judged by RDKit).
    public var budget = 500
    public var seed: UInt64 = 0
    /// Decoded molecules less similar than this to the start are never reported; nil: no
    /// constraint (similarity is still computed and reported when there is a start).
    public var minSimilarity: Double?
    public var similarity: SimilarityMeasure = .counts
    /// How many points to decode per oracle batch at most (bounds memory; results do not depend
    /// on it: a point's decoding depends only on the point and its call number).
    public var decodeBatch = 256
    /// The rules decoding applies (syntax mask, valence, canonical form).
    public var masks = DecodingMasks()

    /// Gradient ascent: latent distance moved per iteration along the normalised gradient.
    public var stepSize = 0.25
    /// Gradient ascent: points per path (the budget buys budget / iterations paths).
    public var iterations = 50

    /// CMA-ES: initial step size (nil: 0.5 around a start, 1 from the prior).
    public var sigma: Double?
    /// CMA-ES: points per generation (nil: 4 + 3 ln(latent)).
    public var population: Int?

    /// BO: random points before the first GP fit.
    public var initialPoints = 20
    /// BO: points proposed per GP fit.
    public var batch = 10
    /// BO: candidates scored by expected improvement per proposal round.
    public var candidates = 1000
    /// BO: the most points the GP keeps (the best half and the most recent half).
    public var gpPoints = 2000
    /// BO: radius (latent units per dimension) of the region explored around a start.
    public var radius = 1.0

    /// Interpolation: points decoded per path (excluding the start).
    public var pathPoints = 10

    /// Weight of the similarity shortfall in the fitness CMA-ES and BO optimise:
    /// score − penalty · max(0, minimum − similarity). Such molecules are never reported.
    public var similarityPenalty = 20.0

    public init(objective: Objective, method: SearchMethod) {
        self.objective = objective
        self.method = method
    }

    /// The first problem with these settings, phrased for the command line.
    public func validationError() -> String? {
        if budget < 1 { return "--budget must be at least 1" }
        if let d = minSimilarity, !(0...1).contains(d) { return "--min-similarity must be between 0 and 1 (got \(d))" }
        if !(stepSize > 0) || !stepSize.isFinite { return "--step-size must be a positive number" }
        if iterations < 1 { return "--iterations must be at least 1" }
        if let s = sigma, !(s > 0) || !s.isFinite { return "--sigma must be a positive number" }
        if let p = population, p < 2 { return "--population must be at least 2" }
        if initialPoints < 1 || batch < 1 || candidates < 1 { return "--initial-points, --batch and --candidates must be at least 1" }
        if gpPoints < 10 { return "--gp-points must be at least 10" }
        if !(radius > 0) || !radius.isFinite { return "--radius must be a positive number" }
        if pathPoints < 1 { return "--path-points must be at least 1" }
        if decodeBatch < 1 { return "the decode batch must be at least 1" }
        return nil
    }
}
