import Foundation

/// Latent interpolation: straight paths from the start molecule's mean toward targets,
/// decoding `pathPoints` evenly spaced points of each path (the start itself excluded). Targets
/// alternate between the best molecule found so far (when it is new since its last path, and is
/// not the start) and the next reference molecule (high-scoring training molecules, best
/// first). When both run out, paths go toward random points of the start's surroundings at the
/// references' typical distance. Under a similarity constraint a path is abandoned after three
/// infeasible molecules in a row: similarity mostly falls along a path, so the rest would be
/// wasted.
enum InterpolationSearch {
    static let patience = 3

    static func run(_ context: SearchContext, references: ReferenceTargets) {
        guard let start = context.start else { return }
        let s = context.settings
        let z0 = start.mu
        var bestLatent: [String: [Float]] = [:]
        var usedBest = Set<String>()
        var nextReference = 0
        var randomPaths = 0
        var takeBest = true
        let typicalDistance: Double = {
            let d = references.targets.map { LatentPath.distance($0.mu, z0) }
            return d.isEmpty ? 1 : max(d.reduce(0, +) / Double(d.count), 1e-3)
        }()
        while !context.oracle.isExhausted {
            var target: [Float]?
            if takeBest, let best = context.oracle.best, best.smiles != start.canonical, !usedBest.contains(best.smiles),
               let z = bestLatent[best.smiles] {
                usedBest.insert(best.smiles)
                target = z
            }
            if target == nil, nextReference < references.targets.count {
                target = references.targets[nextReference].mu
                nextReference += 1
            }
            if target == nil {
                target = SphereDirections.point(around: z0, radius: typicalDistance, index: randomPaths, seed: context.seed)
                randomPaths += 1
            }
            takeBest.toggle()
            let path = (1...s.pathPoints).map {
                LatentPath.point(from: z0, to: target!, t: Double($0) / Double(s.pathPoints), method: .linear)
            }
            // Unconstrained: one batch. Constrained: small batches, stopping after `patience`
            // infeasible molecules in a row.
            let constrained = (context.oracle.constraint?.minimum ?? 0) > 0
            let chunk = constrained ? patience : path.count
            var misses = 0
            var i = 0
            pathLoop: while i < path.count && !context.oracle.isExhausted {
                let part = Array(path[i..<min(path.count, i + chunk)])
                i += part.count
                for e in context.oracle.evaluate(part) {
                    if let smiles = e.smiles, e.feasible, bestLatent[smiles] == nil { bestLatent[smiles] = e.latent }
                    misses = e.feasible ? 0 : misses + 1
                    if constrained && misses >= patience { break pathLoop }
                }
            }
        }
    }
}
