import ArgumentParser
import Foundation
import MolVAE

/// `molvae bench train|sample`: throughput of the engine on the reference VAE, comparable with
/// /work/shared/anchors/torch_vae_bench.py (same options, same FLOP accounting). Prints one
/// JSON line.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed of the VAE engine (training, sampling, similarity, ChemNet). For benchmark scores (GuacaMol), see `molvae benchmark`.",
        subcommands: [BenchTrain.self, BenchSample.self, BenchSimilarity.self, BenchChemNet.self]
    )
}

struct BenchOptions: ParsableArguments {
    @Option(help: "SMILES file (.smi/.csv, optionally .gz; default: the bundled MOSES training subset).")
    var data: String?

    /// The file to read: --data, or the bundled corpus found through `DataFiles`.
    func dataPath() throws -> String {
        if let data { return data }
        return try DataFiles.path(of: "moses-train-250k.smi.gz")
    }
    @Option(help: "Molecules drawn from the file.") var nMols = 50000
    @Option(help: "Molecules per batch.") var batch = 128
    @Option(help: "Timed steps (train).") var steps = 20
    @Option(help: "Untimed warm-up steps (train).") var warmup = 3
    @Option var hidden = 512
    @Option var layers = 1
    @Option var latent = 128
    @Option var emb = 64
    @Option var dense = 256
    @Option(help: "Threads: our loops and OpenBLAS together.") var threads = 2
    @Option(help: "Override the threads of matrix products only (experiments).") var blasThreads: Int?
    @Option(help: "Who threads matrix products: pool (split over our worker threads, single-threaded OpenBLAS per panel) or openblas (OpenBLAS's own threads).")
    var gemm: GEMMThreading = .pool
    @Option var seed: UInt64 = 0
    @Option var beta: Float = 1
    @Option var lr: Float = 1e-3
    @Option var clip: Float = 50

    func configure() {
        EngineThreads.set(threads)
        EngineThreads.setGEMMThreading(gemm)
        if let blasThreads { EngineThreads.overrideGEMMThreads(blasThreads) }
    }

    func modelConfig(vocabSize: Int, maxBatch: Int, maxTokens: Int) -> VAEConfig {
        var c = VAEConfig(vocabSize: vocabSize)
        c.hidden = hidden
        c.layers = layers
        c.latent = latent
        c.decoderEmbedding = emb
        c.dense = dense
        c.maxBatch = maxBatch
        c.maxTokens = maxTokens
        return c
    }

