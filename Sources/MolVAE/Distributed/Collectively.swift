/// `ProcessGroup.collectively` found that its body failed on some ranks; every rank throws this
/// same error, so rank 0 prints it once and every rank ends MPI cleanly (no MPI_Abort banner).
public struct RankFailure: CollectiveError {
    /// The ranks that failed, in rank order, with what they said.
    public let failures: [(rank: Int, message: String)]
    public let ranks: Int

    public var description: String {
        let messages = Set(failures.map(\.message))
        // The same failure everywhere (a bad input every rank reads): say it once.
        if failures.count == ranks, messages.count == 1 { return failures[0].message }
        if failures.count == 1, failures[0].rank == 0 { return failures[0].message }
        return failures.map { "rank \($0.rank): \($0.message)" }.joined(separator: "\n  ")
    }
}

extension ProcessGroup {
    /// Runs `body` on every rank, then the ranks compare outcomes (one small allgather): when it
    /// threw on any rank, every rank throws the same `RankFailure` naming what failed where.
    /// Use it around work that can fail on some ranks only (rank 0's writes, a read that is
    /// followed by a collective), so that the failure ends the job as one clear error instead of
    /// MPI_Abort. The ranks that finish first wait asleep (`allGather` starts with a
    /// `quietBarrier`), leaving their cores to the ranks still working. Without MPI it is
    /// `try body()`: errors pass unchanged.
    public func collectively<T>(_ body: () throws -> T) throws -> T {
        guard usesMPI else { return try body() }
        var value: T?
        var failure = ""
        do {
            value = try body()
        } catch {
            failure = "\(error)"
            // An empty message would read as success.
            if failure.isEmpty { failure = "\(type(of: error))" }
        }
        let outcomes = allGather(Array(failure.utf8)).map { String(decoding: $0, as: UTF8.self) }
        let failures = outcomes.enumerated().filter { !$0.element.isEmpty }.map { (rank: $0.offset, message: $0.element) }
        if !failures.isEmpty { throw RankFailure(failures: failures, ranks: size) }
        return value!
    }
}
