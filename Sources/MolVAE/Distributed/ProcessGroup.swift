import CMPI
import Foundation

/// The processes of one job: a single process (rank 0 of 1) unless molvae was started by
/// `mpirun`, then every rank of MPI_COMM_WORLD. All collective calls must be made by every rank,
/// in the same order, from the main thread; in a single process they are identities, so code
/// written against a ProcessGroup runs unchanged without Open MPI.
///
/// An MPI call that fails is fatal for the whole job (`MPI_Abort`): a failed collective leaves
/// the ranks out of step, and waiting would hang.
public final class ProcessGroup: @unchecked Sendable {
    public let rank: Int
    public let size: Int
    /// Whether MPI is in use (true under `mpirun -np 1` too).
    public let usesMPI: Bool
    /// Seconds spent in collective calls since the last `resetCommunicationTime()` (measured for
    /// the step-time share in docs/SCALING.md).
    public private(set) var communicationSeconds = 0.0

    init(rank: Int, size: Int, usesMPI: Bool) {
        self.rank = rank
        self.size = size
        self.usesMPI = usesMPI
    }

    /// One process, no MPI.
    public static let single = ProcessGroup(rank: 0, size: 1, usesMPI: false)

    /// This process's group: MPI_COMM_WORLD under mpirun (MPI initialised on first use), else
    /// `single`. MOLVAE_MPI=0 forces a single process even under mpirun (for a molvae started
    /// as a child of an MPI program).
    public static let world: ProcessGroup = {
        guard molvae_mpi_launched() != 0, ProcessInfo.processInfo.environment["MOLVAE_MPI"] != "0" else { return single }
        if molvae_mpi_init() != 0 {
            FileHandle.standardError.write(Data("molvae: \(String(cString: molvae_mpi_error()))\n".utf8))
            exit(1)
        }
        return ProcessGroup(rank: Int(molvae_mpi_rank()), size: Int(molvae_mpi_size()), usesMPI: true)
    }()

    public var isRoot: Bool { rank == 0 }
    /// More than one rank: work is split.
    public var isParallel: Bool { size > 1 }

    public func resetCommunicationTime() { communicationSeconds = 0 }

    private func timed(_ body: () -> Int32) {
        guard usesMPI else { return }
        let start = DispatchTime.now().uptimeNanoseconds
        let code = body()
        communicationSeconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if code != 0 {
            FileHandle.standardError.write(Data("molvae (rank \(rank)): \(String(cString: molvae_mpi_error()))\n".utf8))
            molvae_mpi_abort(1)
        }
    }

    // MARK: sums

    public func sum(_ values: UnsafeMutablePointer<Float>, count: Int) {
        timed { molvae_mpi_allreduce_sum_float(values, Int64(count)) }
    }

    public func sum(_ values: inout [Float]) {
        let n = values.count
        values.withUnsafeMutableBufferPointer { p in timed { molvae_mpi_allreduce_sum_float(p.baseAddress, Int64(n)) } }
    }

    public func sum(_ values: inout [Double]) {
        let n = values.count
        values.withUnsafeMutableBufferPointer { p in timed { molvae_mpi_allreduce_sum_double(p.baseAddress, Int64(n)) } }
    }

    public func sum(_ values: inout [Int]) {
        var wide = values.map { Int64($0) }
        let n = wide.count
        wide.withUnsafeMutableBufferPointer { p in timed { molvae_mpi_allreduce_sum_int64(p.baseAddress, Int64(n)) } }
        values = wide.map { Int($0) }
    }

    public func sum(_ value: Int) -> Int {
        var v = [value]
        sum(&v)
        return v[0]
    }

    /// The largest value over the ranks (e.g. "did any rank fail or get a signal").
    public func maximum(_ value: Int) -> Int {
        var v = Int64(value)
        timed { molvae_mpi_allreduce_max_int64(&v, 1) }
        return Int(v)
    }

    // MARK: bytes

