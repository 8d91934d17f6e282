import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

@Suite struct NeighborsTests {
    @Test func directionsAreUnitLengthSeededAndDistinct() {
        let a = SphereDirections.direction(index: 0, dimension: 32, seed: 9)
        let again = SphereDirections.direction(index: 0, dimension: 32, seed: 9)
        let b = SphereDirections.direction(index: 1, dimension: 32, seed: 9)
        let otherSeed = SphereDirections.direction(index: 0, dimension: 32, seed: 10)
        #expect(abs(LatentPath.norm(a) - 1) < 1e-5)
        #expect(a == again)
        #expect(a != b && a != otherSeed)
        let centre: [Float] = (0..<32).map { Float($0) * 0.1 }
        let p = SphereDirections.point(around: centre, radius: 2.5, index: 4, seed: 9)
        #expect(abs(LatentPath.distance(p, centre) - 2.5) < 1e-4)
    }

    /// Uniform on the sphere: the mean of many directions is near zero in every coordinate.
    @Test func directionsHaveNoPreferredSide() {
        let d = 8, n = 4000
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n {
            let u = SphereDirections.direction(index: i, dimension: d, seed: 1)
            for j in 0..<d { mean[j] += Double(u[j]) / Double(n) }
        }
        // Each coordinate has variance 1/d; the mean's sd is sqrt(1/(d n)) ≈ 0.0056.
        #expect(mean.allSatisfy { abs($0) < 0.03 }, "\(mean)")
    }
}

@Suite struct NeighborSearchTests {
    /// A radius on the scale of the tiny model's latent space: half the median distance
    /// between the memorised molecules' means.
    static func radius(_ tiny: TrainedModel) throws -> Double {
        let mus = try LatentEncoder(tiny).encode(TinyModel.molecules).map { try $0.get().latent.mu }
        var distances: [Double] = []
        for i in 0..<mus.count { for j in (i + 1)..<mus.count { distances.append(LatentPath.distance(mus[i], mus[j])) } }
        return distances.sorted()[distances.count / 2] / 2
    }

    @Test func neighboursAreDistinctValidExcludeTheStartAndAreSorted() throws {
        let tiny = try TinyModel.load()
        let start = TinyModel.molecules[0]
        let search = NeighborSearch(radius: try Self.radius(tiny), count: 4, maxPoints: 400, seed: 2, batchSize: 64)
        let result = try search.run(tiny, around: start)
        #expect(!result.neighbors.isEmpty, "some valid neighbour should turn up in 400 points")
        #expect(result.neighbors.count <= 4)
        if result.neighbors.count < 4 { #expect(result.pointsUsed == 400) }
        let smiles = result.neighbors.map(\.smiles)
        #expect(Set(smiles).count == smiles.count)
        #expect(!smiles.contains(start))
        for n in result.neighbors {
            #expect((try? Molecule(smiles: n.smiles).canonicalSMILES) == n.smiles)
            #expect(n.similarity >= 0 && n.similarity < 1 || n.similarity == 1 && n.smiles != start)
            #expect(n.distance.map { $0 > 0 } ?? true)
        }
        #expect(zip(result.neighbors, result.neighbors.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
        #expect(result.validDecodings <= result.pointsUsed)

        // The CSV has a header and one row per neighbour in the same order.
        let lines = result.csv.split(separator: "\n")
        #expect(lines.first == "smiles,similarity,distance,logp,qed,sa")
        #expect(lines.dropFirst().map { CSVFields.split(String($0))[0] } == smiles)
    }

    /// The same seed finds the same neighbours however many points are decoded at a time.
    @Test func resultDoesNotDependOnTheBatchSize() throws {
        let tiny = try TinyModel.load()
        let radius = try Self.radius(tiny)
        let a = try NeighborSearch(radius: radius, count: 3, maxPoints: 200, seed: 5, batchSize: 7).run(tiny, around: TinyModel.molecules[3])
        let b = try NeighborSearch(radius: radius, count: 3, maxPoints: 200, seed: 5, batchSize: 200).run(tiny, around: TinyModel.molecules[3])
        #expect(a.neighbors.map(\.smiles) == b.neighbors.map(\.smiles))
        #expect(a.neighbors.map(\.pointIndex) == b.neighbors.map(\.pointIndex))
        #expect(a.pointsUsed == b.pointsUsed && a.validDecodings == b.validDecodings)
    }

    /// At radius 0 every point is the start's mean, which decodes to the start: no neighbours,
    /// and the whole try budget is spent.
    @Test func radiusZeroFindsOnlyTheStart() throws {
        let tiny = try TinyModel.load()
        let (start, _) = try InterpolationTests.reconstructedPair(tiny)
        let result = try NeighborSearch(radius: 0, count: 3, maxPoints: 20, seed: 1).run(tiny, around: start)
        #expect(result.neighbors.isEmpty)
        #expect(result.pointsUsed == 20)
        #expect(result.startDecodings == 20)
    }

    @Test func anInvalidStartIsNamed() throws {
        let tiny = try TinyModel.load()
        #expect { try NeighborSearch(radius: 1, count: 1, maxPoints: 1).run(tiny, around: "c1cccc1", role: "--around") } throws: {
            "\($0)".hasPrefix("--around \"c1cccc1\" cannot be encoded: invalid SMILES")
        }
    }
}
