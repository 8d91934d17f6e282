import ArgumentParser
import Foundation
import MolVAE

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Score a file of generated SMILES with the MOSES and GuacaMol metrics.",
        discussion: """
        Every line of --generated is judged by RDKit; invalid lines are counted by reason \
        (syntax, valence, aromaticity, empty), never dropped silently. Metrics that compare \
        against a reference appear only when that reference is given: novelty and GuacaMol's \
        KL-divergence score need --train (the score compares the first --guacamol-samples distinct \
        valid molecules with a seeded draw of that many training lines, as GuacaMol does); \
        SNN, Frag, Scaf and the property distances need --test (and --test-scaffolds for the \
        TestSF columns) and FCD/Test and FCD/TestSF, the Fréchet ChemNet Distance as MOSES \
        computes it (fcd_torch's ChemNet, bundled as Data/chemnet-v0.13.safetensors). A reference \
        set's ChemNet statistics are computed once and kept: beside the reference as \
        FILE.fcdstats, or in the cache folder as SHA256.fcdstats; a file made from other bytes \
        is recomputed, a damaged one is an error naming it.

        Reference files (--train, --test, --test-scaffolds) are processed once and cached: \
        DIR/<sha256>.<role>.<kind>.v<N>, keyed by the file's sha256, the RDKit version and the \
        format version, so a changed file is recomputed, never served stale. A corrupt cache \
        file is reported on standard error and recomputed. DIR is --cache-dir, else \
        $MOLVAE_CACHE_DIR, else $XDG_CACHE_HOME/molvae, else ~/.cache/molvae; --no-cache reads \
        every reference afresh.

        Example, against the bundled MOSES subsets:
          molvae report --generated samples.csv --train Data/moses-train-250k.smi.gz \\
            --test Data/moses-test-10k.smi.gz --test-scaffolds Data/moses-test-scaffolds-10k.smi.gz \\
            --out report.json --html report.html
        """
    )

    @Option(name: .long, help: "Generated SMILES (.smi/.txt/.csv with a smiles column, optionally .gz).")
    var generated: String

    @Option(name: .long, help: "Training SMILES, for novelty.")
    var train: String?

    @Option(name: .long, help: "Test SMILES, for SNN/Frag/Scaf and property distances.")
    var test: String?

    @Option(name: .customLong("test-scaffolds"), help: "Scaffold-split test SMILES, for the TestSF columns.")
    var testScaffolds: String?

    @Option(name: .long, help: "Write the JSON report here (default: standard output).")
    var out: String?

    @Option(name: .long, help: "Also write a self-contained HTML page here.")
    var html: String?

    @Option(name: .customLong("guacamol-samples"),
            help: "GuacaMol's number_samples for its KL-divergence score (needs --train): the first N distinct valid generated molecules against a seeded draw of N training lines.")
    var guacamolSamples: Int = GuacaMolKLDivergence.defaultSamples

    @Option(name: .customLong("guacamol-seed"), help: "Seed of the training-set draw (GuacaMol's NumPy seed; 42 as GuacaMol).")
    var guacamolSeed: UInt32 = GuacaMolKLDivergence.defaultSeed

    @Option(name: .long, help: "Worker threads (the default is this machine's core count, divided among the ranks under mpirun).")
    var threads: Int = defaultThreads

    @Flag(name: .customLong("no-fcd"), help: "Skip FCD (ChemNet features cost about 1 s per 1,000 molecules on 2 cores).")
    var noFCD = false

    @Option(name: .long, help: "ChemNet weights (default: the bundled Data/chemnet-v0.13.safetensors).")
    var chemnet: String?

    @OptionGroup var caching: CacheOptions

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard guacamolSamples >= 1 else { throw ValidationError("--guacamol-samples must be at least 1") }
        try refusePathClashes(inputs: [("--generated", generated), ("--train", train), ("--test", test),
                                       ("--test-scaffolds", testScaffolds), ("--chemnet", chemnet)],
                              outputs: [("--out", out), ("--html", html)])
    }

    func run() throws {
        // Under mpirun rank 0 computes the whole report and the other ranks wait in
        // MPI_Finalize: the output is the plain run's. Sharing the RDKit and fingerprint stages
        // over the ranks is not implemented yet (docs/SCALING.md).
        let group = ProcessGroup.world
        if group.isParallel && !group.isRoot { return group.finalize() }
        if group.isParallel {
            FileHandle.standardError.write(Data("report: under mpirun only rank 0 works; the \(group.size - 1) other rank(s) wait\n".utf8))
        }
        try RankedRun.run("report", group: group) { try report() }
    }

    func report() throws {
        let threads = self.threads
        var timings: [String: Double] = [:]
        func stage<T>(_ name: String, _ path: String?, _ work: (String) throws -> T) throws -> T? {
            guard let path else { return nil }
            FileHandle.standardError.write(Data("report: reading \(path)\n".utf8))
            let started = Date()
            let result = try work(path)
            timings[name] = Date().timeIntervalSince(started)
            return result
        }

        let generatedSet = try stage("generated", generated) { try EvaluatedSet(path: $0, role: .generated, threads: threads) }!
        let cache = caching.cache
        let say = { (text: String) in FileHandle.standardError.write(Data("report: \(text)\n".utf8)) }
        let trainSet = try stage("train", train) { path in
            let (set, outcome) = try TrainingSet.load(path: path, threads: threads, cache: cache, note: say)
            say("train: \(describe(outcome))")
            return set
        }
        func reference(_ name: String, _ path: String?) throws -> ReferenceFile? {
            try stage(name, path) { path in
                let (file, outcome) = try ReferenceFile.load(path: path, threads: threads, cache: cache, note: say)
                say("\(name): \(describe(outcome))")
                return file
            }
        }
        let testSet = try reference("test", test)
        let scaffoldSet = try reference("test_scaffolds", testScaffolds)
        var fcd: [String: FCDValue] = [:]
        var guacamolFCD: GuacaMolFCD?
        let references = [("Test", testSet), ("TestSF", scaffoldSet)].compactMap { suffix, file in file.map { (suffix, $0) } }
        if !noFCD && (!references.isEmpty || trainSet != nil) {
            let started = Date()
            let network = try chemnet.map { try ChemNet(contentsOf: $0) } ?? ChemNet.bundled()
            let store = ReferenceStatisticsStore(network: network, cacheDirectory: cache?.directory, threads: threads)
            // The generated molecules' features once, for MOSES's FCDs (all of them) and GuacaMol's
            // (the first --guacamol-samples).
            let smiles = generatedSet.valid.map(\.canonicalSMILES)
            let featuresStarted = Date()
            let generated = network.statistics(of: smiles, threads: threads, prefix: trainSet == nil ? 0 : guacamolSamples)
            say(String(format: "ChemNet features of %d generated molecules in %.1f s", smiles.count, Date().timeIntervalSince(featuresStarted)))
            fcd = try store.mosesFCD(generated: generatedSet, references: references.map { ($0.0, $0.1.path, $0.1.sha256) },
                                     generatedStatistics: .some(generated.all), log: say)
            if let trainSet {
                guacamolFCD = try GuacaMolFCD(generatedStatistics: generated.prefix, generatedCount: min(smiles.count, guacamolSamples),
                                              training: trainSet.smiles, trainingSHA256: trainSet.sha256, samples: guacamolSamples,
                                              seed: guacamolSeed, store: store, log: say)
            }
            timings["fcd"] = Date().timeIntervalSince(started)
        }
        FileHandle.standardError.write(Data("report: computing metrics\n".utf8))
        let report = QualityReport(generated: generatedSet, train: trainSet, test: testSet, testScaffolds: scaffoldSet,
                                   fcd: fcd, threads: threads, timings: timings, guacamolSamples: guacamolSamples, guacamolSeed: guacamolSeed, guacamolFCD: guacamolFCD)

        let json = try report.jsonData()
        if let out {
            try AtomicFile.write(json, to: out)
        } else {
            FileHandle.standardOutput.write(json)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
        if let html {
            try AtomicFile.write(ReportPage(report: report, generated: generatedSet, test: testSet).html(), to: html)
        }
        FileHandle.standardError.write(Data("report: \(summary(report))\n".utf8))
    }

    private func summary(_ report: QualityReport) -> String {
        let shown = ["valid", "unique@1k", "unique@10k", "FCD/Test", "FCD/TestSF", "Novelty", "IntDiv", "Filters", "SNN/Test"]
        let parts = shown.compactMap { name -> String? in
            guard let value = report.moses[name] ?? nil else { return nil }
            return "\(name) \(String(format: "%.4f", value))"
        }
        return "\(report.inputs[0].lines) lines, \(report.invalid.total) invalid; " + parts.joined(separator: ", ")
            + (report.guacamol.klDivergence.flatMap { $0.score.isFinite ? String(format: ", GuacaMol KL %.4f", $0.score) : nil } ?? "")
            + String(format: "; %.1f s (similarity %.2f s)", report.seconds, report.timings["similarity"] ?? 0)
    }
}
