import Foundation

/// High-scoring molecules of a reference set (the training molecules by default), with their
/// latent means: the far ends of interpolation paths. RDKit scores the first `limit` molecules
/// of the file; the best `top` that the model can encode are kept, best first. Reading and
/// scoring the reference set is preparation, not oracle calls: no latent point is decoded.
public struct ReferenceTargets: Sendable {
    public struct Target: Sendable {
        public let smiles: String
        public let score: Double
        public let mu: [Float]
    }

    public let path: String
    public let targets: [Target]

    public init(path: String, targets: [Target]) {
        self.path = path
        self.targets = targets
    }

    /// Reads, scores and encodes; throws when the file cannot be read or holds no molecule the
    /// model can encode.
    public static func load(path: String, limit: Int, top: Int, objective: Objective, model: TrainedModel,
                            threads: Int) throws -> ReferenceTargets {
        let reader = try SMILESReader(path: path)
        var records: [SMILESRecord] = []
        while records.count < limit, let r = try reader.next() { records.append(r) }
        let scored = BatchScoring.score(records.map(\.smiles), threads: threads)
        let ranked = scored.indices.filter { scored[$0].properties != nil }
            .map { (index: $0, score: objective.score(scored[$0].properties!)) }
            .filter { $0.score.isFinite }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.index < $1.index }
        var targets: [Target] = []
        var seen = Set<String>()
        // Encode in slices until `top` distinct encodable molecules are found.
        var next = 0
        while targets.count < top && next < ranked.count {
            let slice = ranked[next..<min(ranked.count, next + max(top, 64))]
            next += slice.count
            let inputs = slice.map { (smiles: records[$0.index].smiles, source: "\(path):\(records[$0.index].lineNumber)") }
            for (r, item) in zip(StartMolecule.prepare(inputs, model: model), slice) {
                guard case .success(let m) = r, targets.count < top, seen.insert(m.canonical).inserted else { continue }
                targets.append(Target(smiles: m.canonical, score: item.score, mu: m.mu))
            }
        }
        guard !targets.isEmpty else {
            throw OptimizationError("\(path): none of its first \(limit) molecules is valid and encodable by the model; "
                                    + "give --reference FILE with molecules the model knows")
        }
        return ReferenceTargets(path: path, targets: targets)
    }
}
