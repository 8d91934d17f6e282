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
        let group = ProcessGroup.world
        try RankedRun.run("report", group: group) { try report(group: group) }
    }

    /// One code path for a plain run and every rank of an mpirun job. Under mpirun the
    /// per-molecule stages are shared: every rank judges an interleaved share of the generated
    /// lines (and of a reference file's lines when the cache does not hold it), canonicalises a
    /// share for FCD and runs a share of ChemNet's chunks; rank 0 gathers everything in input
    /// order, so its report is the plain run's, and computes the metrics and writes alone. Only
    /// rank 0 reads and writes the caches. Without MPI every shared call is the plain one.
    func report(group: ProcessGroup) throws {
        let root = group.isRoot
        try RankAgreement.prepare(group: group, inputs: [generated, train, test, testScaffolds, chemnet]) {}
        let threads = self.threads
        var timings: [String: Double] = [:]
        let say = { (text: String) in if root { FileHandle.standardError.write(Data("report: \(text)\n".utf8)) } }
        if group.isParallel { say("\(group.size) ranks share the RDKit and ChemNet stages; rank 0 computes the metrics") }
        func stage<T>(_ name: String, _ path: String?, _ work: (String) throws -> T?) throws -> T? {
            guard let path else { return nil }
            say("reading \(path)")
            let started = Date()
            let result = try work(path)
            timings[name] = Date().timeIntervalSince(started)
            return result
        }

        // Each is rank 0's alone (nil on the other ranks, which helped compute it).
        let generatedSet = try stage("generated", generated) {
            try EvaluatedSet.evaluate(path: $0, role: .generated, threads: threads, group: group)
        }
        let cache = caching.cache
        let trainSet = try stage("train", train) { path -> TrainingSet? in
            guard let (set, outcome) = try TrainingSet.load(path: path, threads: threads, cache: cache, note: say, group: group) else { return nil }
            say("train: \(describe(outcome))")
            return set
        }
        func reference(_ name: String, _ path: String?) throws -> ReferenceFile? {
            try stage(name, path) { path -> ReferenceFile? in
                guard let (file, outcome) = try ReferenceFile.load(path: path, threads: threads, cache: cache, note: say, group: group) else {
                    return nil
                }
                say("\(name): \(describe(outcome))")
                return file
            }
        }
        let testSet = try reference("test", test)
        let scaffoldSet = try reference("test_scaffolds", testScaffolds)
        var fcd: [String: FCDValue] = [:]
        var guacamolFCD: GuacaMolFCD?
        // Decided from the options, which every rank shares (the files themselves are rank 0's).
        let references = [("Test", test, testSet), ("TestSF", testScaffolds, scaffoldSet)].compactMap { suffix, path, file in
            path.map { (suffix: suffix, path: $0, sha256: file?.sha256 ?? "") }
        }
        if !noFCD && (!references.isEmpty || train != nil) {
            let started = Date()
            let network = try group.collectively { try chemnet.map { try ChemNet(contentsOf: $0) } ?? ChemNet.bundled() }
            let store = ReferenceStatisticsStore(network: network, cacheDirectory: cache?.directory, threads: threads)
            // The generated molecules' features once, for MOSES's FCDs (all of them) and GuacaMol's
            // (the first --guacamol-samples).
            let smiles = group.broadcast(generatedSet?.valid.map(\.canonicalSMILES) ?? [])
            let featuresStarted = Date()
            let generated = network.statistics(of: smiles, threads: threads, prefix: train == nil ? 0 : guacamolSamples, group: group)
            say(String(format: "ChemNet features of %d generated molecules in %.1f s", smiles.count, Date().timeIntervalSince(featuresStarted)))
            fcd = try store.mosesFCD(generatedStatistics: generated?.all, generatedCount: smiles.count, references: references,
                                     log: say, group: group)
            if train != nil {
                guacamolFCD = try GuacaMolFCD.measure(generatedStatistics: generated?.prefix, generatedCount: min(smiles.count, guacamolSamples),
                                                      training: trainSet, samples: guacamolSamples, seed: guacamolSeed, store: store,
                                                      log: say, group: group)
            }
            timings["fcd"] = Date().timeIntervalSince(started)
        }
        // What rank 0 computes alone, the other ranks of this machine waiting asleep
        // (`collectively`), may use their threads too: the reports of 1 and 2 threads are
        // identical (checked on 701 and 3,742 valid molecules; maxima, per-point sums).
        let soloThreads = threads * localRanks
        // GuacaMol's KL benchmark, its RDKit work shared; a plain run leaves it to QualityReport,
        // as it always did.
        var guacamolKL: GuacaMolKLDivergence?
        if group.usesMPI, train != nil {
            let started = Date()
            guacamolKL = GuacaMolKLDivergence.measure(generatedCanonical: generatedSet?.valid.map(\.canonicalSMILES) ?? [],
                                                      training: trainSet?.smiles ?? [], samples: guacamolSamples, seed: guacamolSeed,
                                                      threads: threads, rootThreads: soloThreads, group: group)
            timings["guacamol_kl"] = Date().timeIntervalSince(started)
        }
        // Rank 0's metrics and writes; the other ranks learn whether they worked, so that a
        // failure there (an unwritable --out) is one error, not MPI_Abort.
        try group.collectively {
            guard let generatedSet else { return }
            try finish(generatedSet, trainSet, testSet, scaffoldSet, fcd: fcd, guacamolFCD: guacamolFCD, guacamolKL: guacamolKL,
                       timings: timings, threads: soloThreads)
        }
    }

    private func finish(_ generatedSet: EvaluatedSet, _ trainSet: TrainingSet?, _ testSet: ReferenceFile?, _ scaffoldSet: ReferenceFile?,
                        fcd: [String: FCDValue], guacamolFCD: GuacaMolFCD?, guacamolKL: GuacaMolKLDivergence?,
                        timings: [String: Double], threads: Int) throws {
        FileHandle.standardError.write(Data("report: computing metrics\n".utf8))
        let report = QualityReport(generated: generatedSet, train: trainSet, test: testSet, testScaffolds: scaffoldSet,
                                   fcd: fcd, threads: threads, timings: timings, guacamolSamples: guacamolSamples, guacamolSeed: guacamolSeed, guacamolFCD: guacamolFCD,
                                   guacamolKL: guacamolKL)

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
