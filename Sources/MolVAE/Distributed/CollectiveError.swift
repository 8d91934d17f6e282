/// An error that every rank of a job throws at the same point of the same computation (a failed
/// agreement, a diverged loss, parameters that differ). Commands print it once, from rank 0, and
/// every rank ends MPI cleanly; any other error is one rank's alone and stops the whole job with
/// MPI_Abort, since the other ranks would otherwise wait in a collective for ever.
public protocol CollectiveError: Error, CustomStringConvertible {}

/// What one fact that every rank must share (the options, a data file's content, a checkpoint)
/// is on this rank: a digest to compare and words for the message.
public struct RankFact: Sendable, Equatable {
    public var name: String
    public var digest: String
    public var detail: String

    public init(name: String, digest: String, detail: String) {
        self.name = name
        self.digest = digest
        self.detail = detail
    }
}

/// Some rank could not set up, or some rank's facts differ from rank 0's.
public struct RankAgreementError: CollectiveError {
    public let problems: [String]
    public var description: String {
        "the ranks of this mpirun job do not agree, so nothing was computed:\n  " + problems.joined(separator: "\n  ")
    }
}

/// The ranks' parameters differ after a step (found by the hash at each evaluation).
public struct ParameterDivergenceError: CollectiveError {
    public let step: Int
    public let ranks: [Int]
    public var description: String {
        "after step \(step) the parameters of rank(s) \(ranks.map(String.init).joined(separator: ", ")) differ from rank 0's "
            + "(a bug or a faulty node); the last checkpoint is from before this evaluation"
    }
}

extension ProcessGroup {
    /// Called by every rank before the first collective that could hang on a rank that failed
    /// or disagrees: each rank's setup failure (nil: it worked) and its facts go to every rank,
    /// and every rank throws the same RankAgreementError when any rank failed or any fact
    /// differs from rank 0's. A no-op without MPI.
    public func agree(failure: String?, facts: [RankFact]) throws {
        guard usesMPI else { return }
        var w = BinaryWriter()
        w.string(failure ?? "")
        w.int(failure == nil ? 0 : 1)
        w.int(facts.count)
        for f in facts { w.string(f.name); w.string(f.digest); w.string(f.detail) }
        let reports = allGather(w.bytes).map { bytes -> (failure: String?, facts: [RankFact]) in
            var r = BinaryReader(bytes)
            guard let text = try? r.string(), let failed = try? r.int(), let n = try? r.int() else {
                preconditionFailure("malformed agreement report from another rank")
            }
            var facts: [RankFact] = []
            for _ in 0..<n {
                guard let name = try? r.string(), let digest = try? r.string(), let detail = try? r.string() else {
                    preconditionFailure("malformed agreement report from another rank")
                }
                facts.append(RankFact(name: name, digest: digest, detail: detail))
            }
            return (failed == 1 ? text : nil, facts)
        }
        var problems: [String] = []
        for (r, report) in reports.enumerated() {
            if let failure = report.failure { problems.append("rank \(r): \(failure)") }
        }
        if problems.isEmpty {
            let reference = reports[0].facts
            for (r, report) in reports.enumerated().dropFirst() {
                for (mine, theirs) in zip(report.facts, reference) where mine.digest != theirs.digest {
                    problems.append("rank \(r)'s \(mine.name) (\(mine.detail)) differs from rank 0's (\(theirs.detail))")
                }
            }
        }
        if !problems.isEmpty { throw RankAgreementError(problems: problems) }
    }
}
