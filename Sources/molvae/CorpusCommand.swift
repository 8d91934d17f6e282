import ArgumentParser
import Foundation
import MolVAE

/// `molvae corpus`: clean, deduplicate, filter and split a molecule file for training.
struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Prepare a training corpus: drop invalid molecules, dedupe, filter by length, split train/valid.",
        discussion: """
            Writes DIR/train.smi and DIR/valid.smi (one SMILES per line, no header) and \
            DIR/summary.json, each atomically. The split is a hash of each output SMILES and the \
            seed, so the same seed gives the same split for any thread count.
            """
    )

    @Option(help: "Molecule file: .smi/.txt/.csv/.tsv, optionally gzip-compressed; '-' for stdin.")
    var data: String

    @Option(help: "Output folder.")
    var out: String

    @Flag(help: "Write RDKit canonical SMILES instead of the input strings (dedupe then compares canonical forms).")
    var canonicalize = false

    @Flag(help: "Keep only the first occurrence of each output SMILES.")
    var dedupe = false

    @Option(help: "Drop SMILES longer than this many tokens; 0 for no limit.")
    var maxLength = 120

    @Option(help: "Fraction of molecules for the validation split (the same default as train's hold-out).")
    var validFraction = 0.05

    @Option(help: "Seed of the train/validation split.")
    var seed: UInt64 = 0

    @Option(help: "Worker threads for parsing (default: all cores).")
    var threads: Int?

    func validate() throws {
        guard (0...1).contains(validFraction) else { throw ValidationError("--valid-fraction must be between 0 and 1") }
        guard maxLength >= 0 else { throw ValidationError("--max-length must be 0 (no limit) or positive") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        let written = ["train.smi", "valid.smi", "summary.json"].map { ("--out", Optional(out + "/" + $0)) }
        try refusePathClashes(inputs: [("--data", data)], outputs: written)
    }

    func run() throws {
        var options = CorpusPreparation.Options()
        options.canonicalize = canonicalize
        options.dedupe = dedupe
        options.maxLength = maxLength == 0 ? nil : maxLength
        options.validFraction = validFraction
        options.seed = seed
        if let threads { options.threads = threads }
        let started = Date()
        let summary = try CorpusPreparation.run(inputPath: data, outputDirectory: out, options: options)
        print(summary)
        print(String(format: "  wrote %@/train.smi, valid.smi, summary.json in %.1f s (%d threads)",
                     out, Date().timeIntervalSince(started), options.threads))
    }
}
