import ArgumentParser
import Foundation
import MolVAE

/// `molvae encode`: molecules to latent points.
struct EncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode molecules into the latent space: one row of z0 … z{D-1} per molecule.",
        discussion: """
            Each input is parsed and canonicalised by RDKit (the model was trained on canonical \
            SMILES), tokenised, and checked against the model's vocabulary and length limit. \
            Writes CSV smiles,z0,…,z{D-1} (smiles as given), one row per encoded molecule in \
            input order: the mean of q(z|x) by default, or with --sample one draw \
            mu + sigma·eps (seeded per molecule). Lines that cannot be encoded are listed on \
            standard error (and in --failures as line,smiles,reason), never dropped silently; \
            the exit status is non-zero only when no molecule could be encoded. `molvae decode` \
            reads this format.

            Examples:
              molvae encode --input Data/moses-test-10k.smi.gz --out latents.csv --failures failed.csv
              echo "c1ccccc1O" | molvae encode --input - --sample --seed 3
            """
    )

    enum Point: String, EnumerableFlag {
        case mean, sample
        static func help(for value: Point) -> ArgumentHelp? {
            value == .mean ? "Write the mean mu of q(z|x)." : "Write one draw mu + sigma·eps per molecule."
        }
    }

    @OptionGroup var options: ModelOptions

    @Option(help: "Molecules: .smi/.txt/.csv (a smiles column), optionally .gz; '-' for standard input.")
    var input: String

    @Flag var point: Point = .mean

    @Option(help: "Also write the lines that could not be encoded here (CSV line,smiles,reason).")
    var failures: String?

    @Option(help: "Molecules read and encoded per batch.")
    var batch = 1024

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        try refusePathClashes(inputs: [("--input", input), ("--model", options.model)],
                              outputs: [("--out", options.out), ("--failures", failures)])
    }

    func run() throws {
        let group = ProcessGroup.world
        try RankedRun.run("encode", group: group) { try encode(group: group) }
    }

    /// Under mpirun every rank reads the input; of each `size` consecutive batches rank r
    /// encodes batch r into finished CSV text, and rank 0 writes them in rank order, i.e. in
    /// input order. Whole batches, because a batch's latents depend (in the last bits) on which
    /// molecules share it: this keeps the output byte-identical to one process's.
    func encode(group: ProcessGroup) throws {
        let (trained, reader) = try RankAgreement.prepare(group: group, inputs: [input, options.model]) {
            (try options.load(), try SMILESReader(path: input))
        }
        let encoder = LatentEncoder(trained)
        let mode: EncodingMode = point == .mean ? .mean : .sample(seed: options.seed)
        let root = group.isRoot
        // Opened (and at the end committed) collectively: a bad --out is one error on every rank.
        let (sink, failureSink) = try group.collectively {
            root ? (try CSVSink(path: options.out), try failures.map { try CSVSink(path: $0) }) : (nil, nil)
        }
        try sink?.write(LatentCSV.header(dimension: trained.model.config.latent))
        try failureSink?.write("line,smiles,reason\n")
        let progress = ProgressLine(silent: !root)
        var records = 0, encoded = 0, failed = 0
        let shown = 20
        let place = input == "-" ? "<stdin>" : input
        while true {
            let round = try RankRound.read(reader, batch: batch, group: group)
            if round.records.isEmpty { break }
            let batchRecords = round.records, share = round.mine
            let mine = Array(batchRecords[share])
            // Per record: "+" and its CSV row, or "-" and the reason it could not be encoded.
            let texts = zip(mine.indices, encoder.encode(mine.map(\.smiles))).map { k, outcome in
                switch outcome {
                case .success(let molecule):
                    let index = records + share.lowerBound + k
                    return "+" + LatentCSV.row(smiles: mine[k].smiles, latent: molecule.latent.point(mode, index: index))
                case .failure(let failure):
                    return "-" + failure.description
                }
            }
            let all = group.gatherBlocks(texts)
            records += batchRecords.count
            guard let all else { continue }
            for (record, text) in zip(batchRecords, all) {
                if text.hasPrefix("+") {
                    try sink?.write(String(text.dropFirst()))
                    encoded += 1
                } else {
                    let reason = String(text.dropFirst())
                    failed += 1
                    if failed <= shown { note("\(place):\(record.lineNumber): \(reason)") }
                    try failureSink?.write("\(record.lineNumber),\(CSV.escape(record.smiles)),\(CSV.escape(reason))\n")
                }
            }
            progress.update("encode: \(records) molecules, \(failed) failed")
        }
        progress.finish()
        try group.collectively {
            guard root else { return }
            if failed > shown { note("... and \(failed - shown) more lines that could not be encoded" + (failures.map { " (all in \($0))" } ?? "")) }
            try failureSink?.commit()
            guard encoded > 0 else {
                throw CommandFailure("\(place): none of the \(records) molecules could be encoded (see the reasons above); no latents written")
            }
            try sink?.commit()
        }
        guard root else { return }
        note("encode: \(encoded) of \(records) molecules encoded (\(point.rawValue)), \(failed) failed; "
             + "\(trained.model.config.latent) dimensions; \(fixed(Double(records) / max(progress.elapsed, 1e-9), 1)) molecules/s; model \(trained.path)")
    }
}
