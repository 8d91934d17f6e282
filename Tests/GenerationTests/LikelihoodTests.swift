import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite struct LikelihoodTests {
    /// Summed over the batch, −log p(x | z = mu) is forward's reconstruction loss times the batch.
    @Test func perMoleculeLikelihoodMatchesTheBatchLoss() throws {
        let tiny = try TinyModel.load()
        let model = tiny.model
        var sequences = try TinyModel.molecules.map { try tiny.vocabulary.encode($0) }
        sequences.append(Array(sequences[2].prefix(5)))   // a short, unfinished-looking prefix too
        let batch = TokenBatch(sequences: sequences)
        let (mu, _) = model.encode(batch)
        let ll = model.logLikelihoods(of: batch, latents: mu)
        let loss = model.forward(batch, epsilon: .zero)
        let total = -ll.reduce(0, +), expected = loss.recon * Double(batch.count)
        #expect(abs(total - expected) <= 1e-4 * abs(expected), "\(total) vs \(expected)")
        #expect(ll.allSatisfy { $0 < 0 && $0.isFinite })
        // Per molecule, not just in sum: each alone gives its in-batch value.
        for i in [0, 5, sequences.count - 1] {
            let lat = model.config.latent
            let one = model.logLikelihoods(of: TokenBatch(sequences: [sequences[i]]), latents: Array(mu[(i * lat)..<((i + 1) * lat)]))
            #expect(abs(one[0] - ll[i]) <= 1e-4 * abs(ll[i]))
        }
        // A memorised molecule is far likelier under its own mean than under another's.
        let lat = model.config.latent
        let swapped = Array(mu[lat..<(2 * lat)]) + Array(mu[0..<lat])
        let other = model.logLikelihoods(of: TokenBatch(sequences: Array(sequences[0..<2])), latents: swapped)
        #expect(other[0] < ll[0] - 1 && other[1] < ll[1] - 1)
    }

    /// Beam search finds sequences at least as likely as greedy decoding; width 1 is greedy; the
    /// step decoder's scores agree with teacher forcing.
    @Test func beamSearchIsAtLeastAsLikelyAsGreedy() throws {
        let tiny = try TinyModel.load()
        let model = tiny.model
        let (z, count) = try testLatents(tiny, prior: 20)
        let decoder = LatentDecoder(tiny)
        let greedy = decoder.decode(latents: z, count: count, strategy: .greedy)
        let finished = model.sample(latents: z, count: count, maxSteps: decoder.maxSteps, greedy: true,
                                    syntaxMask: decoder.activeSyntaxMask).finished
        let greedyLL = model.logLikelihoods(of: TokenBatch(sequences: greedy.map(\.tokens)), latents: z)
        for width in [1, 3, 6] {
            let beam = decoder.decode(latents: z, count: count, strategy: .beam(width: width))
            let beamLL = model.logLikelihoods(of: TokenBatch(sequences: beam.map(\.tokens)), latents: z)
            for p in 0..<count {
                let reported = beam[p].logLikelihood!
                #expect(abs(reported - beamLL[p]) < 1e-3 * max(1, abs(beamLL[p])), "width \(width) point \(p)")
                if width == 1 { #expect(beam[p].tokens == greedy[p].tokens, "point \(p)") }
                // A beam can drop the greedy prefix, so this holds by the tiny model's luck: with
                // OpenBLAS's Haswell kernels (OPENBLAS_CORETYPE=Haswell, or an AMD Zen machine)
                // one point loses it.
                if finished[p] {
                    withKnownIssue("beam lost the greedy path under the Haswell kernels' rounding", isIntermittent: true) {
                        #expect(beamLL[p] >= greedyLL[p] - 1e-4, "width \(width) point \(p): \(beamLL[p]) < \(greedyLL[p])")
                    } when: { EngineThreads.blasRunsHaswellKernels }
                }
            }
        }
        // The tiny model's memorised molecules are what a wide beam finds from their means.
        let beam = decoder.decode(latents: Array(z.prefix(12 * model.config.latent)), count: 12, strategy: .beam(width: 4))
        #expect(zip(beam, TinyModel.molecules).filter { $0.canonical == $1 }.count >= 10)
    }
}