    var configName: String { "gru\(hidden)x\(layers)" }
}

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Time training steps.")
    @OptionGroup var options: BenchOptions
    @Option(help: "Save the model (safetensors) here afterwards.") var save: String?

    func run() throws {
        options.configure()
        var rng = SplitMix(seed: options.seed)
        let smiles = try SMILESReader.readAll(path: try options.dataPath()).map(\.smiles)
        let chosen = smiles.count > options.nMols ? BenchData.sample(smiles, options.nMols, &rng) : smiles
        let tokenizer = try BenchTokenizer(corpus: chosen)
        let sequences = try chosen.map(tokenizer.encode).filter { $0.count < 120 }
        var batches = BenchData.bucketedBatches(sequences, batch: options.batch, rng: &rng)
        guard !batches.isEmpty else { throw ValidationError("not enough molecules for one batch") }
        while batches.count < options.warmup + options.steps { batches += batches }
        let maxTokens = sequences.map(\.count).max() ?? 1
        let config = options.modelConfig(vocabSize: tokenizer.vocabulary.count, maxBatch: options.batch, maxTokens: maxTokens)
        let model = try SmilesVAE(config: config, seed: options.seed)
        let adam = AdamOptimizer(parameters: model.parameters, learningRate: options.lr)
        model.reserveWorkspaces()
        var last = VAELoss(recon: 0, kl: 0, tokens: 0, batch: 0)
        func step(_ i: Int) {
            model.zeroGradients()
            last = model.forward(batches[i], epsilon: .random(seed: options.seed, step: UInt64(i)))
            model.backward(reconWeight: 1, klWeight: options.beta)
            clipGradientNorm(model.parameters, maxNorm: options.clip)
            adam.update()
        }
        for i in 0..<options.warmup { step(i) }
        let timed = options.warmup..<(options.warmup + options.steps)
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = cpuSeconds()
        for i in timed { step(i) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = cpuSeconds() - cpuStart
        let mols = timed.reduce(0) { $0 + batches[$1].count }
        let positions = timed.reduce(0) { $0 + batches[$1].tokenCount + batches[$1].count }
        let perPosition = BenchFlops.decoderMACsPerStep(config)
        let encoder = BenchFlops.encoderMACs(config, positions: Double(positions) / Double(mols))
        let flops = 3 * 2 * (encoder * Double(mols) + perPosition * Double(positions))
        let result: [String: Any] = [
            "mode": "train", "engine": "molvae", "config": options.configName, "batch": options.batch,
            "steps": options.steps, "seconds": round3(seconds), "mol_per_s": round1(Double(mols) / seconds),
            "tokens_per_s": round1(Double(positions) / seconds), "gflops": round1(flops / seconds / 1e9),
            "ms_per_step": round1(1000 * seconds / Double(options.steps)),
            "cpu_seconds": round3(cpu), "mol_per_cpu_s": round1(Double(mols) / cpu),
            "avg_dec_len": round1(Double(positions) / Double(mols)), "threads": EngineThreads.count,
            "params": model.parameterCount, "vocab": tokenizer.vocabulary.count, "molecules": sequences.count,
            "last_loss": [round3(last.total(beta: Double(options.beta))), round3(last.recon), round3(last.kl)],
        ]
        print(try jsonLine(result))
        if let save { try model.save(to: save, vocabulary: tokenizer.vocabulary.tokens, metadata: ["molvae.source": "bench train"]) }
    }
}

struct BenchSample: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sample", abstract: "Time sampling from the prior.")
    @OptionGroup var options: BenchOptions
    @Option(help: "Molecules to sample.") var n = 2000
    @Option var maxLen = 100
    @Flag var greedy = false
    @Option var temperature: Float = 1
    @Flag(help: "Keep finished rows in the batch until --max-len (the reference's worst case).")
    var forceSteps = false
    @Option(help: "Vocabulary size of the random model (28 = MOSES).") var vocab = 28
    @Option(help: "Load a model (safetensors) instead of a random one.") var load: String?

    func run() throws {
        options.configure()
        let model: SmilesVAE
        if let load {
            model = try SmilesVAE.load(from: load).model
        } else {
            let config = options.modelConfig(vocabSize: vocab, maxBatch: options.batch, maxTokens: maxLen)
            model = try SmilesVAE(config: config, seed: options.seed)
        }
        let config = model.config
        _ = model.sampleFromPrior(count: 8, maxSteps: 5, seed: 99)
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = cpuSeconds()
        var done = 0, stepTotal = 0, batches = 0, tokens = 0, finished = 0
        while done < n {
            let b = min(options.batch, n - done)
            // Unconstrained (no syntax mask), like the PyTorch reference: equal work per step.
            let r = model.sampleFromPrior(count: b, maxSteps: maxLen, temperature: temperature, greedy: greedy,
                                          seed: options.seed &+ UInt64(batches), stopAtEOS: !forceSteps)
            stepTotal += r.steps
            tokens += r.sequences.reduce(0) { $0 + $1.count }
            finished += r.finished.filter { $0 }.count
            done += b
            batches += 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = cpuSeconds() - cpuStart
        // FLOPs as the reference counts them: every row computed for every step of its batch.
        let flops = 2 * BenchFlops.decoderMACsPerStep(config) * Double(n) * Double(stepTotal) / Double(batches)
        let result: [String: Any] = [
            "mode": "sample", "engine": "molvae", "config": "gru\(config.hidden)x\(config.layers)", "batch": options.batch, "n": n,
            "steps": stepTotal, "seconds": round3(seconds), "mol_per_s": round1(Double(n) / seconds),
            "tokens_per_s": round1(Double(tokens) / seconds), "gflops": round1(flops / seconds / 1e9),
            "avg_steps_per_batch": round1(Double(stepTotal) / Double(batches)), "finished": finished,
            "cpu_seconds": round3(cpu), "mol_per_cpu_s": round1(Double(n) / cpu),
            "force_steps": forceSteps, "greedy": greedy, "threads": EngineThreads.count,
        ]
        print(try jsonLine(result))
    }
}

