/// Molecules near one molecule in latent space: points mu + r·u at distance r from the
/// molecule's mean, u uniform on the unit sphere (`SphereDirections`), each decoded greedily
/// (the molecule at that point), until `count` distinct valid molecules other than the start
/// are found or `maxPoints` points have been decoded.
///
/// Point i always gets direction i of the seed and the search stops at the point that completes
/// the set, so the result does not depend on how many points are decoded per batch.
public struct NeighborSearch {
    public var radius: Double
    public var count: Int
    public var maxPoints: Int
    public var seed: UInt64
    /// Points decoded per decoder call.
    public var batchSize: Int
    /// The rules decoding applies (syntax mask, valence, canonical form).
    public var masks: DecodingMasks

    public init(radius: Double, count: Int, maxPoints: Int, seed: UInt64 = 0, batchSize: Int = 128, masks: DecodingMasks = DecodingMasks()) {
        precondition(radius.isFinite && radius >= 0 && count >= 1 && maxPoints >= 1 && batchSize >= 1)
        self.radius = radius
        self.count = count
        self.maxPoints = maxPoints
        self.seed = seed
        self.batchSize = batchSize
        self.masks = masks
    }

    public struct Neighbor: Sendable {
        /// Canonical SMILES.
        public let smiles: String
        public let profile: MoleculeProfile
        /// Tanimoto similarity (Morgan radius 2, 2048 bits) to the start molecule.
        public let similarity: Double
        /// Euclidean distance from the start's mean to the neighbour's own mean (the neighbour
        /// encoded in turn); nil when the neighbour cannot be encoded (e.g. too long).
        public let distance: Double?
        /// The first point (index) that decoded to it.
        public let pointIndex: Int
    }

    public struct Result: Sendable {
        public let start: EncodedMolecule
        public let startProfile: MoleculeProfile
        /// Sorted by similarity, most similar first (ties: nearer first, then by SMILES).
        public let neighbors: [Neighbor]
        /// Points decoded up to the one that completed the set (or all `maxPoints`).
        public let pointsUsed: Int
        /// Of those, how many decoded to a valid molecule, and how many to the start itself.
        public let validDecodings: Int
        public let startDecodings: Int
    }

    /// Throws naming `role` (e.g. "--around") when the start cannot be encoded.
    public func run(_ trained: TrainedModel, around smiles: String, role: String = "start") throws(UnencodableMoleculeError) -> Result {
        let encoder = LatentEncoder(trained)
        let decoder = LatentDecoder(trained, masks: masks)
        let start = try UnencodableMoleculeError.encode(smiles, role: role, with: encoder)
        let mu = start.encoded.latent.mu
        var found: [(smiles: String, index: Int)] = []
        var seen: Set<String> = [start.encoded.molecule.canonical]
        var used = 0, valid = 0, backToStart = 0
        var next = 0
        search: while next < maxPoints {
            let n = min(batchSize, maxPoints - next)
            let latents = (next..<(next + n)).flatMap { SphereDirections.point(around: mu, radius: radius, index: $0, seed: seed) }
            let decoded = decoder.decode(latents: latents, count: n, strategy: .greedy, seed: seed, firstIndex: next)
            for (offset, molecule) in decoded.enumerated() {
                used = next + offset + 1
                guard let canonical = molecule.canonical else { continue }
                valid += 1
                if canonical == start.encoded.molecule.canonical { backToStart += 1 }
                if seen.insert(canonical).inserted {
                    found.append((canonical, next + offset))
                    if found.count == count { break search }
                }
            }
            next += n
        }
        let reencoded = encoder.encode(found.map(\.smiles))
        var neighbors: [Neighbor] = []
        for (item, outcome) in zip(found, reencoded) {
            guard let profile = try? MoleculeProfile(smiles: item.smiles) else { continue }
            let distance = (try? outcome.get()).map { LatentPath.distance($0.latent.mu, mu) }
            neighbors.append(Neighbor(smiles: item.smiles, profile: profile, similarity: profile.similarity(to: start.profile),
                                      distance: distance, pointIndex: item.index))
        }
        neighbors.sort { a, b in
            if a.similarity != b.similarity { return a.similarity > b.similarity }
            let da = a.distance ?? .infinity, db = b.distance ?? .infinity
            if da != db { return da < db }
            return a.smiles < b.smiles
        }
        return Result(start: start.encoded, startProfile: start.profile, neighbors: neighbors, pointsUsed: used,
                      validDecodings: valid, startDecodings: backToStart)
    }
}

extension NeighborSearch.Result {
    public static let csvHeader = "smiles,similarity,distance,logp,qed,sa"

    /// One CSV row per neighbour (with the header), in the sorted order.
    public var csv: String {
        var text = Self.csvHeader + "\n"
        for n in neighbors {
            let fields = [CSV.escape(n.smiles), n.similarity.description, n.distance.map { $0.description } ?? ""] + n.profile.propertyFields
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }
}
