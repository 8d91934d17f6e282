/// A batch of variable-length sequences stored packed, molecule after molecule
/// (row offsets[b] + t holds position t of sequence b). No row exists for padding, so the
/// encoder never computes on it. Arrays keep their capacity between batches.
public final class RaggedLayout {
    public private(set) var lengths: [Int] = []
    public private(set) var offsets: [Int] = []
    public private(set) var total = 0

    public init() {}

    public init(lengths: [Int]) { set(lengths: lengths) }

    public var batch: Int { lengths.count }

    public func set(lengths newLengths: [Int]) {
        lengths.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        total = 0
        for l in newLengths { append(l) }
    }

    public func removeAll() {
        lengths.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        total = 0
    }

    public func append(_ length: Int) {
        precondition(length >= 0)
        lengths.append(length)
        offsets.append(total)
        total += length
    }
}

/// Time-major packing of sequences sorted by length, longest first (like PyTorch's packed
/// sequences): step t holds rows 0..<active[t], at stepOffsets[t]. Finished sequences leave
/// the active batch, so a recurrent layer never computes on padding.
public final class TimeMajorLayout {
    public private(set) var lengths: [Int] = []
    public private(set) var active: [Int] = []
    public private(set) var stepOffsets: [Int] = []
    public private(set) var total = 0

    public init() {}

    public init(sortedLengths: [Int]) { set(sortedLengths: sortedLengths) }

    public var batch: Int { lengths.count }
    public var steps: Int { active.count }

    /// `sortedLengths` must be non-increasing and every length at least 1.
    public func set(sortedLengths: [Int]) {
        lengths.removeAll(keepingCapacity: true)
        for l in sortedLengths { lengths.append(l) }
        rebuild()
    }

    public func set(count: Int, length: (Int) -> Int) {
        lengths.removeAll(keepingCapacity: true)
        for b in 0..<count { lengths.append(length(b)) }
        rebuild()
    }

    private func rebuild() {
        active.removeAll(keepingCapacity: true)
        stepOffsets.removeAll(keepingCapacity: true)
        total = 0
        guard let longest = lengths.first else { return }
        for i in 1..<max(1, lengths.count) {
            precondition(lengths[i] <= lengths[i - 1], "lengths must be sorted, longest first")
        }
        precondition(lengths.last! >= 1, "every sequence needs at least one step")
        var a = lengths.count
        for t in 0..<longest {
            while a > 0 && lengths[a - 1] <= t { a -= 1 }
            active.append(a)
            stepOffsets.append(total)
            total += a
        }
    }

    /// Row of (sequence b, step t); valid when t < lengths[b].
    @inline(__always) public func row(_ b: Int, _ t: Int) -> Int { stepOffsets[t] + b }
}
