import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

func temporaryFile(_ name: String, _ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gen-\(UUID().uuidString)-\(name)").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// The library behind `molvae sample`.
@Suite struct SamplingTests {
    @Test func samplesDependOnSeedAndIndexOnly() throws {
        let tiny = try TinyModel.load()
        let sampler = PriorSampler(tiny, seed: 4)
        var small: [GeneratedSample] = [], large: [GeneratedSample] = []
        let stats = try sampler.run(goal: .samples(40), batchSize: 7) { small.append($0) }
        try sampler.run(goal: .samples(40), batchSize: 40) { large.append($0) }
        #expect(small == large && small.map(\.index) == Array(0..<40))
        #expect(stats.samples == 40 && stats.valid == small.filter(\.isValid).count)
        #expect(stats.distinct == Set(small.compactMap(\.canonical)))
        #expect(stats.valid > 0 && stats.valid < 40, "the tiny model's prior samples should mix valid and invalid")
        // Each row's canonical SMILES is RDKit's judgement of its raw string.
        for s in small { #expect(s.canonical == (try? Molecule(smiles: s.raw).canonicalSMILES)) }
        // The first batch is what the model's own prior sampler draws (with the same syntax mask).
        let direct = tiny.model.sampleFromPrior(count: 40, maxSteps: sampler.decoder.maxSteps, seed: 4,
                                                syntaxMask: sampler.decoder.activeSyntaxMask)
        let directRaw = try direct.sequences.map { try tiny.vocabulary.decode($0) }
        #expect(small.map(\.raw) == directRaw)
        var other: [GeneratedSample] = []
        try PriorSampler(tiny, seed: 5).run(goal: .samples(40), batchSize: 40) { other.append($0) }
        #expect(other.map(\.raw) != small.map(\.raw))
        var validOnly: [GeneratedSample] = []
        try sampler.run(goal: .samples(40), batchSize: 9, validOnly: true) { validOnly.append($0) }
        #expect(validOnly == small.filter(\.isValid))
    }

    @Test func distinctValidGoalStopsAtNAndCountsNovelty() throws {
        let tiny = try TinyModel.load()
        let sampler = PriorSampler(tiny, temperature: 1.2, seed: 2)
        let training = Set(TinyModel.molecules)
        var emitted: [GeneratedSample] = []
        let stats = try sampler.run(goal: .distinctValid(6, maxSamples: 500), batchSize: 16, training: training) { emitted.append($0) }
        #expect(emitted.count == 6 && Set(emitted.compactMap(\.canonical)).count == 6 && emitted.allSatisfy(\.isValid))
        #expect(stats.distinct.count == 6 && stats.samples == emitted.last!.index + 1)
        // The same run sample by sample: every sample up to the sixth distinct valid one is counted.
        var all: [GeneratedSample] = []
        try sampler.run(goal: .samples(stats.samples), batchSize: 500) { all.append($0) }
        let valid = all.compactMap(\.canonical)
        #expect(stats.valid == valid.count)
        #expect(abs(stats.uniqueness - 6.0 / Double(valid.count)) < 1e-12)
        let novel = Set(valid).subtracting(training).count
        #expect(abs(stats.novelty! - Double(novel) / 6) < 1e-12)
        // A budget that cannot be met stops at the budget.
        let capped = try sampler.run(goal: .distinctValid(10_000, maxSamples: 30), batchSize: 16) { _ in }
        #expect(capped.samples == 30 && capped.distinct.count < 10_000)
    }
}

/// The library behind `molvae encode` and `molvae decode`: the latent table.
@Suite struct LatentTableTests {
    @Test func encodedTableReadsBackExactlyAndDecodes() throws {
        let tiny = try TinyModel.load()
        let dim = tiny.model.config.latent
        let encoded = LatentEncoder(tiny).encode(TinyModel.molecules).map { try! $0.get() }
        var text = LatentCSV.header(dimension: dim)
        #expect(text == "smiles," + (0..<dim).map { "z\($0)" }.joined(separator: ",") + "\n")
        for (i, m) in encoded.enumerated() {
            text += LatentCSV.row(smiles: m.molecule.input, latent: m.latent.point(.sample(seed: 1), index: i))
        }
        let path = try temporaryFile("latents.csv", text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let rows = try LatentTableReader(path: path, dimension: dim).readAll()
        #expect(rows.map(\.lineNumber) == Array(2...13))
        for (i, row) in rows.enumerated() { #expect(row.values == encoded[i].latent.sample(seed: 1, index: i)) }
        // Columns are found by name: reordered columns and extra ones read the same.
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let reordered = lines.map { f in ([f[0], "x"] + f[1...].reversed()).joined(separator: ",") }.joined(separator: "\n")
        let path2 = try temporaryFile("reordered.csv", reordered.replacingOccurrences(of: "smiles,x,", with: "smiles,note,"))
        defer { try? FileManager.default.removeItem(atPath: path2) }
        #expect(try LatentTableReader(path: path2, dimension: dim).readAll() == rows)
        // Decoding the means gives back most molecules.
        let means = encoded.map { m in LatentCSV.row(smiles: "", latent: m.latent.mu) }.joined()
        let path3 = try temporaryFile("means.csv", LatentCSV.header(dimension: dim) + means)
        defer { try? FileManager.default.removeItem(atPath: path3) }
        let z = try LatentTableReader(path: path3, dimension: dim).readAll().flatMap(\.values)
        let decoded = LatentDecoder(tiny).decode(latents: z, count: 12, strategy: .tries(5, temperature: 0.5), seed: 3)
        #expect(zip(decoded, TinyModel.molecules).filter { $0.canonical == $1 }.count >= 10)
        #expect(decoded.allSatisfy { $0.tries == 5 && $0.count >= 1 && $0.count <= 5 && $0.validCount <= 5 })
    }

    @Test func badTablesAreErrorsNamingFileAndLine() throws {
        let dim = 8
        let header = "smiles," + (0..<dim).map { "z\($0)" }.joined(separator: ",")
        let good = "CC," + Array(repeating: "0.5", count: dim).joined(separator: ",")
        func error(_ text: String) throws -> LatentFileError? {
            let path = try temporaryFile("bad.csv", text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                _ = try LatentTableReader(path: path, dimension: dim).readAll()
                return nil
            } catch let e as LatentFileError {
                #expect(e.path == path && e.description.hasPrefix(path))
                return e
            }
        }
        let wrongDimension = try error("smiles,z0,z1,z2\nCC,1,2,3\n")
        #expect(wrongDimension?.line == 1 && wrongDimension!.reason.contains("3 latent dimensions") && wrongDimension!.reason.contains("has 8"))
        let nan = try error([header, good, "CC," + (Array(repeating: "0.5", count: dim - 1) + ["NaN"]).joined(separator: ",")].joined(separator: "\n"))
        #expect(nan?.line == 3 && nan!.reason.contains("z7") && nan!.reason.contains("not a finite number"))
        let infinite = try error([header, "CC," + (["1e40"] + Array(repeating: "0", count: dim - 1)).joined(separator: ",")].joined(separator: "\n"))
        #expect(infinite?.line == 2 && infinite!.reason.contains("z0"))
        let word = try error([header, good, good, "CC," + (["abc"] + Array(repeating: "0", count: dim - 1)).joined(separator: ",")].joined(separator: "\n"))
        #expect(word?.line == 4 && word!.reason.contains("\"abc\", not a number"))
        let short = try error([header, "CC,1,2"].joined(separator: "\n"))
        #expect(short?.line == 2 && short!.reason.contains("3 fields"))
        let noHeader = try error(good.replacingOccurrences(of: "CC,", with: "") + "\n")
        #expect(noHeader?.line == 1 && noHeader!.reason.contains("no header"))
        let empty = try error("")
        #expect(empty?.line == nil && empty!.reason.contains("empty"))
        #expect(try error(header + "\n\n" + good + "\n") == nil)
        let missing = "/nonexistent/\(UUID().uuidString).csv"
        #expect { try LatentTableReader(path: missing, dimension: dim) } throws: { "\($0)".contains(missing) }
    }

    @Test func missingOrForeignModelFilesAreClearErrors() throws {
        let missing = "/nonexistent/\(UUID().uuidString).safetensors"
        #expect { try TrainedModel.load(path: missing) } throws: { "\($0)" == "\(missing): no such model file" }
        let foreign = try temporaryFile("model.safetensors", "smiles\nCCO\n")
        defer { try? FileManager.default.removeItem(atPath: foreign) }
        #expect { try TrainedModel.load(path: foreign) } throws: { "\($0)".hasPrefix("\(foreign): cannot be read as a molvae model") }
    }
}

/// The library behind `molvae reconstruct`.
@Suite struct ReconstructionTests {
    @Test func protocolCountsMatchingDecodings() throws {
        let tiny = try TinyModel.load()
        let encoded = LatentEncoder(tiny).encode(TinyModel.molecules).map { try! $0.get() }
        let decoder = LatentDecoder(tiny)
        let method = ReconstructionProtocol(encodes: 3, decodes: 4, beamWidth: 3, seed: 8)
        let results = method.run(encoded, decoder: decoder)
        #expect(results.count == 12 && results.allSatisfy { $0.stochasticDecodings == 12 && $0.beamMatch != nil })
        #expect(results.filter(\.greedyMatch).count >= 10)
        #expect(results.filter { $0.beamMatch! }.count >= 10)
        // Recount molecule 7 by hand: its 3 draws, each decoded 4 times from its own streams.
        let i = 7, target = encoded[i].molecule.canonical
        var matches = 0
        for e in 0..<3 {
            let z = encoded[i].latent.sample(seed: 8, index: i, draw: e)
            let raw = decoder.decodings(latents: z, count: 1, tries: 4, temperature: 1, topK: nil, seed: 8, firstIndex: i * 3 + e).raw
            matches += raw.filter { (try? Molecule(smiles: $0).canonicalSMILES) == target }.count
        }
        #expect(results[i].stochasticMatches == matches)
        #expect(results[i].greedyMatch == (decoder.decode(latents: encoded[i].latent.mu, count: 1, strategy: .greedy)[0].canonical == target))
        // Split into two runs at the right indices: the same results.
        let halves = method.run(Array(encoded[0..<5]), decoder: decoder) + method.run(Array(encoded[5...]), decoder: decoder, firstIndex: 5)
        #expect(halves == results)
        // The summary averages the molecules.
        var summary = ReconstructionSummary(protocol: method)
        for r in results { summary.add(r) }
        summary.addFailure()
        let mean = results.map(\.stochasticAccuracy).reduce(0, +) / 12
        #expect(abs(summary.stochasticAccuracy - mean) < 1e-12 && summary.molecules == 12 && summary.failures == 1)
        #expect(summary.greedyAccuracy == Double(results.filter(\.greedyMatch).count) / 12)
        #expect(summary.beamAccuracy == Double(results.filter { $0.beamMatch! }.count) / 12)
        #expect(mean > 0.3, "a memorised molecule should mostly come back from nearby points: \(mean)")
    }
}
