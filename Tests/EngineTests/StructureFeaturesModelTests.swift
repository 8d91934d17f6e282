import Foundation
import Testing
@testable import MolVAE

/// The decoder's structure features in the model (`SmilesVAE+StructureFeatures`): their gradient,
/// their start at zero, and that teacher forcing, sampling and step decoding read them alike.
@Suite struct StructureFeaturesModelTests {
    /// ModelTests.sequences read as SMILES tokens: "c1n", "()cc1n", "1", "nn()".
    static let vocabulary = ["<pad>", "<bos>", "<eos>", "<unk>", "c", "1", "n", "(", ")"]
    static let batch = TokenBatch(sequences: ModelTests.sequences)
    static let epsilon = randomValues(4 * 3, seed: 45)

    /// A tiny model with structure features whose gate rows are not zero.
    static func model(seed: UInt64) throws -> SmilesVAE {
        let model = try SmilesVAE(config: ModelTests.tinyConfig(), seed: seed).withStructureFeatures(vocabulary: vocabulary)
        let gates = model.structureGates!
        gates.values = randomValues(gates.count, seed: seed + 100, scale: 0.8)
        return model
    }

    /// The roles come with the configuration that needs them: a model with features cannot be
    /// built without its vocabulary's roles, nor one without features with them, nor with roles
    /// for another vocabulary size.
    @Test func rolesComeExactlyWithTheFeatures() throws {
        var withFeatures = ModelTests.tinyConfig()
        withFeatures.structureFeatures = true
        let roles = StructureFeatures(vocabulary: Self.vocabulary)
        #expect(throws: VAEConfigError.self) { try SmilesVAE(config: withFeatures) }
        #expect(throws: VAEConfigError.self) { try SmilesVAE(config: ModelTests.tinyConfig(), structure: roles) }
        #expect(throws: VAEConfigError.self) {
            try SmilesVAE(config: withFeatures, structure: StructureFeatures(vocabulary: Array(Self.vocabulary.dropLast())))
        }
        let model = try SmilesVAE(config: withFeatures, structure: roles)
        #expect(model.structure?.roles == roles.roles && model.structureGates != nil)
        #expect(try SmilesVAE(config: ModelTests.tinyConfig()).structure == nil)
    }

    @Test func gateRowsHaveTheirGradient() throws {
        let model = try Self.model(seed: 5)
        func loss() -> Double { model.forward(Self.batch, epsilon: .given(Self.epsilon)).recon }
        model.zeroGradients()
        model.forward(Self.batch, epsilon: .given(Self.epsilon))
        model.backward(reconWeight: 1, klWeight: 0)
        let gates = model.structureGates!
        #expect(gates.shape == [StructureFeatures.categoryCount, 15])
        #expect(gates.gradients.contains { $0 != 0 })
        var gc = GradCheck()
        gc.h = 3e-3
        gc.absTolerance = 3e-3
        #expect(gc.check(gates.name, gates.value, analytic: gates.gradients, count: gates.count, samples: 40, loss: loss) == 0)
        let head = model.outputHead.weight
        #expect(gc.check(head.name, head.value, analytic: head.gradients, count: head.count, samples: 10, loss: loss) == 0)
    }

    /// Added at zero, the features change nothing: the same loss and the same samples; once
    /// the rows move, the loss does too.
    @Test func zeroRowsDecodeAsBefore() throws {
        let plain = try SmilesVAE(config: ModelTests.tinyConfig(), seed: 7)
        let featured = try plain.withStructureFeatures(vocabulary: Self.vocabulary)
        #expect(featured.parameters.count == plain.parameters.count + 1)
        let before = plain.forward(Self.batch, epsilon: .given(Self.epsilon)).recon
        #expect(featured.forward(Self.batch, epsilon: .given(Self.epsilon)).recon == before)
        let z = randomValues(20 * 3, seed: 46, scale: 1.5)
        let a = plain.sample(latents: z, count: 20, maxSteps: 12, seed: 3)
        let b = featured.sample(latents: z, count: 20, maxSteps: 12, seed: 3)
        #expect(a.sequences == b.sequences)
        featured.structureGates!.values = randomValues(featured.structureGates!.count, seed: 47, scale: 0.8)
        #expect(featured.forward(Self.batch, epsilon: .given(Self.epsilon)).recon != before)
        #expect(throws: SmilesVAE.StructureFeaturesError.self) { try featured.withStructureFeatures(vocabulary: Self.vocabulary) }
    }

    /// Step decoding (beam search's decoder) gives each sequence the log-likelihood teacher
    /// forcing gives it, and greedy sampling takes the step decoder's best token at every step.
    @Test func decodersReadTheFeaturesAsTrainingDoes() throws {
        let model = try Self.model(seed: 8)
        let z = randomValues(4 * 3, seed: 48)
        let teacher = model.logLikelihoods(of: Self.batch, latents: z)
        for (b, sequence) in ModelTests.sequences.enumerated() {
            let stepper = StepDecoder(model: model, latents: Array(z[(b * 3)..<(b * 3 + 3)]), count: 1)
            var sum = 0.0
            var previous = TokenID.bos
            for token in sequence + [TokenID.eos] {
                sum += Double(stepper.step(inputs: [previous])[Int(token)])
                previous = token
            }
            #expect(abs(sum - teacher[b]) <= 1e-4 * abs(teacher[b]), "sequence \(b): \(sum) against \(teacher[b])")
        }
        let greedy = model.sample(latents: z, count: 4, maxSteps: 10, greedy: true)
        for b in 0..<4 {
            let stepper = StepDecoder(model: model, latents: Array(z[(b * 3)..<(b * 3 + 3)]), count: 1)
            var previous = TokenID.bos, written: [Int32] = []
            for _ in 0..<10 {
                let logp = stepper.step(inputs: [previous])
                previous = Int32(logp.indices.max { logp[$0] < logp[$1] }!)
                if previous == TokenID.eos { break }
                written.append(previous)
            }
            #expect(greedy.sequences[b] == written, "row \(b)")
        }
    }

    /// Saved and loaded: the configuration says so, the roles come back from the vocabulary,
    /// and the loss is the same; a model without the features writes no such key.
    @Test func roundTripsThroughTheModelFile() throws {
        let model = try Self.model(seed: 9)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("structure-\(UUID().uuidString).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path, vocabulary: Self.vocabulary)
        let loaded = try SmilesVAE.load(from: path).model
        #expect(loaded.config.hasStructureFeatures)
        #expect(loaded.structure?.roles == model.structure?.roles)
        #expect(loaded.forward(Self.batch, epsilon: .given(Self.epsilon)).recon
                == model.forward(Self.batch, epsilon: .given(Self.epsilon)).recon)
        let plain = try SmilesVAE(config: ModelTests.tinyConfig(), seed: 9)
        try plain.save(to: path, vocabulary: Self.vocabulary)
        let meta = try SafeTensors.read(from: path).metadata[SmilesVAE.configKey] ?? ""
        #expect(!meta.contains("structure"))
        #expect(try SmilesVAE.load(from: path).model.structure == nil)
    }

    /// Widening and deepening keep the features (widening exactly, as for the rest).
    @Test func widenedAndDeepenedModelsKeepTheFeatures() throws {
        let model = try Self.model(seed: 10)
        let before = model.forward(Self.batch, epsilon: .given(Self.epsilon)).recon
        let wide = try model.widened(hidden: 8, seed: 1)
        #expect(wide.structureGates?.shape == [StructureFeatures.categoryCount, 24])
        #expect(wide.structure != nil)
        #expect(abs(wide.forward(Self.batch, epsilon: .given(Self.epsilon)).recon - before) <= 1e-5 * abs(before))
        let deep = try model.deepened()
        #expect(deep.structure != nil)
        #expect(abs(deep.forward(Self.batch, epsilon: .given(Self.epsilon)).recon - before) <= 5e-3 * abs(before))
    }
}
