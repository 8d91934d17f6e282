import Foundation
import MolVAE

/// The engine's thread count (`EngineThreads.set`) is one setting for the whole process, and every
/// test target runs in one process with suites in parallel. A test that sets the count and then
/// compares runs bit for bit must not have another suite change it halfway: products would be split
/// differently between the runs, and OpenBLAS's Haswell kernels round a split product differently.
/// So every test that sets the count does it through `withEngineThreads`, which holds one lock for
/// the whole body and puts the count back to 1 afterwards.
///
/// Inside the body `EngineThreads.set` may switch the count (a test comparing 1 and 2 threads), and
/// `withEngineThreads` may nest on the same thread. `TinyModel` trains under this lock the first
/// time it is used: load it before taking the lock, never first inside it (a second thread
/// waiting inside that first use would wait for the lock forever).
public func withEngineThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
    engineThreadsLock.lock()
    defer {
        EngineThreads.set(1)
        engineThreadsLock.unlock()
    }
    EngineThreads.set(threads)
    return try body()
}

private let engineThreadsLock = NSRecursiveLock()