/// User + system CPU time of the process (all threads). Under load from other processes wall
/// time is unreliable; CPU time measures the work done.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

func round1(_ x: Double) -> Double { (x * 10).rounded() / 10 }
func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

func jsonLine(_ object: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

/// Multiply-adds as torch_vae_bench.py's flops_per_molecule counts them (dense algebra only).
enum BenchFlops {
    static func decoderMACsPerStep(_ c: VAEConfig) -> Double {
        let h = Double(c.hidden)
        var macs = 3 * h * Double(c.decoderEmbedding + c.latent) + 3 * h * h
        macs += Double(c.layers - 1) * 6 * h * h
        return macs + h * Double(c.vocabSize)
    }

    /// Our encoder works on the valid positions only (same padding), then pools.
    static func encoderMACs(_ c: VAEConfig, positions: Double) -> Double {
        var macs = 0.0, cin = Double(c.encoderInputDim)
        for (ch, k) in zip(c.convChannels, c.convKernels) { macs += cin * Double(ch * k) * positions; cin = Double(ch) }
        macs += cin * Double(c.dense) + 2 * Double(c.dense * c.latent)
        return macs + Double(c.latent * c.hidden * c.layers)
    }
}

/// A tiny deterministic generator for data shuffling in the benchmark.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

enum BenchData {
    static func sample(_ all: [String], _ n: Int, _ rng: inout SplitMix) -> [String] {
        var idx = Array(0..<all.count)
        for i in 0..<n { idx.swapAt(i, i + rng.below(all.count - i)) }
        return idx.prefix(n).map { all[$0] }
    }

    /// Shuffle, sort by length (stable), cut into batches, shuffle the batch order: the reference's
    /// length-bucketed batches.
    static func bucketedBatches(_ seqs: [[Int32]], batch: Int, rng: inout SplitMix) -> [TokenBatch] {
        var idx = Array(0..<seqs.count)
        for i in stride(from: idx.count - 1, to: 0, by: -1) { idx.swapAt(i, rng.below(i + 1)) }
        let order = idx.enumerated().sorted { (seqs[$0.element].count, $0.offset) < (seqs[$1.element].count, $1.offset) }.map(\.element)
        var groups: [[Int]] = stride(from: 0, to: order.count - batch + 1, by: batch).map { Array(order[$0..<($0 + batch)]) }
        for i in stride(from: groups.count - 1, to: 0, by: -1) { groups.swapAt(i, rng.below(i + 1)) }
        return groups.map { g in TokenBatch(sequences: g.map { seqs[$0] }) }
    }
}

/// The vocabulary of the benchmark's molecules, built as the reference benchmark builds its own
/// (specials, then the tokens seen, sorted), with the project's tokenizer.
struct BenchTokenizer {
    let vocabulary: Vocabulary

    init(corpus: [String]) throws {
        var counter = TokenCounter()
        for smiles in corpus { counter.add(smiles) }
        vocabulary = Vocabulary(tokenCounts: counter.counts, source: nil)
    }

    func encode(_ smiles: String) throws -> [Int32] { try vocabulary.encode(smiles) }
}

extension GEMMThreading: ExpressibleByArgument {}
