import CBLAS
import Dispatch

/// The one place that owns the thread count: OpenBLAS's pool and our own parallel loops
/// are sized together so they never oversubscribe the cores.
public enum EngineThreads {
    nonisolated(unsafe) private static var current = 1
    nonisolated(unsafe) private static var blas = 1

    public static var count: Int { current }

    public static func set(_ threads: Int) {
        current = max(1, threads)
        blas = current
        openblas_set_num_threads(Int32(current))
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

    /// Runs body(chunk, range) over `count` items split into at most `threads` contiguous chunks.
    /// Results never depend on the thread count as long as body writes only its own range.
    public static func parallelFor(_ count: Int, minPerChunk: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(current, max(1, count / max(1, minPerChunk)))
        if chunks <= 1 { body(0..<count); return }
        // The chunks write disjoint ranges; the box only silences the Sendable check.
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedBox(escapable)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = count * c / chunks, hi = count * (c + 1) / chunks
                if lo < hi { box.value(lo..<hi) }
            }
        }
    }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
