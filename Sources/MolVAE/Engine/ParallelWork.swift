/// The body of a parallel loop as a value. `EngineThreads.parallelFor(_:minPerChunk:work:)`
/// gives the worker threads a pointer to it on the caller's stack, so a loop allocates nothing.
/// A closure body cannot do that: making a non-escaping closure callable from other threads
/// (`withoutActuallyEscaping`) heap-allocates a small thunk on every call, which is why the
/// training step's loops (the GRU's row groups) are written as `ParallelWork`.
public protocol ParallelWork {
    /// Called once per non-empty chunk, from several threads at once: touch only what `range` owns.
    func run(_ range: Range<Int>)
}

extension ParallelWork {
    /// Runs the value of this type at `work` on `range`: how a worker, which knows the type only
    /// as `any ParallelWork.Type`, reaches the caller's value without copying it.
    static func run(at work: UnsafeRawPointer, _ range: Range<Int>) {
        work.assumingMemoryBound(to: Self.self).pointee.run(range)
    }
}

/// A closure as `ParallelWork`, for loops where one allocation per call does not matter.
struct ClosureWork: ParallelWork {
    let body: (Range<Int>) -> Void

    func run(_ range: Range<Int>) { body(range) }
}
