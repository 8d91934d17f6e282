import CBLAS

/// How a matrix product uses more than one thread.
public enum GEMMThreading: String, Sendable, CaseIterable {
    /// `sgemm` cuts the product into column (or row) panels and runs single-threaded OpenBLAS
    /// on each panel on our own worker pool: nothing allocates per product (OpenBLAS 0.3.21
    /// mallocs a 512 KiB job array for every product it threads itself).
    case pool
    /// OpenBLAS's own threads (kept for comparison in `molvae bench`).
    case openBLAS = "openblas"
}

/// The one place that owns the thread count: OpenBLAS, our parallel loops and the split of
/// matrix products are sized together so they never oversubscribe the cores.
public enum EngineThreads {
    static let loops = ParallelLoops()
    /// Ways a matrix product may be split right now: the thread count, or 1 inside sections that
    /// already run one single-threaded product per thread (GRU row groups, sampling groups).
    nonisolated(unsafe) private(set) static var gemmThreads = 1
    nonisolated(unsafe) private static var gemmDefault = 1
    nonisolated(unsafe) public private(set) static var gemmThreading = GEMMThreading.pool

    public static var count: Int { loops.threads }

    /// The kernel family OpenBLAS chose when it loaded ("Cooperlake", "SkylakeX", "Haswell"...),
    /// which `OPENBLAS_CORETYPE` can force. Its Haswell kernels round a row of a product
    /// differently depending on how many rows share the call, so results that are bit-identical
    /// across thread counts with the AVX-512 kernels differ in the last bits there.
    public static var blasKernels: String { openblas_get_corename().map { String(cString: $0) } ?? "unknown" }

    /// Whether OpenBLAS runs its Haswell kernels: chosen on AVX2 machines without AVX-512, and
    /// on AMD's Zen, whose target builds the same kernels (so "Zen" rounds as "Haswell" does).
    public static var blasRunsHaswellKernels: Bool { ["Haswell", "Zen"].contains(blasKernels) }

    public static func set(_ threads: Int) {
        loops.setThreads(threads)
        gemmDefault = loops.threads
        setGEMMThreads(gemmDefault)
    }

    /// Chooses who threads matrix products (default: our pool).
    public static func setGEMMThreading(_ threading: GEMMThreading) {
        gemmThreading = threading
        setGEMMThreads(gemmThreads)
    }

    /// Threads for matrix products only, for the sections that run their own threads around
    /// single-threaded products (pass 1, then `restoreGEMMThreads()`), and for experiments.
    public static func setGEMMThreads(_ threads: Int) {
        gemmThreads = max(1, threads)
        openblas_set_num_threads(gemmThreading == .openBLAS ? Int32(gemmThreads) : 1)
    }

    /// Runs `body` with OpenBLAS on one thread, for code that runs its own threads around
    /// single-threaded products (ChemNet's chunks), even before any `set` (OpenBLAS starts with
    /// one thread per core). With `gemmThreading` = .pool, one thread is what OpenBLAS keeps; with
    /// .openBLAS its thread count is restored. `gemmThreads` is never touched, so a concurrent
    /// section that set it is not disturbed.
    public static func withSingleThreadedBLAS<T>(_ body: () throws -> T) rethrows -> T {
        openblas_set_num_threads(1)
        defer { if gemmThreading == .openBLAS { openblas_set_num_threads(Int32(gemmThreads)) } }
        return try body()
    }

    /// Back to the thread count after a `setGEMMThreads(1)` section.
    public static func restoreGEMMThreads() { setGEMMThreads(gemmDefault) }

    /// Overrides the matrix-product threads outside such sections (experiments: `bench --blas-threads`).
    public static func overrideGEMMThreads(_ threads: Int) {
        gemmDefault = max(1, threads)
        setGEMMThreads(gemmDefault)
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
