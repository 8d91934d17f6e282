import ArgumentParser
import Foundation
import MolVAE

/// `molvae interpolate`: the molecules on a latent path between two molecules.
struct InterpolateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpolate",
        abstract: "Walk the latent space from one molecule to another and decode each step.",
        discussion: """
            Both molecules are canonicalised by RDKit and encoded to their means; --steps points \
            from t = 0 (--from) to t = 1 (--to) inclusive are taken on the straight line \
            (--method linear) or by spherical interpolation (--method slerp: the direction turns \
            at constant angular speed while the norm goes linearly from one endpoint's to the \
            other's). Each point is decoded --tries times at temperature 1 and the most frequent \
            valid molecule kept. Writes CSV t,smiles,valid,sim_from,sim_to,logp,qed,sa: smiles \
            canonical when valid; sim_from/sim_to the Tanimoto similarity (Morgan radius 2, 2048 \
            bits) to the two given molecules; RDKit's logP, QED and SA; empty fields when the \
            step is invalid. --svg draws the path as a strip of depictions with t and the \
            similarities under each (one self-contained SVG).

            Example:
              molvae interpolate --from "CCC(=O)c1ccc(OCC(O)CO)c(OC)c1" --to "O=C(c1ccccc1Nc1ccncc1)N1CCCCC1" \\
                --steps 8 --method slerp --out path.csv --svg path.svg
            """
    )

    @OptionGroup var options: ModelOptions

    @OptionGroup var decoding: DecodingOptions

    @Option(help: "The molecule at t = 0 (SMILES).")
    var from: String

    @Option(help: "The molecule at t = 1 (SMILES).")
    var to: String

    @Option(help: "Points on the path, endpoints included (at least 2).")
    var steps = 10

    @Option(help: "Path: linear or slerp.")
    var method = "linear"

    @Option(help: "Stochastic decodings per point; the most frequent valid molecule wins.")
    var tries = 10

    @Option(help: "Also draw the path as an SVG strip of depictions here.")
    var svg: String?

    func validate() throws {
        guard InterpolationMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be linear or slerp (got \"\(method)\")")
        }
        guard (2...1000).contains(steps) else {
            throw ValidationError("--steps must be between 2 and 1000: the path includes both endpoints, e.g. --steps 10")
        }
        guard (1...10_000).contains(tries) else { throw ValidationError("--tries must be between 1 (one decoding per point) and 10000") }
        try refusePathClashes(inputs: [("--model", options.model)], outputs: [("--out", options.out), ("--svg", svg)])
    }

    func run() throws {
        let trained = try options.load()
        let started = Date()
        let interpolator = Interpolator(steps: steps, method: InterpolationMethod(rawValue: method)!, strategy: .tries(tries),
                                        seed: options.seed, masks: decoding.masks)
        let path = try interpolator.run(trained, from: from, to: to, fromRole: "--from", toRole: "--to")
        let sink = try CSVSink(path: options.out)
        try sink.write(path.csv)
        try sink.commit()
        if let svg { try AtomicFile.write(InterpolationStripSVG.render(path), to: svg) }
        let distinct = Set(path.steps.filter(\.valid).map(\.smiles)).count
        let length = LatentPath.distance(path.steps.first!.z, path.steps.last!.z)
        note("interpolate: \(steps) steps (\(method)), \(path.validCount) valid, \(distinct) distinct molecules; "
             + "endpoints \(fixed(length, 2)) apart in latent space; \(fixed(Date().timeIntervalSince(started), 1)) s; "
             + "model \(trained.path), seed \(options.seed), \(decoding.summary(for: trained))")
    }
}
