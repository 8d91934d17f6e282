import Dispatch

/// Runs `body` over consecutive chunks of 0..<count on up to `threads` workers and returns
/// when all are done. Chunks are small enough to balance uneven work per item.
///
/// `body` must only write to disjoint parts of shared memory for disjoint ranges; that is
/// the caller's contract, which is why the closure is not required to be `@Sendable`.
public func parallelChunks(count: Int, threads: Int, maxChunk: Int = 256, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let workers = max(1, threads)
    let chunk = max(1, min(maxChunk, (count + workers * 8 - 1) / (workers * 8)))
    let chunkCount = (count + chunk - 1) / chunk
    if workers == 1 || chunkCount == 1 {
        for c in 0..<chunkCount { body(c * chunk..<min(count, (c + 1) * chunk)) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: chunkCount) { c in
            shared.value(c * chunk..<min(count, (c + 1) * chunk))
        }
    }
}

/// Carries a value into a concurrent closure when the caller guarantees race freedom.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
