import Foundation
import Testing
@testable import MolVAE

/// ChemNet against fcd_torch 1.0.7: Fixtures/chemnet comes from scripts/make-fcd-fixture, which
/// runs fcd_torch's own `FCD.get_predictions` on molecules.smi.
@Suite struct ChemNetTests {
    static let folder = Bundle.module.url(forResource: "Fixtures/chemnet", withExtension: nil)!
    static let network = Result { try ChemNet.bundled() }

    static func fixtureMolecules() throws -> [String] {
        try String(contentsOf: folder.appendingPathComponent("molecules.smi"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    static func canonical(_ smiles: [String]) throws -> [String] {
        try smiles.map { try Molecule(smiles: $0).canonicalSMILES }
    }

    static let blasNetwork = Result { try ChemNet.bundled(kernel: .blas) }

    /// Both product kernels: the packed AVX-512 one (`.auto` on this CPU) and OpenBLAS, the path
    /// of CPUs without AVX-512.
    @Test(arguments: [ProductKernel.auto, .blas])
    func activationsEqualFcdTorch(_ kernel: ProductKernel) throws {
        let chemnet = try (kernel == .blas ? Self.blasNetwork : Self.network).get()
        let molecules = try Self.fixtureMolecules()
        let expected = try SafeTensors.read(from: Self.folder.appendingPathComponent("activations.safetensors").path).tensor("activations")
        #expect(expected.shape == [molecules.count, 512])
        #expect(molecules.count >= 100)
        let ours = chemnet.activations(try Self.canonical(molecules), threads: 2)
        var worst = (difference: Float(0), molecule: 0)
        for i in 0..<ours.count where abs(ours[i] - expected.values[i]) > worst.difference {
            worst = (abs(ours[i] - expected.values[i]), i / 512)
        }
        #expect(worst.difference <= 1e-4, "largest difference \(worst.difference) on \(molecules[worst.molecule])")
    }

    /// The shared zero tail is an exact shortcut: the plain network over all 88 positions (both
    /// LSTMs run step by step on the zero-padded sequence) gives the same features.
    @Test func sharedTailEqualsThePlainNetwork() throws {
        let chemnet = try Self.network.get()
        let molecules = try Self.canonical(["CCO", "c1ccccc1Cl", "CC(=O)Nc1ccc(O)cc1", String(repeating: "C", count: 400),
                                            "O=C(O)c1ccccc1OC(C)=O"])
        let fast = chemnet.activations(molecules, threads: 1)
        for (m, smiles) in molecules.enumerated() {
            let plain = plainFeatures(chemnet, smiles)
            let difference = zip(plain, fast[(m * 512)..<((m + 1) * 512)]).map { abs($0 - $1) }.max()!
            #expect(difference <= 1e-5, "\(smiles): \(difference)")
        }
    }

    /// Results do not depend on the thread count; the molecules that share a chunk change a
    /// feature only by rounding on the OpenBLAS path (products of another row count), not at all
    /// on the packed kernel.
    @Test func featuresDoNotDependOnThreadsOrCompany() throws {
        let chemnet = try Self.network.get()
        let molecules = try Self.canonical(Array(Self.fixtureMolecules().prefix(300)))
        let one = chemnet.activations(molecules, threads: 1)
        let two = chemnet.activations(molecules, threads: 2)
        #expect(one == two)
        let alone = chemnet.activations([molecules[7]], threads: 1)
        let together = Array(one[(7 * 512)..<(8 * 512)])
        #expect(zip(alone, together).map { abs($0 - $1) }.max()! <= 1e-5)
        // The packed kernel computes each row of a product the same way whatever the other rows:
        // there, company changes nothing at all.
        if chemnet.lstm2.usesPackedKernel { #expect(alone == together) }
    }

    /// The fused LSTM step (the second LSTM's default on the packed kernel) gives the same bits as
    /// the unfused step, on the fixture's molecules: a chunk with long and short molecules, so
    /// rows that read their own input halves and the shared tail's.
    @Test(.enabled(if: ProductKernel.packedAvailable, "the CPU has no AVX-512 (or MOLVAE_PORTABLE_KERNELS=1)"))
    func fusedStepsGiveTheSameFeatures() throws {
        let fused = try Self.network.get(), unfused = try ChemNet.bundled(fusedSteps: false)
        #expect(fused.lstm1.usesFusedStep && fused.lstm2.usesFusedStep && !unfused.lstm1.usesFusedStep && !unfused.lstm2.usesFusedStep)
        let molecules = try Self.canonical(Self.fixtureMolecules())
        let a = fused.activations(molecules, threads: 2), b = unfused.activations(molecules, threads: 2)
        let difference = zip(a, b).map { abs($0 - $1) }.max()!
        #expect(a == b, "largest difference \(difference)")
    }

    @Test func inputFollowsFcdTorchGetOneHot() {
        let index = { (s: String) in ChemNetInput.alphabet.firstIndex(of: s).map(UInt8.init)! }
        #expect(ChemNetInput.symbols("CCl") == [index("C"), index("Cl"), index(".")])
        #expect(ChemNetInput.symbols("BrC[Si]") == [index("Br"), index("C"), index("["), index("Si"), index("]"), index(".")])
        // "Li" and "Ti" are read as one unknown symbol; "Na" as "N" then an unknown "a".
        #expect(ChemNetInput.symbols("[Li]") == [index("["), index("X"), index("]"), index(".")])
        #expect(ChemNetInput.symbols("[Na+]") == [index("["), index("N"), index("X"), index("+"), index("]"), index(".")])
        // Ring closure 9, "%", "/" and "\" are outside the alphabet.
        #expect(ChemNetInput.symbols("C9/%\\") == [index("C"), index("X"), index("X"), index("X"), index("X"), index(".")])
        // Only the first fragment is read.
        #expect(ChemNetInput.symbols("CC(=O)[O-].[Na+]").count == 11)
        // At most 349 symbols and the end symbol.
        let long = ChemNetInput.symbols(String(repeating: "C", count: 500))
        #expect(long.count == 350 && long.last == index(".") && long.dropLast().allSatisfy { $0 == index("C") })
        #expect(ChemNetInput.symbols(String(repeating: "C", count: 349)).count == 350)
        #expect(ChemNetInput.symbols(String(repeating: "C", count: 348)).count == 349)
        #expect(ChemNetInput.symbols("") == [index(".")])
    }

    @Test func unusableWeightFilesAreRefusedNamingTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chemnet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try Data(contentsOf: URL(fileURLWithPath: try DataFiles.path(of: ChemNet.bundledFileName)))
        var file = try SafeTensors.decode(good)
        file.tensors["lstm2.bias_hh"]!.values[3] = .nan
        var foreign = SafeTensors()
        foreign.add("encoder.weight", shape: [2, 2], values: [1, 2, 3, 4])
        var reshaped = try SafeTensors.decode(good)
        reshaped.tensors["conv1.weight"] = NamedTensor(shape: [32, 35, 2], values: Array(reshaped.tensors["conv1.weight"]!.values.prefix(2240)))
        let cases: [(name: String, data: Data?, message: String)] = [
            ("missing.safetensors", nil, "cannot read"),
            ("truncated.safetensors", good.prefix(good.count / 2), "truncated"),
            ("empty.safetensors", Data(), "truncated"),
            ("foreign.safetensors", try foreign.encoded(), "not a ChemNet weights file"),
            ("nan.safetensors", try file.encoded(), "lstm2.bias_hh holds a non-finite value"),
            ("shape.safetensors", try reshaped.encoded(), "conv1.weight has shape [32, 35, 2]"),
        ]
        for (name, data, message) in cases {
            let path = folder.appendingPathComponent(name).path
            if let data { try data.write(to: URL(fileURLWithPath: path)) }
            do {
                _ = try ChemNet(contentsOf: path)
                Issue.record("\(name) loaded")
            } catch {
                let text = "\(error)"
                #expect(text.contains(path) && text.contains(message), "\(name): \(text)")
            }
        }
    }
}

/// ChemNet by its plain definition for one molecule: both LSTMs over all 88 positions.
func plainFeatures(_ net: ChemNet, _ smiles: String) -> [Float] {
    let symbols = ChemNetInput.symbols(smiles)
    let x = symbols.flatMap { s in (0..<35).map { $0 == Int(s) ? ChemNetInput.scale : 0 } }
    let l0 = RaggedLayout(lengths: [symbols.count]), l1 = RaggedLayout(), l2 = RaggedLayout()
    let o1 = FloatBuffer(), o2 = FloatBuffer(), scratch = FloatBuffer(), product = FloatBuffer()
    net.conv1.forward(x, layout: l0, nominalLength: 350, output: o1, outputLayout: l1, columns: scratch, scratch: product)
    Activation.selu.forward(o1.pointer, o1.pointer, count: l1.total * 32)
    net.conv2.forward(o1.pointer, layout: l1, nominalLength: 175, output: o2, outputLayout: l2, columns: scratch, scratch: product)
    Activation.selu.forward(o2.pointer, o2.pointer, count: l2.total * 32)
    var positions = o2.toArray(l2.total * 32)
    positions += [Float](repeating: 0, count: (88 - l2.total) * 32)
    let reversed = (0..<88).reversed().flatMap { positions[($0 * 32)..<(($0 + 1) * 32)] }
    let out1 = net.lstm1.run(reversed, steps: 88)
    let back = (0..<88).reversed().flatMap { out1[($0 * 128)..<(($0 + 1) * 128)] }
    let out2 = net.lstm2.run(back, steps: 88)
    return Array(out2[(87 * 512)...])
}
