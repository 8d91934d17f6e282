/// How work is split over the ranks of a ProcessGroup. Two shapes:
/// - interleaved: item i goes to rank i % size (batch jobs: neighbouring lines, whose cost is
///   alike, land on different ranks);
/// - contiguous: a block of consecutive rows (a training batch: each rank's rows keep their
///   global positions, which key their random streams).
extension ProcessGroup {
    /// Indices of `count` items this rank handles, interleaved.
    public func interleavedShare(of count: Int) -> StrideTo<Int> { stride(from: rank, to: count, by: size) }

    /// This rank's block of `count` rows: sizes differ by at most one, lower ranks take more.
    public func contiguousShare(of count: Int) -> Range<Int> { Self.block(rank, of: count, ranks: size) }

    static func block(_ rank: Int, of count: Int, ranks: Int) -> Range<Int> {
        (count * rank / ranks)..<(count * (rank + 1) / ranks)
    }

    /// Reassembles per-rank interleaved pieces (rank r holding items r, r + size, ...) into
    /// input order.
    public static func interleave<T>(_ pieces: [[T]]) -> [T] {
        let total = pieces.reduce(0) { $0 + $1.count }
        var out: [T] = []
        out.reserveCapacity(total)
        let ranks = pieces.count
        for i in 0..<total { out.append(pieces[i % ranks][i / ranks]) }
        return out
    }

    /// Every rank's interleaved share of strings, in input order, on every rank.
    public func allGatherInterleaved(_ mine: [String]) -> [String] {
        guard usesMPI else { return mine }
        return Self.interleave(allGather(Self.encode(mine)).map(Self.decode))
    }

    /// Every rank's interleaved share of strings, in input order, on rank 0 (nil elsewhere).
    public func gatherInterleaved(_ mine: [String]) -> [String]? {
        guard usesMPI else { return mine }
        return gather(Self.encode(mine)).map { Self.interleave($0.map(Self.decode)) }
    }

    /// Every rank's interleaved share of floats (`width` per item), in input order, everywhere.
    public func allGatherInterleaved(_ mine: [Float], width: Int) -> [Float] {
        guard usesMPI else { return mine }
        let pieces = allGather(mine.withUnsafeBytes { Array($0) }).map { bytes in
            let floats = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            return stride(from: 0, to: floats.count, by: width).map { Array(floats[$0..<($0 + width)]) }
        }
        return Self.interleave(pieces).flatMap { $0 }
    }

    /// Every rank's contiguous block of strings, in input order, on rank 0 (nil elsewhere).
    public func gatherBlocks(_ mine: [String]) -> [String]? {
        guard usesMPI else { return mine }
        return gather(Self.encode(mine)).map { $0.flatMap(Self.decode) }
    }

    static func encode(_ strings: [String]) -> [UInt8] {
        var w = BinaryWriter()
        w.stringList(strings)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) -> [String] {
        var r = BinaryReader(bytes)
        // Bytes made by encode() on another rank of the same binary: a failure is a bug.
        guard let strings = try? r.stringList("strings") else { preconditionFailure("malformed string list from another rank") }
        return strings
    }
}
