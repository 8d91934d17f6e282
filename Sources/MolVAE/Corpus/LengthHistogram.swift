/// Counts of sequence lengths, for percentiles without keeping every length.
public struct LengthHistogram: Sendable, Equatable, Codable {
    /// `counts[n]` = how many sequences have n tokens.
    public private(set) var counts: [Int] = []
    public private(set) var total = 0

    public init() {}

    public mutating func add(_ length: Int) {
        if length >= counts.count { counts.append(contentsOf: repeatElement(0, count: length - counts.count + 1)) }
        counts[length] += 1
        total += 1
    }

    /// The nearest-rank percentile (`p` in 0...100): the smallest length with at least p% of the
    /// sequences at or below it. Nil when empty.
    public func percentile(_ p: Double) -> Int? {
        guard total > 0 else { return nil }
        let rank = Swift.max(1, Int((p / 100 * Double(total)).rounded(.up)))
        var seen = 0
        for (length, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return length }
        }
        return counts.count - 1
    }

    public var maximum: Int? { total > 0 ? counts.count - 1 : nil }

    public var mean: Double? {
        guard total > 0 else { return nil }
        return Double(counts.enumerated().reduce(0) { $0 + $1.offset * $1.element }) / Double(total)
    }
}
