/// Running validity, uniqueness and novelty of generated molecules, with the MOSES meanings:
/// validity = valid / samples; uniqueness = distinct valid / valid; novelty = distinct valid
/// molecules absent from the training set / distinct valid. Molecules are compared by RDKit
/// canonical SMILES, the training set's included (GuacaMol's convention).
public struct SampleStatistics: Sendable {
    public private(set) var samples = 0
    public private(set) var valid = 0
    public private(set) var distinct: Set<String> = []
    public private(set) var novelDistinct = 0
    /// Canonical SMILES of the training molecules, when novelty is wanted.
    public let training: Set<String>?

    public init(training: Set<String>? = nil) { self.training = training }

    /// Counts a sample; returns whether it is a valid molecule not seen before in this run.
    @discardableResult
    public mutating func add(_ sample: GeneratedSample) -> Bool {
        samples += 1
        guard let canonical = sample.canonical else { return false }
        valid += 1
        guard distinct.insert(canonical).inserted else { return false }
        if let training, !training.contains(canonical) { novelDistinct += 1 }
        return true
    }

    public var validity: Double { samples > 0 ? Double(valid) / Double(samples) : 0 }
    public var uniqueness: Double { valid > 0 ? Double(distinct.count) / Double(valid) : 0 }
    /// nil without a training set.
    public var novelty: Double? { training == nil ? nil : (distinct.isEmpty ? 0 : Double(novelDistinct) / Double(distinct.count)) }
}

/// How much a sampling run draws.
public enum SamplingGoal: Sendable, Equatable {
    /// Exactly this many samples; every one is reported.
    case samples(Int)
    /// Draw until this many distinct valid molecules exist or `maxSamples` are spent; only the
    /// first occurrence of each distinct valid molecule is reported.
    case distinctValid(Int, maxSamples: Int)
}

extension PriorSampler {
    /// Draws batches of `batchSize` until the goal is met, calling `emit` with every sample to
    /// report (in index order; with `validOnly` invalid ones are skipped) and `progress` after
    /// each batch. The statistics cover every sample drawn up to the one that met the goal, so
    /// they too do not depend on the batch size.
    @discardableResult
    public func run(goal: SamplingGoal, batchSize: Int, validOnly: Bool = false, training: Set<String>? = nil,
                    progress: ((SampleStatistics) -> Void)? = nil,
                    emit: (GeneratedSample) throws -> Void) throws -> SampleStatistics {
        var stats = SampleStatistics(training: training)
        let budget: Int, target: Int?
        switch goal {
        case .samples(let n): (budget, target) = (n, nil)
        case let .distinctValid(n, maxSamples): (budget, target) = (maxSamples, n)
        }
        var drawn = 0
        outer: while drawn < budget {
            if let target, stats.distinct.count >= target { break }
            let batch = samples(first: drawn, count: min(max(1, batchSize), budget - drawn))
            drawn += batch.count
            for sample in batch {
                let new = stats.add(sample)
                if target != nil {
                    if new { try emit(sample) }
                    if let target, stats.distinct.count >= target {
                        progress?(stats)
                        break outer
                    }
                } else if sample.isValid || !validOnly {
                    try emit(sample)
                }
            }
            progress?(stats)
        }
        return stats
    }
}
