import ArgumentParser
import Foundation
import MolVAE

/// `molvae decode`: latent points to molecules.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode latent points (a CSV as molvae encode writes it) into molecules.",
        discussion: """
            --latents is a CSV whose header names z0 … z{D-1} (D: the model's latent size; any \
            other column, such as smiles, is ignored); every row is checked (dimension, numbers, \
            finite) and an error names the line. Strategies: --tries K (default 10) decodes each \
            point K times at --temperature and keeps the most frequent valid molecule (ties: \
            the first seen); --greedy takes the likeliest token at each step; --beam W runs beam \
            search of width W (sum of log-probabilities). Writes CSV \
            row,smiles,valid,frequency,valid_fraction,log_likelihood: row is the point's \
            position in the table (from 0); smiles is canonical when valid; frequency is the \
            share of tries that gave the chosen molecule, valid_fraction the share that were \
            valid; log_likelihood (beam only) is log p(smiles | z).

            Examples:
              molvae decode --latents latents.csv --out decoded.csv
              molvae decode --latents latents.csv --beam 5 --out decoded.csv
            """
    )

    @OptionGroup var options: ModelOptions

    @OptionGroup var decoding: DecodingOptions

    @Option(help: "Latent table: CSV with columns z0 … z{D-1} (optionally .gz; '-' for standard input).")
    var latents: String

    @Option(help: "Stochastic decodings per point; the most frequent valid molecule wins (default 10).")
    var tries: Int?

    @Flag(help: "Greedy decoding: the likeliest token at every step.")
    var greedy = false

    @Option(help: "Beam search of this width.")
    var beam: Int?

    @Option(help: "Softmax temperature of --tries.")
    var temperature: Float = 1

    @Option(help: "With --tries: draw each token among the K likeliest only.")
    var topK: Int?

    func validate() throws {
        let chosen = [tries != nil, greedy, beam != nil].filter { $0 }.count
        guard chosen <= 1 else { throw ValidationError("choose one strategy: --tries K, --greedy or --beam W") }
        if let tries, tries < 1 { throw ValidationError("--tries must be at least 1") }
        if let beam, beam < 1 { throw ValidationError("--beam must be at least 1") }
        guard temperature > 0, temperature.isFinite else { throw ValidationError("--temperature must be a positive number, e.g. 1 or 0.7") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1") }
        if topK != nil && (greedy || beam != nil) { throw ValidationError("--top-k applies to --tries only") }
        try refusePathClashes(inputs: [("--latents", latents), ("--model", options.model)], outputs: [("--out", options.out)])
    }

    var strategy: DecodingStrategy {
        if greedy { return .greedy }
        if let beam { return .beam(width: beam) }
        return .tries(tries ?? 10, temperature: temperature, topK: topK)
    }

    func run() throws {
        let trained = try options.load()
        let rows = try LatentTableReader(path: latents, dimension: trained.model.config.latent).readAll()
        guard !rows.isEmpty else { throw CommandFailure("\(latents): no latent rows after the header") }
        let decoder = LatentDecoder(trained, masks: decoding.masks)
        let strategy = self.strategy
        let progress = ProgressLine()
        let sink = try CSVSink(path: options.out)
        try sink.write("row,smiles,valid,frequency,valid_fraction,log_likelihood\n")
        let chunk = 256
        var valid = 0
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + chunk)
            let z = rows[start..<end].flatMap(\.values)
            let decoded = decoder.decode(latents: z, count: end - start, strategy: strategy, seed: options.seed, firstIndex: start)
            for (i, m) in decoded.enumerated() {
                if m.isValid { valid += 1 }
                let ll = m.logLikelihood.map { String(format: "%.6f", $0) } ?? ""
                try sink.write("\(start + i),\(CSV.escape(m.smiles)),\(m.isValid ? 1 : 0),\(fixed(m.frequency)),"
                               + "\(fixed(Double(m.validCount) / Double(max(1, m.tries)))),\(ll)\n")
            }
            start = end
            progress.update("decode: \(start)/\(rows.count) points")
        }
        try sink.commit()
        progress.finish()
        note("decode: \(rows.count) points, \(valid) valid (\(fixed(Double(valid) / Double(rows.count)))) by \(strategy.name); "
             + "\(fixed(Double(rows.count) / max(progress.elapsed, 1e-9), 1)) points/s; model \(trained.path), seed \(options.seed), "
             + decoding.summary(for: trained))
    }
}
