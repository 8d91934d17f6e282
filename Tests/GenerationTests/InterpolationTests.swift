import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite struct InterpolationTests {
    /// Two memorised molecules that greedy decoding gives back from their means.
    static func reconstructedPair(_ tiny: TrainedModel) throws -> (String, String) {
        let encoded = try LatentEncoder(tiny).encode(TinyModel.molecules).map { try $0.get() }
        let decoded = LatentDecoder(tiny).decode(latents: encoded.flatMap(\.latent.mu), count: encoded.count, strategy: .greedy)
        let back = zip(encoded, decoded).filter { $0.molecule.canonical == $1.canonical }.map(\.0.molecule.canonical)
        try #require(back.count >= 2, "the tiny model should reconstruct at least two molecules")
        return (back[0], back[back.count - 1])
    }

    /// On memorised molecules the path starts at the `from` molecule and ends at the `to` one.
    @Test(arguments: InterpolationMethod.allCases)
    func endpointsDecodeToTheirMolecules(method: InterpolationMethod) throws {
        let tiny = try TinyModel.load()
        let (from, to) = try Self.reconstructedPair(tiny)
        let path = try Interpolator(steps: 6, method: method, strategy: .tries(10), seed: 3).run(tiny, from: from, to: to)
        #expect(path.steps.map(\.t) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(path.steps.first!.smiles == from)
        #expect(path.steps.last!.smiles == to)
        #expect(path.steps.first!.similarityFrom == 1)
        #expect(path.steps.last!.similarityTo == 1)
        // Every valid step has its properties and similarities; invalid ones have none.
        for step in path.steps {
            #expect(step.valid == (step.similarityFrom != nil))
            if step.valid { #expect(step.profile?.qed != nil && step.profile?.logP != nil && step.profile?.sa != nil) }
        }
        // The CSV: header, one row per step, 8 fields each, empty fields exactly where invalid.
        let lines = path.csv.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first == "t,smiles,valid,sim_from,sim_to,logp,qed,sa")
        #expect(lines.count == 7)
        #expect(lines[1].hasPrefix("0.0,\(from),1,1.0,"))
        for (line, step) in zip(lines.dropFirst(), path.steps) {
            let fields = CSVFields.split(String(line))
            #expect(fields.count == 8)
            #expect(fields[3].isEmpty == !step.valid)
        }
    }

    /// Slerp between real encodings keeps every point's norm between the endpoints' norms.
    @Test func slerpPointsOfRealEncodingsKeepTheirNorm() throws {
        let tiny = try TinyModel.load()
        let path = try Interpolator(steps: 9, method: .slerp, strategy: .greedy).run(tiny, from: TinyModel.molecules[1], to: TinyModel.molecules[8])
        let a = LatentPath.norm(path.steps.first!.z), b = LatentPath.norm(path.steps.last!.z)
        for step in path.steps {
            let n = LatentPath.norm(step.z)
            #expect(n >= min(a, b) - 1e-4 && n <= max(a, b) + 1e-4, "t=\(step.t): \(n) outside [\(min(a, b)), \(max(a, b))]")
        }
    }

    @Test func stripSVGHasOnePanelPerStepAndParses() throws {
        let tiny = try TinyModel.load()
        let (from, to) = try Self.reconstructedPair(tiny)
        let path = try Interpolator(steps: 5, method: .linear, strategy: .tries(4), seed: 1).run(tiny, from: from, to: to)
        let svg = InterpolationStripSVG.render(path)
        let parsed = SVGElementCounter.parse(svg)
        #expect(parsed.parseError == nil, "\(String(describing: parsed.parseError))")
        #expect(parsed.counts["g"] == 5)
        // One root plus one nested RDKit drawing per valid step.
        #expect(parsed.counts["svg"] == 1 + path.validCount)
        #expect(parsed.texts.contains("t = 0.00") && parsed.texts.contains("t = 1.00"))
        #expect(parsed.texts.contains("sim from 1.00 · to \(String(format: "%.2f", path.steps[0].similarityTo!))"))
        #expect(!svg.contains("<?xml version") || svg.hasPrefix("<?xml"))
    }

    /// An endpoint the model cannot take names the argument and the reason.
    @Test func badEndpointsAreNamedWithTheirReason() throws {
        let tiny = try TinyModel.load()
        let run = Interpolator(steps: 3, method: .linear, strategy: .greedy)
        do {
            _ = try run.run(tiny, from: "C1CC", to: TinyModel.molecules[0], fromRole: "--from", toRole: "--to")
            Issue.record("an unclosed ring should not encode")
        } catch {
            #expect(error.role == "--from")
            guard case .invalidSMILES = error.failure else { Issue.record("\(error)"); return }
            #expect(error.description.hasPrefix("--from \"C1CC\" cannot be encoded: invalid SMILES"))
        }
        do {
            _ = try run.run(tiny, from: TinyModel.molecules[0], to: "CCBr", fromRole: "--from", toRole: "--to")
            Issue.record("Br is outside the tiny vocabulary")
        } catch {
            #expect(error.role == "--to")
            #expect(error.failure == .unknownToken(token: "Br", canonical: "CCBr"))
            #expect(error.description.contains("unknown token \"Br\""))
        }
    }

    @Test func aMissingModelIsAClearError() {
        let path = "/nonexistent/model-\(UUID().uuidString).safetensors"
        #expect { try TrainedModel.load(path: path) } throws: { "\($0)" == "\(path): no such model file" }
    }
}
