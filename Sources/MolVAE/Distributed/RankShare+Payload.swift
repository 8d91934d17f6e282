/// Interleaved shares of any `RankPayload`, gathered back into input order: the shape of the
/// per-molecule stages of `report` (rank r computes items r, r + size, ... of each chunk).
extension ProcessGroup {
    /// Every rank's interleaved share, in input order, on rank 0; nil elsewhere.
    public func gatherInterleaved<T: RankPayload>(_ mine: [T]) -> [T]? {
        guard usesMPI else { return mine }
        return gather(mine.payloadBytes()).map { pieces in Self.interleave(pieces.map { [T](payloadBytes: $0) }) }
    }

    /// Every rank's interleaved share, in input order, on every rank.
    public func allGatherInterleaved<T: RankPayload>(_ mine: [T]) -> [T] {
        guard usesMPI else { return mine }
        return Self.interleave(allGather(mine.payloadBytes()).map { [T](payloadBytes: $0) })
    }

    /// Rank 0's `value` on every rank (the argument is ignored elsewhere).
    public func broadcast<T: RankPayload>(_ value: [T]) -> [T] {
        guard usesMPI else { return value }
        return [T](payloadBytes: broadcast(isRoot ? value.payloadBytes() : []))
    }

    /// Rank 0's decision on every rank (for a choice only rank 0 can make, such as whether its
    /// cache holds a result).
    public func broadcast(_ decision: Bool) -> Bool {
        guard usesMPI else { return decision }
        // Rank 0 may have worked alone for a while (reading its cache): wait asleep.
        quietBarrier()
        return broadcast([decision ? 1 : 0])[0] == 1
    }
}

extension ProcessGroup {
    /// Every rank's contiguous block (`contiguousShare`), in order, on every rank.
    public func allGatherBlocks<T: RankPayload>(_ mine: [T]) -> [T] {
        guard usesMPI else { return mine }
        return allGather(mine.payloadBytes()).flatMap { [T](payloadBytes: $0) }
    }
}
