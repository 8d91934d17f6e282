/// FCD during training: N prior samples, drawn as `molvae sample` draws them (temperature 1,
/// syntax mask on), against the validation molecules, so that runs are compared, and the best
/// model kept, by the measure the field reports.
///
/// The validation set's ChemNet statistics are computed once, when the run starts (or
/// resumes); each evaluation then costs the sampling and ChemNet on the valid samples (about
/// 1 s per 1,000 molecules on 2 cores).
public final class FCDEvaluation {
    public let samples: Int
    let network: ChemNet
    let reference: ChemNetStatistics
    /// Nil for a vocabulary the mask cannot describe: then samples are drawn unmasked, as `sample` does.
    let mask: SMILESSyntaxMask?
    public let referenceMolecules: Int

    /// Nil when the validation set has fewer than two valid molecules.
    public init?(samples: Int, network: ChemNet, valid: TrainingData, vocabulary: Vocabulary, threads: Int) {
        let smiles = valid.sequences.map { (try? vocabulary.decode($0)) ?? "" }
        let canonical = MoleculeCanonicaliser.canonical(smiles, threads: threads).compactMap { $0 }
        guard let reference = network.statistics(of: canonical, threads: threads) else { return nil }
        self.samples = samples
        self.network = network
        self.reference = reference
        referenceMolecules = canonical.count
        mask = SMILESSyntaxMask(vocabulary: vocabulary)
    }

    /// FCD of `samples` prior samples (every valid one counted, duplicates kept, as MOSES does);
    /// nil when fewer than two are valid.
    public func measure(model: SmilesVAE, vocabulary: Vocabulary, seed: UInt64, maxSteps: Int, threads: Int) -> Double? {
        let result = model.sampleFromPrior(count: samples, maxSteps: maxSteps, seed: seed ^ 0xFCD0_0000, syntaxMask: mask)
        let smiles = result.sequences.map { (try? vocabulary.decode($0)) ?? "" }
        let valid = MoleculeCanonicaliser.canonical(smiles, threads: threads).compactMap { $0 }
        guard let generated = network.statistics(of: valid, threads: threads) else { return nil }
        let distance = frechetDistance(reference, generated)
        return distance.isFinite ? distance : nil
    }
}

public struct FCDEvaluationError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
