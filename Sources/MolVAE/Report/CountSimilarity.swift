/// Cosine similarity of two multisets given as {name: count}, absent names counting zero:
/// MOSES's `cos_similarity` for fragment and scaffold counts. NaN when either is empty, as there.
public func cosineSimilarity(_ a: [String: Int], _ b: [String: Int]) -> Double {
    guard !a.isEmpty, !b.isEmpty else { return .nan }
    var dot = 0.0, normA = 0.0, normB = 0.0
    for (key, count) in a {
        let x = Double(count)
        normA += x * x
        if let y = b[key] { dot += x * Double(y) }
    }
    for count in b.values { normB += Double(count) * Double(count) }
    return dot / (normA.squareRoot() * normB.squareRoot())
}
