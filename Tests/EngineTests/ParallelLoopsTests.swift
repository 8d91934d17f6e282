import Dispatch
import Glibc
import Synchronization
import Testing
@testable import MolVAE

/// The worker pool behind `EngineThreads.parallelFor`. Each test makes its own `ParallelLoops`,
/// so the process-wide thread count that other suites set does not matter here.
@Suite(.timeLimit(.minutes(1))) struct ParallelLoopsTests {
    /// Per-index hit counts and the chunks seen with the thread that ran each, filled from many
    /// threads (each index by the one chunk that owns it).
    final class Coverage: @unchecked Sendable {
        let hits: UnsafeMutableBufferPointer<Int>
        let chunks = Mutex<[(range: Range<Int>, thread: pthread_t)]>([])

        init(count: Int) { hits = .allocate(capacity: count); hits.initialize(repeating: 0) }
        deinit { hits.deallocate() }

        func record(_ range: Range<Int>) {
            for i in range { hits[i] += 1 }
            chunks.withLock { $0.append((range, pthread_self())) }
        }

        var everyIndexOnce: Bool { hits.allSatisfy { $0 == 1 } }
        var ranges: [Range<Int>] { chunks.withLock { $0.map(\.range) }.sorted { $0.lowerBound < $1.lowerBound } }
        var distinctThreads: Int { Set(chunks.withLock { $0.map(\.thread) }).count }
    }

    /// The boundaries the dispatch-based implementation used; results stay bit-identical only if
    /// these do not move.
    static func expectedRanges(count: Int, chunks: Int) -> [Range<Int>] {
        (0..<chunks).map { c in count * c / chunks..<count * (c + 1) / chunks }.filter { !$0.isEmpty }
    }

    @Test(arguments: [1, 2, 3, 4, 7])
    func everyIndexExactlyOnceWithTheOldChunkBoundaries(threads: Int) {
        let loops = ParallelLoops(threads: threads)
        for count in [0, 1, 2, 3, 5, 8, 13, 64, 100, 1001] {
            for minPerChunk in [1, 3, 40] {
                for _ in 0..<20 {
                    let coverage = Coverage(count: count)
                    loops.parallelFor(count, minPerChunk: minPerChunk) { coverage.record($0) }
                    let chunks = min(threads, max(1, count / minPerChunk))
                    #expect(coverage.everyIndexOnce, "count \(count) threads \(threads) minPerChunk \(minPerChunk)")
                    let expected = chunks == 1 ? [0..<count] : Self.expectedRanges(count: count, chunks: chunks)
                    #expect(coverage.ranges == expected, "count \(count) threads \(threads) minPerChunk \(minPerChunk)")
                }
            }
        }
    }

    /// A full loop runs each chunk on its own thread (chunk i on thread i, the caller taking
    /// chunk 0): the pool really is parallel.
    @Test func chunksRunOnDistinctThreads() {
        let loops = ParallelLoops(threads: 4)
        #expect(loops.runningWorkers == 3)
        let coverage = Coverage(count: 400)
        loops.parallelFor(400) { coverage.record($0) }
        #expect(coverage.everyIndexOnce)
        #expect(coverage.distinctThreads == 4)
        #expect(coverage.chunks.withLock { $0.contains { pthread_equal($0.thread, pthread_self()) != 0 } })
    }

    /// A loop inside a chunk (on the caller or on a worker) runs inline: all indices covered,
    /// nothing waits for the busy pool.
    @Test func nestedLoopsRunInline() {
        let loops = ParallelLoops(threads: 3)
        let outer = 30, inner = 17
        let coverage = Coverage(count: outer * inner)
        let innerThreadsDiffer = Atomic<Int>(0)
        loops.parallelFor(outer) { rows in
            let thread = pthread_self()
            for row in rows {
                loops.parallelFor(inner) { columns in
                    if pthread_equal(thread, pthread_self()) == 0 { innerThreadsDiffer.add(1, ordering: .relaxed) }
                    coverage.record(row * inner + columns.lowerBound..<row * inner + columns.upperBound)
                }
            }
        }
        #expect(coverage.everyIndexOnce)
        #expect(innerThreadsDiffer.load(ordering: .relaxed) == 0)
        // Inline, but on the same chunk boundaries as a pooled inner loop would use.
        let innerRanges = coverage.ranges.filter { $0.lowerBound < inner }
        #expect(innerRanges == Self.expectedRanges(count: inner, chunks: 3))
    }

    /// Several threads starting loops at once (while another resizes the pool): every loop
    /// covers its indices exactly once and every caller finishes.
    @Test func concurrentCallersAndResizesAllFinish() {
        let loops = ParallelLoops(threads: 2)
        let callers = 4, rounds = 300
        let failures = Atomic<Int>(0), finished = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: callers + 1) { caller in
            if caller == callers {
                for round in 0..<rounds / 10 { loops.setThreads(1 + round % 4) }
                return
            }
            for round in 0..<rounds {
                let count = 1 + (caller * 37 + round * 11) % 200
                let coverage = Coverage(count: count)
                loops.parallelFor(count) { coverage.record($0) }
                if !coverage.everyIndexOnce { failures.add(1, ordering: .relaxed) }
            }
            finished.add(1, ordering: .relaxed)
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(finished.load(ordering: .relaxed) == callers)
    }

    /// Growing and shrinking starts and joins workers; loops after each change use the new size.
    @Test func changingTheThreadCountResizesThePool() {
        let loops = ParallelLoops(threads: 1)
        for threads in [3, 2, 5, 1, 4, 1] {
            loops.setThreads(threads)
            #expect(loops.threads == threads)
            #expect(loops.runningWorkers == threads - 1)
            let coverage = Coverage(count: 50)
            loops.parallelFor(50) { coverage.record($0) }
            #expect(coverage.everyIndexOnce)
            #expect(coverage.ranges == Self.expectedRanges(count: 50, chunks: threads))
            #expect(coverage.distinctThreads == threads)
        }
    }

    /// A resize asked for from inside a chunk cannot stop the running pool; the next loop does it.
    @Test func resizeFromInsideALoopWaitsForTheNextLoop() {
        let loops = ParallelLoops(threads: 2)
        loops.parallelFor(10) { range in
            if range.lowerBound == 0 { loops.setThreads(3) }
        }
        #expect(loops.threads == 3)
        #expect(loops.runningWorkers == 1)
        let coverage = Coverage(count: 9)
        loops.parallelFor(9) { coverage.record($0) }
        #expect(loops.runningWorkers == 2)
        #expect(coverage.ranges == Self.expectedRanges(count: 9, chunks: 3))
    }

    /// The allocation-free form: the body as a value the workers read through a pointer.
    struct RecordWork: ParallelWork {
        let coverage: Coverage
        func run(_ range: Range<Int>) { coverage.record(range) }
    }

    @Test func parallelWorkValuesCoverEveryIndex() {
        let loops = ParallelLoops(threads: 3)
        for count in [2, 3, 10, 999] {
            let coverage = Coverage(count: count)
            loops.parallelFor(count, work: RecordWork(coverage: coverage))
            #expect(coverage.everyIndexOnce)
            #expect(coverage.ranges == Self.expectedRanges(count: count, chunks: min(3, count)))
            #expect(coverage.distinctThreads == min(3, count))
        }
    }

    /// The process-wide entry point runs on the same machinery.
    @Test func engineThreadsParallelForCoversEveryIndex() {
        let coverage = Coverage(count: 777)
        EngineThreads.parallelFor(777, minPerChunk: 5) { coverage.record($0) }
        #expect(coverage.everyIndexOnce)
    }
}
