import ArgumentParser
import Foundation
import MolVAE

/// `molvae reconstruct`: the reconstruction accuracy of a model on a set of molecules.
struct ReconstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconstruct",
        abstract: "Measure reconstruction accuracy (the Gómez-Bombarelli / JT-VAE protocol).",
        discussion: """
            Each molecule is encoded --encodes times stochastically (z = mu + sigma·eps) and each \
            point decoded --decodes times at temperature 1; its stochastic accuracy is the \
            fraction of those decodings whose RDKit canonical SMILES equals the input's. Also \
            whether greedy decoding of mu (and with --beam W, beam search from mu) gives the \
            input back. Writes CSV smiles,stochastic_accuracy,greedy_match,beam_match per \
            molecule; the summary (mean accuracies) goes to standard error and, as JSON, to \
            --summary. Molecules that cannot be encoded are listed with their line and left \
            out of the accuracies. --n takes the first N molecules of the file.

            Examples:
              molvae reconstruct --input Data/moses-test-10k.smi.gz --n 1000 --beam 5 --out recon.csv --summary recon.json
              molvae reconstruct --input my.smi --encodes 5 --decodes 5
            """
    )

    @OptionGroup var options: ModelOptions

    @OptionGroup var decoding: DecodingOptions

    @Option(help: "Molecules: .smi/.txt/.csv (a smiles column), optionally .gz; '-' for standard input.")
    var input: String

    @Option(help: "Stochastic encodings per molecule.")
    var encodes = 10

    @Option(help: "Stochastic decodings per encoding (temperature 1).")
    var decodes = 10

    @Option(help: "Also decode mu by beam search of this width.")
    var beam: Int?

    @Option(help: "Use only the first N molecules of the file.")
    var n: Int?

    @Option(help: "Write the summary as JSON here too.")
    var summary: String?

    @Option(help: "Molecules per batch.")
    var batch = 64

    func validate() throws {
        guard encodes >= 1, decodes >= 1 else { throw ValidationError("--encodes and --decodes must be at least 1") }
        if let beam, beam < 1 { throw ValidationError("--beam must be at least 1") }
        if let n, n < 1 { throw ValidationError("--n must be at least 1") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        try refusePathClashes(inputs: [("--input", input), ("--model", options.model)],
                              outputs: [("--out", options.out), ("--summary", summary)])
    }

    func run() throws {
        let trained = try options.load()
        let encoder = LatentEncoder(trained)
        let decoder = LatentDecoder(trained, masks: decoding.masks)
        let method = ReconstructionProtocol(encodes: encodes, decodes: decodes, beamWidth: beam, seed: options.seed)
        var totals = ReconstructionSummary(protocol: method)
        let sink = try CSVSink(path: options.out)
        try sink.write("smiles,stochastic_accuracy,greedy_match,beam_match\n")
        let progress = ProgressLine()
        let place = input == "-" ? "<stdin>" : input
        let reader = try SMILESReader(path: input)
        var index = 0
        while n.map({ index < $0 }) ?? true {
            let records = try reader.nextBatch(maxCount: min(batch, (n ?? Int.max) - index))
            if records.isEmpty { break }
            let outcomes = encoder.encode(records.map(\.smiles))
            var usable: [EncodedMolecule] = []
            for (record, outcome) in zip(records, outcomes) {
                switch outcome {
                case .success(let m): usable.append(m)
                case .failure(let f):
                    totals.addFailure()
                    note("\(place):\(record.lineNumber): \(f)")
                }
            }
            // Run indices count usable molecules, so a failure does not shift later molecules' draws.
            let results = method.run(usable, decoder: decoder, firstIndex: totals.molecules)
            for r in results {
                totals.add(r)
                let beamText = r.beamMatch.map { $0 ? "1" : "0" } ?? ""
                try sink.write("\(CSV.escape(r.molecule.input)),\(fixed(r.stochasticAccuracy)),\(r.greedyMatch ? 1 : 0),\(beamText)\n")
            }
            index += records.count
            progress.update("reconstruct: \(totals.molecules) molecules, stochastic \(fixed(totals.stochasticAccuracy, 3)), "
                            + "greedy \(fixed(totals.greedyAccuracy, 3))")
        }
        progress.finish()
        guard totals.molecules > 0 else {
            throw CommandFailure("\(place): none of the \(totals.failures) molecules could be encoded (see the reasons above)")
        }
        try sink.commit()
        let seconds = progress.elapsed
        if let summary { try AtomicFile.write(try summaryJSON(totals, model: trained.path, seconds: seconds), to: summary) }
        var line = "reconstruct: \(totals.molecules) molecules (\(totals.failures) could not be encoded); "
            + "stochastic accuracy \(fixed(totals.stochasticAccuracy)) (\(encodes) encodings × \(decodes) decodings), "
            + "greedy accuracy \(fixed(totals.greedyAccuracy))"
        if let beam, let b = totals.beamAccuracy { line += ", beam \(beam) accuracy \(fixed(b))" }
        note(line + "; \(fixed(seconds, 1)) s; model \(trained.path), seed \(options.seed), \(decoding.summary(for: trained))")
    }

    func summaryJSON(_ totals: ReconstructionSummary, model: String, seconds: Double) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var object = try JSONSerialization.jsonObject(with: encoder.encode(totals)) as? [String: Any] ?? [:]
        object["model"] = model
        object["input"] = input
        object["seconds"] = (seconds * 1000).rounded() / 1000
        object["threads"] = options.threads
        object["syntax_mask"] = decoding.syntaxMask
        object["valence_mask"] = decoding.valenceMask
        object["protocol"] = "Gómez-Bombarelli et al. 2018 / JT-VAE: \(encodes) stochastic encodings x \(decodes) decodings at temperature 1"
        var data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(contentsOf: "\n".utf8)
        return data
    }
}
