import CBLAS

/// The one place that owns the thread count: OpenBLAS's pool and our own parallel loops
/// are sized together so they never oversubscribe the cores.
public enum EngineThreads {
    static let loops = ParallelLoops()
    nonisolated(unsafe) private static var blas = 1

    public static var count: Int { loops.threads }

    public static func set(_ threads: Int) {
        loops.setThreads(threads)
        blas = loops.threads
        openblas_set_num_threads(Int32(blas))
    }

    /// OpenBLAS's pool alone, for experiments (e.g. our loops on 2 threads, BLAS on 1).
    public static func setBLASOnly(_ threads: Int) {
        openblas_set_num_threads(Int32(max(1, threads)))
    }

    /// OpenBLAS threads outside sections that run their own threads (see GRU).
    public static var blasCount: Int { blas }

    public static func overrideBLAS(_ threads: Int) {
        blas = max(1, threads)
        openblas_set_num_threads(Int32(blas))
    }

    /// Runs body(range) over `count` items split into at most `threads` contiguous chunks, on
    /// long-lived worker threads (`ParallelLoops`, `WorkerPool`). Results never depend on the
    /// thread count as long as body writes only its own range. Calls from inside a chunk, or from
    /// several threads at once, are safe: they run their chunks inline. A closure costs one small
    /// allocation per call that reaches the pool; loops inside the training step use
    /// `parallelFor(_:minPerChunk:work:)`, which allocates nothing.
    public static func parallelFor(_ count: Int, minPerChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        loops.parallelFor(count, minPerChunk: minPerChunk, body)
    }

    /// `parallelFor` with the body as a value (the workers read it through a pointer): no
    /// allocation per call.
    public static func parallelFor<Work: ParallelWork>(_ count: Int, minPerChunk: Int = 1, work: Work) {
        loops.parallelFor(count, minPerChunk: minPerChunk, work: work)
    }
}
