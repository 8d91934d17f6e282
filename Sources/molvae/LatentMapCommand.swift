import ArgumentParser
import Foundation
import MolVAE

/// `molvae latent-map`: a 2-D picture of where molecules sit in the latent space.
struct LatentMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latent-map",
        abstract: "Draw molecules' latent means projected on their first two principal components.",
        discussion: """
            Reads --input (all of it when it has at most --n molecules, else a uniform random \
            sample of --n drawn with --seed), canonicalises and encodes each molecule to its mean \
            mu, and projects the means on the top two eigenvectors of their covariance (PCA; \
            LAPACK dsyev). Writes --out, a self-contained SVG scatter plot: one dot per encodable \
            molecule coloured by RDKit's --color-by property (logp, qed or sa) with a colour bar, \
            axes labelled with the share of the latent variance each component explains, each \
            dot's SMILES and value shown on hover. --csv writes smiles,pc1,pc2,<property> (the \
            last column named logp, qed or sa). Lines that cannot be encoded are listed on \
            standard error with their line numbers and left off the map.

            Example:
              molvae latent-map --input Data/moses-test-10k.smi.gz --n 2000 --color-by qed --out map.svg --csv map.csv
            """
    )

    @Option(help: "Model file (.safetensors from molvae train; default: the shipped Models/default.safetensors).")
    var model: String?

    @Option(help: "Molecules: .smi/.txt/.csv (a smiles column), optionally .gz; '-' for standard input.")
    var input: String

    @Option(name: .shortAndLong, help: "The SVG map, written atomically.")
    var out: String

    @Option(help: "Colour the dots by logp, qed or sa.")
    var colorBy = "logp"

    @Option(help: "Molecules on the map at most (a seeded random sample of a larger file).")
    var n = 2000

    @Option(help: "Also write smiles,pc1,pc2,<property> here (CSV, atomically).")
    var csv: String?

    @Option(help: "Seed of the random sample when the file has more than --n molecules.")
    var seed: UInt64 = 0

    @Option(help: "Threads: the encoder's, OpenBLAS's and RDKit's together.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard MapProperty(rawValue: colorBy) != nil else {
            throw ValidationError("--color-by must be logp, qed or sa (got \"\(colorBy)\")")
        }
        guard n >= 2 else { throw ValidationError("--n must be at least 2: principal components need two molecules") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        try refusePathClashes(inputs: [("--input", input), ("--model", model)], outputs: [("--out", out), ("--csv", csv)])
    }

    func run() throws {
        EngineThreads.set(threads)
        let trained = try TrainedModel.load(path: model)
        let started = Date()
        let (records, total) = try RecordSample.draw(path: input, n: n, seed: seed)
        let outcomes = LatentEncoder(trained).encode(records.map(\.smiles))
        let place = input == "-" ? "<stdin>" : input
        var molecules: [EncodedMolecule] = []
        var failed = 0
        for (record, outcome) in zip(records, outcomes) {
            switch outcome {
            case .success(let m): molecules.append(m)
            case .failure(let f):
                failed += 1
                if failed <= 20 { note("\(place):\(record.lineNumber): \(f)") }
            }
        }
        if failed > 20 { note("... and \(failed - 20) more lines that could not be encoded") }
        guard molecules.count >= 2 else {
            throw CommandFailure("\(place): \(molecules.count) of \(records.count) molecules could be encoded; a map needs at least 2")
        }
        let map = try LatentMap(molecules: molecules, property: MapProperty(rawValue: colorBy)!, threads: threads)
        let name = (input as NSString).lastPathComponent
        try AtomicFile.write(map.svg(title: "Latent map of \(molecules.count) molecules from \(name)"), to: out)
        if let csv { try AtomicFile.write(map.csv, to: csv) }
        let sampled = total > records.count ? " (a random sample of \(records.count) of \(total), seed \(seed))" : ""
        note("latent-map: \(molecules.count) molecules mapped\(sampled), \(failed) could not be encoded; "
             + "PC1 \(fixed(map.explained.0 * 100, 1)) %, PC2 \(fixed(map.explained.1 * 100, 1)) % of the latent variance; "
             + "\(fixed(Date().timeIntervalSince(started), 1)) s; model \(trained.path)")
    }
}
