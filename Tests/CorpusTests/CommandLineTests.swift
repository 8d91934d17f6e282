import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// What a user sees from the `molvae` executable itself (issue 18, parts 3 and 6): exit codes
/// and messages of refused command lines. Runs the binary swift test builds beside the tests.
@Suite struct CommandLineTests {
    struct Outcome {
        let status: Int32
        let output: String
        let error: String
    }

    func molvae(_ arguments: [String], input: String? = nil) throws -> Outcome {
        try #require(FileManager.default.isExecutableFile(atPath: OutputSafetyTests.executable), "build molvae first")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: OutputSafetyTests.executable)
        process.arguments = arguments
        // Output goes to files, not pipes: reading one pipe to its end while the child fills
        // the other one's 64 KB buffer deadlocks both (it did under AddressSanitizer, whose
        // leak report on standard error is long).
        let folder = try TestPaths.temporaryFolder()
        let outURL = URL(fileURLWithPath: folder).appendingPathComponent("stdout")
        let errURL = URL(fileURLWithPath: folder).appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        let stdin = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        // FileBytes: Foundation leaks its read buffer on an empty file (LeakSanitizer).
        return Outcome(status: process.terminationStatus, output: String(decoding: try FileBytes.read(outURL.path), as: UTF8.self),
                       error: String(decoding: try FileBytes.read(errURL.path), as: UTF8.self))
    }

    @Test func versionIsPrinted() throws {
        let result = try molvae(["--version"])
        #expect(result.status == 0)
        #expect(result.output == "molvae \(MolVAEVersion.current)\n")
    }

    /// `--n -5` used to say "Missing value for '--n <n>'".
    @Test(arguments: [(["sample", "--n", "-5"], "--n must be at least 1"),
                      (["props", "--threads", "-2", "/dev/null"], "--threads must be at least 1"),
                      (["latent-map", "--input", "x.smi", "--out", "m.svg", "--n", "-1"], "--n must be at least 2"),
                      (["interpolate", "--from", "C", "--to", "CC", "--steps", "-3"], "--steps must be between 2 and 1000"),
                      (["sample", "--temperature", "-0.5"], "--temperature must be a positive number")])
    func negativeNumbersReachTheirChecks(arguments: [String], message: String) throws {
        let result = try molvae(arguments)
        #expect(result.status == 64)
        #expect(result.error.contains(message), "\(result.error)")
        #expect(!result.error.contains("Missing value"))
    }

    /// Every kind of bad line (empty, garbage, NUL, invalid UTF-8, parse, valence and
    /// aromaticity failures) becomes an invalid row, and RDKit prints none of its complaints:
    /// the executable's standard error holds only the summary.
    @Test func badInputLeavesStandardErrorFreeOfRDKit() throws {
        let dir = try TestPaths.temporaryFolder()
        let input = dir + "/bad.smi", output = dir + "/props.csv"
        let bytes = badLines.flatMap { $0.bytes + [UInt8(ascii: "\n")] } + Array("CCO\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: input))
        let result = try molvae(["props", input, "--out", output, "--threads", "2"])
        #expect(result.status == 0, "\(result.error)")
        #expect(!containsRDKitNoise(result.error), "RDKit wrote to stderr: \(result.error.prefix(300))")
        #expect(result.error.contains("props: \(badLines.count + 1) rows"), "\(result.error)")
        let rows = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == badLines.count + 2)
    }

    /// The valence mask works on top of the syntax mask: asking for it without that is refused,
    /// and a run with it says so in its summary, as it says whether the canonical form applies
    /// (on for the shipped model, trained on canonicalised molecules, unless switched off).
    @Test func valenceMaskNeedsTheSyntaxMaskAndIsReported() throws {
        let refused = try molvae(["sample", "--n", "5", "--valence-mask", "--no-syntax-mask"])
        #expect(refused.status == 64)
        #expect(refused.error.contains("--valence-mask needs the syntax mask"), "\(refused.error)")
        let out = try TestPaths.temporaryFolder() + "/valence.csv"
        let run = try molvae(["sample", "--n", "20", "--threads", "1", "--valence-mask", "--out", out])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.contains("syntax mask on (canonical form), valence mask on"), "\(run.error)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 21)
        let plain = try molvae(["sample", "--n", "20", "--threads", "1", "--valence-mask", "--no-canonical-form", "--out", out])
        #expect(plain.status == 0, "\(plain.error)")
        #expect(plain.error.contains("syntax mask on, valence mask on"), "\(plain.error)")
    }