    /// Root's bytes on every rank (the argument is ignored elsewhere).
    public func broadcast(_ bytes: [UInt8], root: Int = 0) -> [UInt8] {
        guard usesMPI else { return bytes }
        var count = Int64(rank == root ? bytes.count : 0)
        timed { molvae_mpi_broadcast(&count, 8, Int32(root)) }
        var out = rank == root ? bytes : [UInt8](repeating: 0, count: Int(count))
        out.withUnsafeMutableBytes { p in timed { molvae_mpi_broadcast(p.baseAddress, count, Int32(root)) } }
        return out
    }

    /// Every rank's bytes, in rank order, on every rank.
    public func allGather(_ bytes: [UInt8]) -> [[UInt8]] {
        guard usesMPI else { return [bytes] }
        let (counts, displacements, total) = layout(of: bytes.count)
        var out = [UInt8](repeating: 0, count: total)
        bytes.withUnsafeBytes { send in
            out.withUnsafeMutableBytes { receive in
                timed { molvae_mpi_allgatherv(send.baseAddress, Int32(bytes.count), receive.baseAddress, counts, displacements) }
            }
        }
        return split(out, counts: counts, displacements: displacements)
    }

    /// Every rank's bytes, in rank order, on the root; nil elsewhere.
    public func gather(_ bytes: [UInt8], root: Int = 0) -> [[UInt8]]? {
        guard usesMPI else { return [bytes] }
        let (counts, displacements, total) = layout(of: bytes.count)
        var out = [UInt8](repeating: 0, count: rank == root ? total : 0)
        bytes.withUnsafeBytes { send in
            out.withUnsafeMutableBytes { receive in
                timed {
                    molvae_mpi_gatherv(send.baseAddress, Int32(bytes.count), receive.baseAddress, counts, displacements, Int32(root))
                }
            }
        }
        return rank == root ? split(out, counts: counts, displacements: displacements) : nil
    }

    /// Counts of every rank (one small allgather) and where each lands. A gather ends a share of
    /// work whose parts take unequal times, so the ranks that finish first wait asleep
    /// (`quietBarrier`): a spinning rank would take CPU from the ranks still working whenever
    /// the machine has no idle core.
    private func layout(of count: Int) -> (counts: [Int32], displacements: [Int32], total: Int) {
        quietBarrier()
        var mine = Int64(count)
        var all = [Int64](repeating: 0, count: size)
        all.withUnsafeMutableBufferPointer { p in timed { molvae_mpi_allgather_int64(&mine, 1, p.baseAddress) } }
        let total = all.reduce(0, +)
        if total > Int64(Int32.max) {
            FileHandle.standardError.write(Data("molvae (rank \(rank)): \(total) bytes to gather in one call exceed MPI's 2 GiB limit; use smaller chunks (--chunk-size)\n".utf8))
            molvae_mpi_abort(1)
        }
        var displacements: [Int32] = [], offset: Int64 = 0
        for c in all { displacements.append(Int32(offset)); offset += c }
        return (all.map { Int32($0) }, displacements, Int(total))
    }

    private func split(_ bytes: [UInt8], counts: [Int32], displacements: [Int32]) -> [[UInt8]] {
        (0..<counts.count).map { r in Array(bytes[Int(displacements[r])..<Int(displacements[r] + counts[r])]) }
    }

    // MARK: lifetime

    public func barrier() { timed { molvae_mpi_barrier() } }

    /// A barrier whose waiting ranks sleep (polling every millisecond) rather than spin: for
    /// waits that may be long, while some ranks (rank 0 writing, computing metrics) work alone.
    public func quietBarrier() { timed { molvae_mpi_quiet_barrier() } }

    /// Ends MPI on a normal exit (every rank calls it); nothing without MPI.
    public func finalize() {
        guard usesMPI else { return }
        _ = molvae_mpi_finalize()
    }

    /// Stops every rank of the job now, with this exit code: for a failure only this rank knows
    /// about, where the others would otherwise wait in a collective for ever.
    public func abort(code: Int32 = 1) -> Never {
        molvae_mpi_abort(code)
        exit(code)
    }
}
