import Dispatch
import Foundation

/// Turns a raw molecule file into the `train.smi`/`valid.smi` pair the trainer reads.
///
/// Steps, in order, per molecule: empty SMILES are dropped; RDKit must parse and sanitize it
/// (failures counted by reason); with `canonicalize` the RDKit canonical SMILES replaces the
/// input; with `dedupe` later copies of an output string are dropped; over-long strings (in
/// tokens) are dropped; the survivor goes to train or validation by `CorpusSplit` (a hash of
/// the output string and the seed).
///
/// Molecules are parsed in parallel, a chunk at a time, and everything order-dependent
/// (dedupe, output order, counts) runs sequentially over the chunk's results in file order,
/// so the result is identical for any thread count.
public enum CorpusPreparation {
    public struct Options: Sendable, Equatable {
        public var canonicalize = false
        public var dedupe = false
        /// The most tokens an output SMILES may have; nil for no limit.
        public var maxLength: Int? = 120
        /// The same default as `molvae train`'s hold-out.
        public var validFraction = 0.05
        public var seed: UInt64 = 0
        public var threads = ProcessInfo.processInfo.activeProcessorCount
        /// Records parsed per parallel step; bounds memory, large enough to amortise dispatch.
        public var chunkSize = 4096
        public init() {}
    }

    /// Reads `inputPath`, writes `outputDirectory/train.smi`, `valid.smi` (one SMILES per line,
    /// no header) and `summary.json`, each atomically, and returns the summary.
    ///
    /// The input streams; the kept output is collected in memory until the atomic writes (about
    /// 70 MB for all 1.58 M MOSES training molecules), as is the set of seen strings for dedupe.
    /// Names from the input are not carried over.
    public static func run(inputPath: String, outputDirectory: String, options: Options) throws -> Summary {
        var train = Data()
        var valid = Data()
        let summary = try process(inputPath: inputPath, options: options) { smiles, split in
            switch split {
            case .train: train.append(contentsOf: smiles.utf8); train.append(UInt8(ascii: "\n"))
            case .valid: valid.append(contentsOf: smiles.utf8); valid.append(UInt8(ascii: "\n"))
            }
        }
        let folder = URL(fileURLWithPath: outputDirectory)
        try AtomicFile.write(train, to: folder.appendingPathComponent("train.smi").path)
        try AtomicFile.write(valid, to: folder.appendingPathComponent("valid.smi").path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(summary) + Data("\n".utf8), to: folder.appendingPathComponent("summary.json").path)
        return summary
    }

    /// The preparation without files: calls `emit` with each kept SMILES and its split, in
    /// input order. `options.validFraction` must be in 0...1 (the command line checks it).
    public static func process(
        inputPath: String,
        options: Options,
        emit: (String, CorpusSplit) -> Void
    ) throws -> Summary {
        precondition(options.validFraction >= 0 && options.validFraction <= 1, "validFraction must be in 0...1")
        let reader = try SMILESReader(path: inputPath)
        var summary = Summary(
            input: inputPath,
            options: OptionsRecord(canonicalize: options.canonicalize, dedupe: options.dedupe, maxLength: options.maxLength,
                                   validFraction: options.validFraction, seed: options.seed)
        )
        var seen = Set<String>()
        var tokenCounter = TokenCounter()
        while true {
            let records = try reader.nextBatch(maxCount: Swift.max(1, options.chunkSize))
            if records.isEmpty { break }
            let outcomes = evaluate(records, canonicalize: options.canonicalize, threads: options.threads)
            for outcome in outcomes {
                summary.recordsRead += 1
                switch outcome {
                case .empty:
                    summary.drops[DropReason.empty.rawValue, default: 0] += 1
                case .invalid(let reason):
                    summary.drops[DropReason.invalid.rawValue, default: 0] += 1
                    summary.invalidReasons[reason, default: 0] += 1
                case .valid(let smiles, let length):
                    if options.dedupe, !seen.insert(smiles).inserted {
                        summary.drops[DropReason.duplicate.rawValue, default: 0] += 1
                        continue
                    }
                    if let maxLength = options.maxLength, length > maxLength {
                        summary.drops[DropReason.tooLong.rawValue, default: 0] += 1
                        continue
                    }
                    let split = CorpusSplit.assign(smiles, seed: options.seed, validFraction: options.validFraction)
                    summary.kept += 1
                    if split == .train { summary.train += 1 } else { summary.valid += 1 }
                    summary.lengths.add(length)
                    tokenCounter.add(smiles)
                    emit(smiles, split)
                }
            }
        }
        summary.invalidUTF8Lines = reader.invalidUTF8Lines
        summary.tokenCounts = tokenCounter.counts
        return summary
    }

    enum Outcome: Sendable {
        case empty
        case invalid(reason: String)
        case valid(smiles: String, length: Int)
    }

    /// Parses a chunk on `threads` workers; worker w takes records w, w+threads, … so slow
    /// molecules spread evenly. Results keep the records' order.
    static func evaluate(_ records: [SMILESRecord], canonicalize: Bool, threads: Int) -> [Outcome] {
        var outcomes = [Outcome](repeating: .empty, count: records.count)
        let workers = Swift.max(1, Swift.min(threads, records.count))
        outcomes.withUnsafeMutableBufferPointer { buffer in
            // Each index is written by exactly one worker, and the buffer outlives the call.
            nonisolated(unsafe) let results = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var index = worker
                while index < records.count {
                    results[index] = evaluate(records[index].smiles, canonicalize: canonicalize)
                    index += workers
                }
            }
        }
        return outcomes
    }

    static func evaluate(_ smiles: String, canonicalize: Bool) -> Outcome {
        if smiles.isEmpty { return .empty }
        do {
            let molecule = try Molecule(smiles: smiles)
            let output = canonicalize ? molecule.canonicalSMILES : smiles
            return .valid(smiles: output, length: SMILESTokenizer.tokenCount(output))
        } catch {
            return .invalid(reason: normalizedReason(error.reason))
        }
    }
}