    @Test func widenDecoderNeedsAWiderInitModel() throws {
        let data = TestPaths.bundledData("moses-test-10k.smi.gz")
        let alone = try molvae(["train", "--data", data, "--out", "unused", "--widen-decoder", "512", "--max-steps", "1"])
        #expect(alone.status == 64)
        #expect(alone.error.contains("--widen-decoder widens the model of --init"), "\(alone.error)")
        let model = TestPaths.repositoryRoot.appendingPathComponent("Models/default.safetensors").path
        let hidden = try SmilesVAE.load(from: model).model.config.hidden
        let out = try TestPaths.temporaryFolder() + "/widen"
        let narrower = try molvae(["train", "--data", data, "--out", out, "--init", model, "--widen-decoder", "128", "--max-steps", "1"])
        #expect(narrower.status != 0)
        #expect(narrower.error.contains("--widen-decoder 128 with --init \(model): the decoder has \(hidden) hidden units; widening needs more"),
                "\(narrower.error)")
    }

    /// --deepen-decoder needs --init, and adds one layer to its model after any widening.
    @Test func deepenDecoderAddsALayerToTheInitModel() throws {
        let alone = try molvae(["train", "--data", "unused.smi", "--out", "unused", "--deepen-decoder", "--max-steps", "1"])
        #expect(alone.status == 64)
        #expect(alone.error.contains("--deepen-decoder deepens the model of --init"), "\(alone.error)")
        let dir = try TestPaths.temporaryFolder()
        let data = dir + "/data.smi"
        let molecules = try SMILESReader.readAll(path: TestPaths.bundledData("moses-test-10k.smi.gz")).prefix(48).map(\.smiles)
        try molecules.joined(separator: "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let common = ["train", "--data", data, "--threads", "1", "--samples", "4", "--max-steps", "1", "--batch", "16"]
        let small = try molvae(common + ["--out", dir + "/small", "--hidden", "8", "--latent", "4", "--dense", "8"])
        #expect(small.status == 0, "\(small.error)")
        let deep = try molvae(common + ["--out", dir + "/deep", "--init", dir + "/small/last.safetensors",
                                        "--widen-decoder", "12", "--deepen-decoder"])
        #expect(deep.status == 0, "\(deep.error)")
        #expect(deep.error.contains("decoder deepened from 1 to 2 GRU layers"), "\(deep.error)")
        let model = try SmilesVAE.load(from: dir + "/deep/last.safetensors").model
        #expect(model.config.layers == 2 && model.config.hidden == 12)
    }

    /// --structure-features on a new run gives its model the features; with --init they are
    /// added to the file's model, once; a model with them samples like any other.
    @Test func structureFeaturesReachTheModelFile() throws {
        let dir = try TestPaths.temporaryFolder()
        let data = dir + "/data.smi"
        let molecules = try SMILESReader.readAll(path: TestPaths.bundledData("moses-test-10k.smi.gz")).prefix(48).map(\.smiles)
        try molecules.joined(separator: "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let common = ["train", "--data", data, "--threads", "1", "--samples", "4", "--max-steps", "1", "--batch", "16"]
        let small = ["--hidden", "8", "--latent", "4", "--dense", "8"]
        let plain = try molvae(common + small + ["--out", dir + "/plain"])
        #expect(plain.status == 0, "\(plain.error)")
        #expect(try SmilesVAE.load(from: dir + "/plain/last.safetensors").model.config.hasStructureFeatures == false)
        let fresh = try molvae(common + small + ["--out", dir + "/fresh", "--structure-features"])
        #expect(fresh.status == 0, "\(fresh.error)")
        #expect(try SmilesVAE.load(from: dir + "/fresh/last.safetensors").model.config.hasStructureFeatures)
        let added = try molvae(common + ["--out", dir + "/added", "--init", dir + "/plain/last.safetensors", "--structure-features"])
        #expect(added.status == 0, "\(added.error)")
        #expect(added.error.contains("decoder structure features added (at zero)"), "\(added.error)")
        let twice = try molvae(common + ["--out", dir + "/twice", "--init", dir + "/added/last.safetensors", "--structure-features"])
        #expect(twice.status != 0)
        #expect(twice.error.contains("the model already has structure features"), "\(twice.error)")
        let sampled = try molvae(["sample", "--model", dir + "/added/last.safetensors", "--n", "20", "--threads", "1",
                                  "--out", dir + "/s.csv"])
        #expect(sampled.status == 0, "\(sampled.error)")
        #expect(try String(contentsOfFile: dir + "/s.csv", encoding: .utf8).split(separator: "\n").count == 21)
    }

    /// A run without a property head reads no properties, so it computes none (RDKit's logP,
    /// QED and SA cost about a millisecond per molecule); a run with one still computes them.
    @Test func trainWithoutAPropertyHeadComputesNoProperties() throws {
        let dir = try TestPaths.temporaryFolder()
        let data = dir + "/data.smi", valid = dir + "/valid.smi"
        let molecules = try SMILESReader.readAll(path: TestPaths.bundledData("moses-test-10k.smi.gz")).prefix(56).map(\.smiles)
        try molecules.prefix(48).joined(separator: "\n").write(toFile: data, atomically: true, encoding: .utf8)
        try molecules.suffix(8).joined(separator: "\n").write(toFile: valid, atomically: true, encoding: .utf8)
        let common = ["train", "--data", data, "--threads", "1", "--samples", "4", "--batch", "16",
                      "--hidden", "8", "--latent", "4", "--dense", "8"]
        for (name, layout) in [("held-out", [String]()), ("given", ["--valid", valid])] {
            let out = dir + "/" + name
            let run = try molvae(common + layout + ["--out", out, "--max-steps", "1", "--property-weight", "0"])
            #expect(run.status == 0, "\(run.error)")
            #expect(run.error.contains("properties not computed (--property-weight 0)"), "\(run.error)")
            #expect(!FileManager.default.fileExists(atPath: out + "/properties-data.safetensors"))
            #expect(!FileManager.default.fileExists(atPath: out + "/properties-valid.safetensors"))
            #expect(try SmilesVAE.loadWithPropertyHead(from: out + "/last.safetensors").propertyHead == nil)
            // Resumed, the weight is the checkpoint's 0.
            let resumed = try molvae(common + layout + ["--out", out, "--max-steps", "2", "--resume"])
            #expect(resumed.status == 0, "\(resumed.error)")
            #expect(!FileManager.default.fileExists(atPath: out + "/properties-data.safetensors"))
        }
        let headed = try molvae(common + ["--valid", valid, "--out", dir + "/headed", "--max-steps", "1"])
        #expect(headed.status == 0, "\(headed.error)")
        #expect(headed.error.contains("properties computed with RDKit"), "\(headed.error)")
        #expect(FileManager.default.fileExists(atPath: dir + "/headed/properties-data.safetensors"))
        #expect(FileManager.default.fileExists(atPath: dir + "/headed/properties-valid.safetensors"))
        #expect(try SmilesVAE.loadWithPropertyHead(from: dir + "/headed/last.safetensors").propertyHead != nil)
    }

    @Test func averageWritesTheMeanOfARunsModelFiles() throws {
        let dir = try TestPaths.temporaryFolder()
        let data = dir + "/data.smi"
        let molecules = try SMILESReader.readAll(path: TestPaths.bundledData("moses-test-10k.smi.gz")).prefix(48).map(\.smiles)
        try molecules.joined(separator: "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let run = ["train", "--data", data, "--threads", "1", "--samples", "4", "--batch", "16", "--out", dir + "/run",
                   "--hidden", "8", "--latent", "4", "--dense", "8"]
        for step in [1, 2] {
            let trained = try molvae(run + ["--max-steps", "\(step)"] + (step > 1 ? ["--resume"] : []))
            #expect(trained.status == 0, "\(trained.error)")
            try FileManager.default.copyItem(atPath: dir + "/run/last.safetensors", toPath: dir + "/step-\(step).safetensors")
        }
        let files = [dir + "/step-1.safetensors", dir + "/step-2.safetensors"]
        let averaged = try molvae(["average"] + files + ["--out", dir + "/averaged.safetensors"])
        #expect(averaged.status == 0, "\(averaged.error)")
        let a = try SafeTensors.read(from: files[0]), b = try SafeTensors.read(from: files[1])
        let mean = try SafeTensors.read(from: dir + "/averaged.safetensors")
        let name = "decoder.head.weight"
        #expect(a.tensors[name]!.values != b.tensors[name]!.values)
        for (i, value) in mean.tensors[name]!.values.enumerated() {
            #expect(abs(value - (a.tensors[name]!.values[i] + b.tensors[name]!.values[i]) / 2) < 1e-7)
        }
        #expect(mean.metadata[ModelAverage.metadataKey]?.contains("\"step\":\"2\"") == true)
        let sampled = try molvae(["sample", "--model", dir + "/averaged.safetensors", "--n", "5", "--threads", "1", "--out", dir + "/s.csv"])
        #expect(sampled.status == 0, "\(sampled.error)")

        let one = try molvae(["average", files[0], "--out", dir + "/one.safetensors"])
        #expect(one.status != 0 && one.error.contains("at least two model files"), "\(one.error)")
        let overwrite = try molvae(["average"] + files + ["--out", files[1]])
        #expect(overwrite.status != 0, "\(overwrite.error)")
        #expect(try SafeTensors.read(from: files[1]).tensors[name]!.values == b.tensors[name]!.values)
        let checkpoint = try molvae(["average", files[0], dir + "/run/checkpoint.safetensors", "--out", dir + "/c.safetensors"])
        #expect(checkpoint.status != 0 && checkpoint.error.contains("is a training checkpoint"), "\(checkpoint.error)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/c.safetensors"))
    }

    @Test func threadsHelpStatesOneDefault() throws {
        for command in ["report", "fcd"] {
            let help = try molvae([command, "--help"]).output.replacingOccurrences(of: "\n", with: " ")
            let squeezed = help.split(separator: " ").joined(separator: " ")
            #expect(squeezed.components(separatedBy: "(default:").count - 1 >= 1)
            #expect(!squeezed.contains("(default: all cores). (default:"), "\(command)")
        }
    }

    @Test func propsOnAnEmptyFileWritesTheHeaderAndSucceeds() throws {
        let path = try TestPaths.temporaryFolder() + "/empty.smi"
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let result = try molvae(["props", path])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == PropertyCSV.header)
    }

    /// The issue's own case, end to end: the input survives and the message names the clash.
    @Test func anOutputOverTheInputIsRefusedAndTheInputSurvives() throws {
        let dir = try TestPaths.temporaryFolder()
        let input = dir + "/same.smi"
        try "CCO\nc1ccccc1\n".write(toFile: input, atomically: true, encoding: .utf8)
        for arguments in [["props", input, "--out", input], ["vocab", "--data", input, "--out", input],
                          ["corpus", "--data", dir + "/train.smi", "--out", dir]] {
            if arguments[0] == "corpus" { try FileManager.default.copyItem(atPath: input, toPath: dir + "/train.smi") }
            let result = try molvae(arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.error.contains("is the same file as the input"), "\(result.error)")
        }
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "CCO\nc1ccccc1\n")
        #expect(try String(contentsOfFile: dir + "/train.smi", encoding: .utf8) == "CCO\nc1ccccc1\n")
        let twice = try molvae(["latent-map", "--input", input, "--out", dir + "/a.csv", "--csv", dir + "/./a.csv"])
        #expect(twice.status == 64)
        #expect(twice.error.contains("are the same file"), "\(twice.error)")
    }

    /// Train on a small dirty file, then resume with another --batch (refused) and another --lr
    /// (allowed, listed); a --valid-fraction of 0 is refused up front.
    @Test func trainResumeRefusesAnotherDataLayoutAndNamesChangedOptions() throws {
        let dir = try TestPaths.temporaryFolder()
        let data = dir + "/data.smi"
        let molecules = try SMILESReader.readAll(path: TestPaths.bundledData("moses-test-10k.smi.gz")).prefix(80).map(\.smiles)
        try (molecules + ["C1CC", "CéC", "C(C)(C)(C)(C)C"]).joined(separator: "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let common = ["train", "--data", data, "--out", dir + "/run", "--hidden", "16", "--latent", "4", "--dense", "8",
                      "--samples", "4", "--threads", "1"]
        let first = try molvae(common + ["--max-steps", "2", "--batch", "16", "--seed", "7"])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.error.contains("80 of 83 molecules kept, canonicalised by RDKit; dropped 3 invalid"), "\(first.error)")
        let model = try SafeTensors.read(from: dir + "/run/last.safetensors")
        let record = try JSONDecoder().decode([String: DataPreparationRecord].self,
                                              from: Data(model.metadata[DataPreparationRecord.metadataKey]!.utf8))
        #expect(record["data"]?.kept == 80 && record["data"]?.dropped == ["invalid": 3])

        let batch = try molvae(common + ["--max-steps", "4", "--batch", "32", "--resume"])
        #expect(batch.status == 1)
        #expect(batch.error.contains("cannot resume with --batch 32 (the checkpoint's is 16)"), "\(batch.error)")
        let seed = try molvae(common + ["--max-steps", "4", "--seed", "8", "--resume"])
        #expect(seed.error.contains("--seed 8 (the checkpoint's is 7)"), "\(seed.error)")

        let lr = try molvae(common + ["--max-steps", "4", "--lr", "0.0005", "--resume"])
        #expect(lr.status == 0, "\(lr.error)")
        #expect(lr.error.contains("resuming with options changed from the checkpoint's: --lr 0.0005 (was 0.001)"), "\(lr.error)")
        #expect(try Checkpoint.read(from: dir + "/run/checkpoint.safetensors").state.step == 4)

        // --valid is part of the layout: a run begun with it is not resumed on a held-out part
        // of --data (it was, silently, until session 24), and a held-out run not on a file.
        let valid = dir + "/valid.smi"
        try molecules.prefix(8).joined(separator: "\n").write(toFile: valid, atomically: true, encoding: .utf8)
        let filed = common.map { $0 == dir + "/run" ? dir + "/filed" : $0 }
        let begun = try molvae(filed + ["--max-steps", "2", "--batch", "16", "--valid", valid])
        #expect(begun.status == 0, "\(begun.error)")
        let without = try molvae(filed + ["--max-steps", "4", "--resume"])
        #expect(without.status == 1)
        #expect(without.error.contains("cannot resume with no --valid (the checkpoint validated on --valid \(valid); give it again)"),
                "\(without.error)")
        #expect(try Checkpoint.read(from: dir + "/filed/checkpoint.safetensors").state.step == 2)
        let again = try molvae(filed + ["--max-steps", "4", "--valid", valid, "--resume"])
        #expect(again.status == 0, "\(again.error)")
        #expect(again.error.contains("80 training and 8 validation molecules"), "\(again.error)")
        let onto = try molvae(common + ["--max-steps", "6", "--valid", valid, "--resume"])
        #expect(onto.status == 1)
        #expect(onto.error.contains("--valid \(valid) (the checkpoint held out --valid-fraction 0.05 of --data)"), "\(onto.error)")

        let zero = try molvae(["train", "--data", data, "--out", dir + "/zero", "--max-steps", "1", "--valid-fraction", "0"])
        #expect(zero.status == 64)
        #expect(zero.error.contains("--valid-fraction must be above 0"), "\(zero.error)")
    }

    /// A resumed run goes on with the checkpoint's options where none are given again (it used
    /// to take the defaults: beta 1, lr 1e-3, no free bits, no prior-decoding term); an option
    /// given again takes effect and is listed. --init starts from the defaults and names only
    /// sizes that were given.
    @Test func trainResumeKeepsTheCheckpointsOptionsUnlessGivenAgain() throws {
        let dir = try TestPaths.temporaryFolder()
        let data = dir + "/data.smi"
        let molecules = try SMILESReader.readAll(path: TestPaths.bundledData("moses-test-10k.smi.gz")).prefix(64).map(\.smiles)
        try molecules.joined(separator: "\n").write(toFile: data, atomically: true, encoding: .utf8)
        let common = ["train", "--data", data, "--out", dir + "/run", "--threads", "1"]
        let first = try molvae(common + ["--hidden", "16", "--latent", "4", "--dense", "8", "--batch", "16", "--samples", "4",
                                         "--max-steps", "2", "--beta", "0.5", "--free-bits", "0.1", "--lr", "0.002",
                                         "--lr-schedule", "cosine", "--lr-min", "0.0001", "--schedule-steps", "6",
                                         "--kl-warmup", "3", "--anneal", "sigmoid", "--clip", "7", "--word-dropout", "0.1",
                                         "--prior-decoding-weight", "0.5", "--prior-decoding-samples", "8", "--eval-every", "2"])
        #expect(first.status == 0, "\(first.error)")
        let trained = try Checkpoint.read(from: dir + "/run/checkpoint.safetensors").options
        #expect(trained.beta == 0.5 && trained.freeBits == 0.1 && trained.priorDecodingWeight == 0.5 && trained.clipNorm == 7)
        #expect(trained.learningRateSchedule == .warmupCosine(peak: 0.002, minimum: 0.0001, warmupSteps: 0, totalSteps: 6))

        let resumed = try molvae(common + ["--max-steps", "4", "--resume"])
        #expect(resumed.status == 0, "\(resumed.error)")
        #expect(!resumed.error.contains("options changed") && !resumed.error.contains("ignored"), "\(resumed.error)")
        var expected = trained
        expected.maxSteps = 4
        #expect(try Checkpoint.read(from: dir + "/run/checkpoint.safetensors").options == expected)

        let changed = try molvae(common + ["--max-steps", "6", "--beta", "0.25", "--anneal", "linear", "--resume"])
        #expect(changed.status == 0, "\(changed.error)")
        #expect(changed.error.contains("--beta 0.25 (was 0.5)") && changed.error.contains("--kl-warmup/--anneal linear(warmupSteps: 3)"),
                "\(changed.error)")
        let last = try Checkpoint.read(from: dir + "/run/checkpoint.safetensors").options
        #expect(last.beta == 0.25 && last.klAnnealing == .linear(warmupSteps: 3) && last.freeBits == 0.1 && last.priorDecodingSamples == 8)

        let fresh = try molvae(["train", "--data", data, "--out", dir + "/fresh", "--threads", "1", "--samples", "4", "--max-steps", "1",
                                "--init", dir + "/run/last.safetensors"])
        #expect(fresh.status == 0, "\(fresh.error)")
        #expect(!fresh.error.contains("ignored"), "\(fresh.error)")
        let defaults = try Checkpoint.read(from: dir + "/fresh/checkpoint.safetensors").options
        #expect(defaults.beta == 1 && defaults.freeBits == 0 && defaults.priorDecodingWeight == nil && defaults.learningRateSchedule == nil)
        let sized = try molvae(["train", "--data", data, "--out", dir + "/sized", "--threads", "1", "--samples", "4", "--max-steps", "1",
                                "--init", dir + "/run/last.safetensors", "--hidden", "32", "--conv-channels", "4,4,4"])
        #expect(sized.error.contains("ignored --hidden 32 (kept 16), --conv-channels 4,4,4 (kept 9,9,10)"), "\(sized.error)")
    }
}
