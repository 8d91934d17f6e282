import ArgumentParser
import Foundation
import MolVAE

/// `molvae score`: how typical each molecule is for the model (negative ELBO and its z-score).
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score molecules by negative ELBO: rank unusual molecules by how badly the model reconstructs them.",
        discussion: """
            For each molecule (canonicalised by RDKit, then encoded): recon = −log p(x|z), the \
            decoder's negative log-likelihood of the molecule's tokens and <eos> in nats, at \
            z = mu (default; deterministic) or averaged over --samples draws z ~ q(z|x); \
            kl = KL(q(z|x) ‖ N(0, I)) in closed form; neg_elbo = recon + kl. zscore = \
            (neg_elbo − mean) / sd, with the mean and sd of neg_elbo over a reference set scored \
            the same way: --reference FILE, by default the first --reference-size (2000) \
            molecules of the bundled Data/moses-test-10k.smi.gz (MOSES test molecules, drawn \
            from the same distribution as the training set). A high zscore marks a molecule the \
            model finds unusual. Writes CSV smiles,neg_elbo,recon,kl,zscore,line,error in input \
            order; a line that cannot be encoded has empty numbers and the reason in error (and \
            on standard error), never dropped. Exit status 1 only if no molecule could be scored.

            Example:
              molvae score --input candidates.smi --out scores.csv
              molvae score --input candidates.smi --reference my-training-subset.smi --samples 8 --seed 1
            """
    )

    @OptionGroup var options: ModelOptions

    @Option(help: "Molecules: .smi/.txt/.csv (a smiles column), optionally .gz; '-' for standard input.")
    var input: String

    @Option(help: "Reference molecules for the z-score (default: the bundled Data/moses-test-10k.smi.gz).")
    var reference: String?

    @Option(help: "Reference molecules used: the first N of the reference file.")
    var referenceSize = 2000

    @Option(help: "Draws z ~ q(z|x) averaged for recon (0: recon at z = mu).")
    var samples = 0

    @Option(help: "Molecules read and scored per batch.")
    var batch = 512

    func validate() throws {
        guard referenceSize >= 2 else { throw ValidationError("--reference-size must be at least 2 (a standard deviation needs two values)") }
        guard (0...1000).contains(samples) else { throw ValidationError("--samples must be between 0 (z = mu) and 1000") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        try refusePathClashes(inputs: [("--input", input), ("--reference", reference), ("--model", options.model)],
                              outputs: [("--out", options.out)])
    }

    func run() throws {
        let group = ProcessGroup.world
        try RankedRun.run("score", group: group) { try score(group: group) }
    }

    /// Under mpirun every rank computes the reference statistics (the same numbers; sharing that
    /// work is left for later) and reads the input; of each `size` consecutive batches rank r
    /// scores batch r into finished CSV rows (whole batches: a batch's numbers depend in the last
    /// bits on which molecules share it), and rank 0 writes them in input order.
    func score(group: ProcessGroup) throws {
        let root = group.isRoot
        let started = Date()
        // Open the input and the output first: a typo should not wait for the reference set.
        let (trained, reader, referencePath) = try RankAgreement.prepare(group: group, inputs: [input, options.model, reference]) {
            (try options.load(), try SMILESReader(path: input), try reference ?? DataFiles.path(of: "moses-test-10k.smi.gz"))
        }
        // Opened (and at the end committed) collectively: a bad --out is one error on every rank.
        let sink = try group.collectively { root ? try CSVSink(path: options.out) : nil }
        let scorer = ELBOScorer(samples: samples, seed: options.seed)
        let say: (String) -> Void = { if root { note($0) } }
        say("score: reference statistics from \(referencePath) (first \(referenceSize) molecules, \(scorer.methodDescription))")
        let (stats, skipped) = try scorer.reference(trained, path: referencePath, limit: referenceSize)
        say("score: reference neg_elbo mean \(fixed(stats.mean, 3)), sd \(fixed(stats.standardDeviation, 3)) over \(stats.count) molecules"
            + (skipped > 0 ? " (\(skipped) could not be encoded)" : ""))

        let encoder = LatentEncoder(trained)
        try sink?.write(ScoreCSV.header)
        let place = input == "-" ? "<stdin>" : input
        let shown = 20
        var scored = 0, failed = 0
        var unusual: [(smiles: String, z: Double)] = []
        while true {
            let round = try RankRound.read(reader, batch: batch, group: group)
            if round.records.isEmpty { break }
            let records = round.records
            let mine = Array(records[round.mine])
            let outcomes = encoder.encode(mine.map(\.smiles))
            let usable = outcomes.compactMap { try? $0.get() }
            // A molecule's draws are keyed by its number among the scored ones, so a rank needs
            // the count of usable molecules in the blocks before its own.
            var counts = [Int](repeating: 0, count: group.size)
            counts[group.rank] = usable.count
            if group.isParallel { group.sum(&counts) }
            let firstIndex = scored + counts[..<group.rank].reduce(0, +)
            scored += counts.reduce(0, +)
            var scores = scorer.score(usable, model: trained.model, firstIndex: firstIndex).makeIterator()
            // Per record: "+", the z-score's bits and the row; or "-", the reason and the row.
            let texts = zip(mine, outcomes).map { record, outcome -> String in
                switch outcome {
                case .success:
                    let s = scores.next()!
                    let z = stats.zScore(s.negativeELBO)
                    return "+" + String(z.bitPattern, radix: 16) + " " + ScoreCSV.row(record, score: s, zScore: z)
                case .failure(let failure):
                    return "-" + String(failure.description.count) + " " + failure.description + ScoreCSV.row(record, failure: failure)
                }
            }
            guard let all = group.gatherBlocks(texts) else { continue }
            for (record, text) in zip(records, all) {
                let body = text.dropFirst()
                let space = body.firstIndex(of: " ")!
                let head = body[..<space], rest = body[body.index(after: space)...]
                if text.hasPrefix("+") {
                    try sink?.write(String(rest))
                    unusual.append((record.smiles, Double(bitPattern: UInt64(head, radix: 16)!)))
                    unusual.sort { $0.z > $1.z }
                    if unusual.count > 3 { unusual.removeLast() }
                } else {
                    let reason = rest.prefix(Int(head)!)
                    failed += 1
                    if failed <= shown { note("\(place):\(record.lineNumber): \(reason)") }
                    try sink?.write(String(rest.dropFirst(Int(head)!)))
                }
            }
        }
        try group.collectively {
            guard root else { return }
            if failed > shown { note("... and \(failed - shown) more lines that could not be encoded (all listed in the CSV)") }
            guard scored > 0 else {
                throw CommandFailure("\(place): none of the \(failed) molecules could be encoded (see the reasons above); nothing scored")
            }
            try sink?.commit()
        }
        guard root else { return }
        let top = unusual.map { "\($0.smiles.prefix(60)) (z \(fixed($0.z, 2)))" }
        note("score: \(scored) molecules scored, \(failed) could not be encoded; most unusual: \(top.joined(separator: ", ")); "
             + "\(fixed(Date().timeIntervalSince(started), 1)) s; model \(trained.path)")
    }
}
