import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite struct LatentMapTests {
    /// A map of a file with unencodable lines: one dot per encodable molecule, PCA coordinates
    /// whose spread is the reported variance, properties from RDKit.
    @Test func oneDotPerEncodableMolecule() throws {
        let tiny = try TinyModel.load()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("map-\(UUID().uuidString).smi").path
        try (["C1CC"] + TinyModel.molecules + ["CCBr"]).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var molecules: [EncodedMolecule] = [], failed: [Int] = []
        try LatentEncoder(tiny).encodeFile(at: path) { record, outcome in
            switch outcome {
            case .success(let m): molecules.append(m)
            case .failure: failed.append(record.lineNumber)
            }
        }
        #expect(failed == [1, 14])
        let map = try LatentMap(molecules: molecules, property: .qed, threads: 2)
        #expect(map.entries.count == 12)

        let svg = map.svg(title: "tiny")
        let parsed = SVGElementCounter.parse(svg)
        #expect(parsed.parseError == nil)
        #expect(parsed.counts["circle"] == 12)
        #expect(parsed.texts.contains { $0.hasPrefix("PC1 (") && $0.hasSuffix("% of latent variance)") })

        // Sample variance along PC1 is the first eigenvalue; the two coordinates are uncorrelated.
        let pc1 = map.entries.map(\.pc1), pc2 = map.entries.map(\.pc2)
        let mean1 = pc1.reduce(0, +) / 12, mean2 = pc2.reduce(0, +) / 12
        let var1 = pc1.reduce(0) { $0 + ($1 - mean1) * ($1 - mean1) } / 11
        let cov = zip(pc1, pc2).reduce(0) { $0 + ($1.0 - mean1) * ($1.1 - mean2) } / 11
        #expect(abs(var1 - map.components.variances[0]) < 1e-6 * max(1, var1))
        #expect(abs(cov) < 1e-6 * max(1, var1))
        #expect(map.explained.0 >= map.explained.1 && map.explained.0 + map.explained.1 <= 1 + 1e-9)

        let qed = try Molecule(smiles: TinyModel.molecules[0]).qed()
        #expect(map.entries[0].value == qed)
        let lines = map.csv.split(separator: "\n")
        #expect(lines.first == "smiles,pc1,pc2,qed")
        #expect(lines.count == 13)
    }

    @Test func fewerThanTwoMoleculesIsAClearError() throws {
        let tiny = try TinyModel.load()
        let one = try LatentEncoder(tiny).encode([TinyModel.molecules[0]]).map { try $0.get() }
        #expect { try LatentMap(molecules: one, property: .logp) } throws: { "\($0)".contains("at least 2 points") }
        #expect { try LatentMap(molecules: [], property: .logp) } throws: { "\($0)".contains("no molecule could be encoded") }
    }
}
