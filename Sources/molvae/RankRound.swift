import MolVAE

/// One round of a batch job under mpirun: the next `size` batches of the input (one batch
/// without MPI), read by every rank, and the batch this rank handles. Each batch has the
/// composition it has in a single process, so per-batch numbers come out bit for bit the same.
struct RankRound {
    var records: [SMILESRecord]
    /// This rank's batch: a range of `records`.
    var mine: Range<Int>

    static func read(_ reader: SMILESReader, batch: Int, group: ProcessGroup) throws -> RankRound {
        var records: [SMILESRecord] = []
        var mine = 0..<0
        for r in 0..<group.size {
            let next = try reader.nextBatch(maxCount: max(1, batch))
            if r == group.rank { mine = records.count..<(records.count + next.count) }
            records += next
            if next.isEmpty { break }
        }
        return RankRound(records: records, mine: mine)
    }
}
