import Synchronization

/// Parallel loops over contiguous chunks, run on a `WorkerPool` sized to a thread count that
/// can change at any time. `EngineThreads` owns the process-wide one; tests make their own.
///
/// One loop uses the pool at a time. A loop started from inside a chunk, or from another thread
/// while a loop runs, runs its chunks one after another on the calling thread: the same chunk
/// boundaries, so the same results, and no thread ever waits for the pool (no deadlock whatever
/// the nesting).
final class ParallelLoops: @unchecked Sendable {
    private let threadCount: Atomic<Int>
    /// Taken by the loop that drives the pool, and by `setThreads` to resize it.
    private let poolInUse = Atomic<Bool>(false)
    /// Sized to `threads` (nil at 1); read and replaced only under `poolInUse`.
    private var pool: WorkerPool?

    init(threads: Int = 1) {
        threadCount = Atomic(Self.clamped(threads))
        if threads > 1 { pool = WorkerPool(threads: Self.clamped(threads)) }
    }

    deinit { pool?.stop() }

    var threads: Int { threadCount.load(ordering: .relaxed) }

    /// Resizes the pool now if no loop runs; otherwise (called from inside a chunk, or from
    /// another thread during a loop) the next loop does it. Never waits.
    func setThreads(_ threads: Int) {
        let n = Self.clamped(threads)
        threadCount.store(n, ordering: .relaxed)
        guard takePool() else { return }
        resizePool(to: n)
        releasePool()
    }

    /// Runs work.run(range) over `count` items split into at most `threads` contiguous chunks of
    /// at least `minPerChunk` items (`chunk(_:of:count:)`); allocates nothing once the pool exists.
    func parallelFor<Work: ParallelWork>(_ count: Int, minPerChunk: Int = 1, work: Work) {
        let threads = self.threads
        let chunks = min(threads, max(1, count / max(1, minPerChunk)))
        if chunks <= 1 { work.run(0..<count); return }
        guard takePool() else { Self.runInline(count: count, chunks: chunks, work); return }
        defer { releasePool() }
        if pool?.threads != threads { resizePool(to: threads) }
        if let pool {
            pool.run(count: count, chunks: chunks, work: work)
        } else {
            Self.runInline(count: count, chunks: chunks, work)
        }
    }

    /// The same with a closure body: one small allocation per call that reaches the pool (see
    /// `ParallelWork`), none on a single thread.
    func parallelFor(_ count: Int, minPerChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        if threads <= 1 || count / max(1, minPerChunk) <= 1 { body(0..<count); return }
        withoutActuallyEscaping(body) { body in parallelFor(count, minPerChunk: minPerChunk, work: ClosureWork(body: body)) }
    }

    /// Chunk c of `chunks` contiguous chunks of `count` items (empty ones when count < chunks).
    static func chunk(_ c: Int, of chunks: Int, count: Int) -> Range<Int> {
        count * c / chunks..<count * (c + 1) / chunks
    }

    /// Worker threads running now (pool size minus the caller); nil while a loop holds the pool.
    var runningWorkers: Int? {
        guard takePool() else { return nil }
        defer { releasePool() }
        return pool?.startedWorkers ?? 0
    }

    private static func runInline<Work: ParallelWork>(count: Int, chunks: Int, _ work: Work) {
        for c in 0..<chunks {
            let range = chunk(c, of: chunks, count: count)
            if !range.isEmpty { work.run(range) }
        }
    }

    private static func clamped(_ threads: Int) -> Int { min(max(1, threads), WorkerPool.maxThreads) }

    private func takePool() -> Bool {
        poolInUse.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    private func releasePool() { poolInUse.store(false, ordering: .releasing) }

    /// Call with `poolInUse` held.
    private func resizePool(to threads: Int) {
        if pool?.threads == threads || (pool == nil && threads <= 1) { return }
        pool?.stop()
        pool = threads > 1 ? WorkerPool(threads: threads) : nil
    }
}
