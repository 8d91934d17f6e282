import Glibc
import Synchronization

/// Long-lived threads that run the chunks of one parallel loop at a time, allocating nothing per
/// loop. (`DispatchQueue.concurrentPerform`, used before, made about five heap allocations per
/// call: block copies, a dispatch continuation, closure contexts; the GRU makes two such calls
/// per layer per training step.)
///
/// `threads - 1` workers are started once; the thread that calls `run` takes chunk 0. A loop is
/// published as one atomic word (generation and number of participating threads); the loop's
/// description and its `ParallelWork` value stay on the caller's stack, and completion is an
/// atomic countdown. Idle threads spin briefly and then sleep on a condition variable, so a pool
/// between loops leaves the cores to OpenBLAS and to other processes.
///
/// Not reentrant and single-caller: `ParallelLoops` serialises access (one caller at a time,
/// nested or concurrent calls run inline there).
final class WorkerPool: @unchecked Sendable {
    /// Threads taking part in a loop, the caller included.
    let threads: Int
    /// Worker threads that actually started (`threads - 1` unless the system refused some).
    private(set) var startedWorkers = 0

    /// generation << participantBits | participants. A worker runs the loop of a generation it
    /// has not seen if its index is below `participants`.
    private let published = Atomic<Int>(0)
    private static let participantBits = 16
    private static let participantMask = (1 << participantBits) - 1
    static let maxThreads = participantMask

    /// The current loop's `Chunks`, on the caller's stack; valid until `pending` reaches 0.
    private let job = Atomic<UnsafeRawPointer?>(nil)
    /// Participating workers that have not finished the current loop.
    private let pending = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var generation = 0

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let workReady: UnsafeMutablePointer<pthread_cond_t>
    private let workDone: UnsafeMutablePointer<pthread_cond_t>
    private var handles: [pthread_t] = []

    /// Loads of the shared word before sleeping. A few microseconds: long enough to catch the
    /// other half of a balanced loop finishing, short enough not to hold a core OpenBLAS wants.
    private static let spinLimit = 2000

    /// One parallel loop: `count` items in `chunks` contiguous chunks (the same boundaries as
    /// the inline path of `ParallelLoops`), the body a `ParallelWork` value of type `kind` at `work`.
    struct Chunks {
        let work: UnsafeRawPointer
        let kind: any ParallelWork.Type
        let count: Int
        let chunks: Int
        let participants: Int

        /// Chunks c ≡ thread (mod participants); with a full pool each thread runs one chunk.
        func run(thread: Int) {
            var c = thread
            while c < chunks {
                let range = ParallelLoops.chunk(c, of: chunks, count: count)
                if !range.isEmpty { kind.run(at: work, range) }
                c += participants
            }
        }
    }

    init(threads: Int) {
        self.threads = min(max(1, threads), Self.maxThreads)
        mutex = .allocate(capacity: 1)
        workReady = .allocate(capacity: 1)
        workDone = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workReady, nil)
        pthread_cond_init(workDone, nil)
        handles.reserveCapacity(self.threads - 1)
        for index in 1..<self.threads {
            let start = UnsafeMutablePointer<WorkerStart>.allocate(capacity: 1)
            start.initialize(to: WorkerStart(pool: Unmanaged.passUnretained(self), index: index))
            var handle = pthread_t()
            guard pthread_create(&handle, nil, workerMain, start) == 0 else {
                // Out of threads: the loop still runs, the chunks of missing workers on the others.
                start.deinitialize(count: 1)
                start.deallocate()
                break
            }
            handles.append(handle)
        }
        startedWorkers = handles.count
    }

    deinit {
        stop()
        pthread_cond_destroy(workDone)
        pthread_cond_destroy(workReady)
        pthread_mutex_destroy(mutex)
        workDone.deallocate()
        workReady.deallocate()
        mutex.deallocate()
    }

    /// Ends and joins the workers; the pool runs loops on the caller alone afterwards. Call only
    /// while no loop runs.
    func stop() {
        guard !handles.isEmpty else { return }
        pthread_mutex_lock(mutex)
        stopping.store(true, ordering: .releasing)
        pthread_cond_broadcast(workReady)
        pthread_mutex_unlock(mutex)
        for handle in handles { pthread_join(handle, nil) }
        handles.removeAll()
        startedWorkers = 0
    }

    /// Runs `work` over the chunks of `count` items; returns when every chunk has finished.
    func run<Work: ParallelWork>(count: Int, chunks: Int, work: Work) {
        let participants = min(chunks, startedWorkers + 1)
        withUnsafePointer(to: work) { work in
            var loop = Chunks(work: UnsafeRawPointer(work), kind: Work.self, count: count, chunks: chunks,
                              participants: participants)
            withUnsafePointer(to: &loop) { loop in
                if participants > 1 { publish(loop, participants: participants) }
                loop.pointee.run(thread: 0)
                if participants > 1 { waitForWorkers() }
            }
        }
    }

    private func publish(_ loop: UnsafePointer<Chunks>, participants: Int) {
        pending.store(participants - 1, ordering: .relaxed)
        job.store(UnsafeRawPointer(loop), ordering: .relaxed)
        generation += 1
        // Stored under the mutex so a worker between its last check and its wait cannot miss it.
        pthread_mutex_lock(mutex)
        published.store(generation << Self.participantBits | participants, ordering: .releasing)
        pthread_cond_broadcast(workReady)
        pthread_mutex_unlock(mutex)
    }

    private func waitForWorkers() {
        var spins = 0
        while pending.load(ordering: .acquiring) != 0 {
            spins += 1
            if spins < Self.spinLimit { continue }
            pthread_mutex_lock(mutex)
            while pending.load(ordering: .acquiring) != 0 { pthread_cond_wait(workDone, mutex) }
            pthread_mutex_unlock(mutex)
            return
        }
    }

    fileprivate func workerLoop(index: Int) {
        // Generation 0 is the pool's start: a loop published before this thread got going is
        // still one it has not seen.
        var seen = 0
        while true {
            let word = nextWord(after: seen)
            if stopping.load(ordering: .acquiring) { return }
            seen = word >> Self.participantBits
            let participants = word & Self.participantMask
            guard index < participants, let loop = job.load(ordering: .relaxed) else { continue }
            loop.assumingMemoryBound(to: Chunks.self).pointee.run(thread: index)
            // After this decrement the caller may return and its stack (the loop) is gone.
            if pending.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                pthread_mutex_lock(mutex)
                pthread_cond_signal(workDone)
                pthread_mutex_unlock(mutex)
            }
        }
    }

    /// The published word once its generation differs from `seen` (or the pool is stopping).
    private func nextWord(after seen: Int) -> Int {
        for _ in 0..<Self.spinLimit {
            let word = published.load(ordering: .acquiring)
            if word >> Self.participantBits != seen { return word }
        }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while true {
            let word = published.load(ordering: .acquiring)
            if word >> Self.participantBits != seen || stopping.load(ordering: .acquiring) { return word }
            pthread_cond_wait(workReady, mutex)
        }
    }
}

private struct WorkerStart {
    let pool: Unmanaged<WorkerPool>
    let index: Int
}

/// Workers reach their pool unretained: its owner joins them (`stop`) before dropping it.
private func workerMain(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let start = argument?.assumingMemoryBound(to: WorkerStart.self) else { return nil }
    let pool = start.pointee.pool, index = start.pointee.index
    start.deinitialize(count: 1)
    start.deallocate()
    pool.takeUnretainedValue().workerLoop(index: index)
    return nil
}
