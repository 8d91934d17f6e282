/// FCD during training: N prior samples, drawn as `molvae sample` draws them (temperature 1,
/// syntax mask on), against the validation molecules, so that runs are compared, and the best
/// model kept, by the measure the field reports.
///
/// The validation set's ChemNet statistics are computed once, when the run starts (or
/// resumes); each evaluation then costs the sampling and ChemNet on the valid samples (about
/// 1 s per 1,000 molecules on 2 cores).
///
/// Under mpirun (`group`) both are shared: the validation molecules are canonicalised in
/// interleaved shares and ChemNet runs a share of the chunks on each rank; the prior samples are
/// drawn in contiguous blocks (sample i depends only on the seed and i, as in `molvae sample`).
/// Rank 0 gathers the features in the single-process order, so its statistics are a single
/// process's bit for bit, computes the distance and sends it to every rank.
public final class FCDEvaluation {
    public let samples: Int
    let network: ChemNet
    /// Rank 0's (nil on the other ranks of an mpirun job, which only help compute it).
    let reference: ChemNetStatistics?
    /// Nil for a vocabulary the mask cannot describe: then samples are drawn unmasked, as `sample` does.
    let mask: SMILESSyntaxMask?
    public let referenceMolecules: Int
    let group: ProcessGroup

    /// Nil when the validation set has fewer than two valid molecules.
    public init?(samples: Int, network: ChemNet, valid: TrainingData, vocabulary: Vocabulary, threads: Int,
                 group: ProcessGroup = .single) {
        let smiles = valid.sequences.map { (try? vocabulary.decode($0)) ?? "" }
        let canonical = MoleculeCanonicaliser.canonical(smiles, threads: threads, group: group).compactMap { $0 }
        // Statistics need two molecules; every rank knows the count.
        guard canonical.count >= 2 else { return nil }
        self.reference = network.statistics(of: canonical, threads: threads, group: group)?.all
        self.samples = samples
        self.network = network
        self.group = group
        referenceMolecules = canonical.count
        mask = SMILESSyntaxMask(vocabulary: vocabulary)
    }

    /// FCD of `samples` prior samples (every valid one counted, duplicates kept, as MOSES does);
    /// nil when fewer than two are valid. The same value on every rank.
    public func measure(model: SmilesVAE, vocabulary: Vocabulary, seed: UInt64, maxSteps: Int, threads: Int) -> Double? {
        // Each rank draws and canonicalises a contiguous block of the samples.
        let share = group.contiguousShare(of: samples)
        var canonical: [String?] = []
        if !share.isEmpty {
            let result = model.sampleFromPrior(count: share.count, maxSteps: maxSteps, seed: seed ^ 0xFCD0_0000, syntaxMask: mask,
                                               firstRow: share.lowerBound)
            let smiles = result.sequences.map { (try? vocabulary.decode($0)) ?? "" }
            canonical = MoleculeCanonicaliser.canonical(smiles, threads: threads)
        }
        let valid = group.allGatherBlocks(canonical).compactMap { $0 }
        let generated = network.statistics(of: valid, threads: threads, group: group)?.all
        // Rank 0 alone holds both statistics; every rank gets its distance (NaN: undefined).
        var distance = [Double.nan]
        if group.isRoot, let reference, let generated { distance = [frechetDistance(reference, generated)] }
        distance = group.broadcast(distance)
        return distance[0].isFinite ? distance[0] : nil
    }
}

public struct FCDEvaluationError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
