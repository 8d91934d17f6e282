import Foundation
import Testing
@testable import MolVAE

/// `train --eval-fcd`: the FCD of prior samples against the validation molecules.
@Suite struct FCDEvaluationTests {
    /// The shipped model, whose prior samples are mostly valid.
    static func shippedModel() throws -> (SmilesVAE, Vocabulary) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (model, tokens, _) = try SmilesVAE.load(from: root.appendingPathComponent("Models/default.safetensors").path)
        return (model, try Vocabulary(tokens: tokens))
    }

    /// The measure is the FCD of exactly the molecules `sampleFromPrior` draws (syntax mask on,
    /// every valid one counted) against the validation set's canonical molecules.
    @Test func measureIsTheFCDOfThePriorSamples() throws {
        let (model, vocabulary) = try Self.shippedModel()
        let smiles = try String(contentsOfFile: Fixtures.smiles, encoding: .utf8).split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        let valid = TrainingData(sequences: try smiles.map { try vocabulary.encodeFramed($0) })
        let network = try ChemNet.bundled()
        let evaluation = try #require(FCDEvaluation(samples: 300, network: network, valid: valid, vocabulary: vocabulary, threads: 2))
        #expect(evaluation.referenceMolecules == smiles.count)
        let fcd = try #require(evaluation.measure(model: model, vocabulary: vocabulary, seed: 7, maxSteps: 121, threads: 2))

        // By hand: the same draws, decoded and canonicalised, through ChemNet.
        let drawn = model.sampleFromPrior(count: 300, maxSteps: 121, seed: 7 ^ 0xFCD0_0000, syntaxMask: SMILESSyntaxMask(vocabulary: vocabulary))
        let generated = drawn.sequences.compactMap { try? Molecule(smiles: vocabulary.decode($0)).canonicalSMILES }
        let reference = try smiles.map { try Molecule(smiles: $0).canonicalSMILES }
        let expected = frechetDistance(network.statistics(of: reference, threads: 1)!, network.statistics(of: generated, threads: 1)!)
        #expect(generated.count > 250)
        #expect(abs(fcd - expected) <= 1e-6 * expected)
        // Deterministic per seed, different for another seed.
        #expect(evaluation.measure(model: model, vocabulary: vocabulary, seed: 7, maxSteps: 121, threads: 1) == fcd)
        #expect(evaluation.measure(model: model, vocabulary: vocabulary, seed: 8, maxSteps: 121, threads: 2) != fcd)
    }

    /// A run with --eval-fcd records the value in metrics.jsonl and the last CSV column; with
    /// --best-by fcd the state keeps the lowest FCD.
    @Test func trainerRecordsFCDAndKeepsTheBestByIt() throws {
        let (vocabulary, data) = try Fixtures.data()
        var options = TrainingOptions()
        options.batchSize = 16
        options.maxSteps = 4
        options.evaluateEvery = 2
        options.priorSamples = 8
        options.maxSampleSteps = 40
        options.fcdSamples = 64
        options.bestByFCD = true
        let directory = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let trainer = try Trainer(model: SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 1), vocabulary: vocabulary,
                                  train: Fixtures.subset(data, 0..<48), valid: Fixtures.subset(data, 48..<60), options: options, directory: directory)
        _ = try trainer.run()
        let csv = try String(contentsOfFile: directory + "/metrics.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv[0].hasSuffix(",fcd"))
        let rows = try String(contentsOfFile: directory + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(EvaluationMetrics.self, from: Data($0.utf8)) }
        #expect(rows.count >= 2)
        // An untrained tiny model rarely draws two valid molecules: FCD is then absent, never NaN.
        for (row, line) in zip(rows, csv.dropFirst()) {
            if let fcd = row.fcd { #expect(fcd.isFinite && fcd > 0 && line.hasSuffix(String(format: "%.6g", fcd))) }
            else { #expect(line.hasSuffix(",")) }
        }
        let defined = rows.compactMap(\.fcd)
        #expect(trainer.state.bestFCD == defined.min())
    }
}
