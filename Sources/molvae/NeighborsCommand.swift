import ArgumentParser
import Foundation
import MolVAE

/// `molvae neighbors`: molecules decoded from points around one molecule's encoding.
struct NeighborsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neighbors",
        abstract: "Find molecules near a molecule in the latent space.",
        discussion: """
            The molecule is canonicalised and encoded to its mean mu. Points mu + r·u are \
            decoded greedily, u a random direction uniform on the unit sphere, so every point is \
            exactly --radius r from mu in the latent space's own units (Euclidean; the prior \
            N(0, I) puts typical points about sqrt(latent dimensions) from the origin). Points \
            are drawn until --n distinct valid molecules other than the start are found or \
            --tries points have been decoded; the i-th point depends only on --seed and i. \
            Writes CSV smiles,similarity,distance,logp,qed,sa sorted by similarity, most similar \
            first: similarity is the Tanimoto similarity (Morgan radius 2, 2048 bits) to the \
            start; distance is the latent distance from the start's mean to the neighbour's own \
            mean (the neighbour encoded in turn; empty if it cannot be). If fewer than --n are \
            found, those are written and the exit status is 1.

            Example:
              molvae neighbors --around "CC(=O)Oc1ccccc1C(=O)O" --radius 2 --n 20 --out near.csv
            """
    )

    @OptionGroup var options: ModelOptions

    @OptionGroup var decoding: DecodingOptions

    @Option(help: "The molecule to search around (SMILES).")
    var around: String

    @Option(help: "Distance r of the decoded points from the molecule's mean, in latent units.")
    var radius = 1.0

    @Option(help: "Distinct valid neighbours wanted.")
    var n = 10

    @Option(help: "Give up after decoding this many points (default 100 × --n).")
    var tries: Int?

    func validate() throws {
        guard radius.isFinite, radius >= 0 else { throw ValidationError("--radius must be a non-negative number, e.g. --radius 1.5") }
        guard (1...100_000).contains(n) else { throw ValidationError("--n must be between 1 and 100000") }
        if let tries, tries > 100_000_000 { throw ValidationError("--tries must be at most 100000000") }
        if let tries, tries < n {
            throw ValidationError("--tries \(tries) is below --n \(n): each decoded point yields at most one neighbour")
        }
        try refusePathClashes(inputs: [("--model", options.model)], outputs: [("--out", options.out)])
    }

    func run() throws {
        let trained = try options.load()
        let started = Date()
        let limit = tries ?? 100 * n
        let search = NeighborSearch(radius: radius, count: n, maxPoints: limit, seed: options.seed, masks: decoding.masks)
        let result = try search.run(trained, around: around, role: "--around")
        let sink = try CSVSink(path: options.out)
        try sink.write(result.csv)
        try sink.commit()
        let similarities = result.neighbors.map(\.similarity)
        note("neighbors: \(result.neighbors.count) of \(n) found around \(result.start.molecule.canonical) at radius \(radius) "
             + "in \(result.pointsUsed) points (\(result.validDecodings) valid, \(result.startDecodings) decoded back to the start); "
             + (similarities.isEmpty ? "" : "similarity \(fixed(similarities.last!, 2))–\(fixed(similarities.first!, 2)); ")
             + "\(fixed(Date().timeIntervalSince(started), 1)) s; model \(trained.path), seed \(options.seed), \(decoding.summary(for: trained))")
        if result.neighbors.count < n {
            var hint = "a larger --tries"
            if radius == 0 { hint = "a --radius above 0 (every point is the molecule's own mean)" }
            else if result.startDecodings * 2 > result.pointsUsed { hint = "a larger --radius (most points decoded back to the start) or " + hint }
            else if result.validDecodings * 2 < result.pointsUsed { hint = "a smaller --radius (most points were invalid) or " + hint }
            throw CommandFailure("only \(result.neighbors.count) of \(n) neighbours found in \(result.pointsUsed) points; try \(hint)")
        }
    }
}
