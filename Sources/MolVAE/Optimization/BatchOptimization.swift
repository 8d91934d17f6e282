import Dispatch
import Foundation

/// Many start molecules searched in parallel, one optimizer (and so one model copy) per
/// worker. Start i's search uses the seed of index i whatever worker runs it, so the results,
/// returned in start order, do not depend on the number of workers.
public enum BatchOptimization {
    /// Searches every start; `makeOptimizer` is called once per worker; `onFinished(done)` after
    /// each start (from the finishing worker, serialised). The first error stops the batch.
    public static func run(starts: [StartMolecule], workers: Int, makeOptimizer: () throws -> LatentOptimizer,
                           onFinished: ((Int) -> Void)? = nil) throws -> [SearchResult] {
        guard !starts.isEmpty else { return [] }
        let count = min(max(1, workers), starts.count)
        let optimizers = try (0..<count).map { _ in try makeOptimizer() }
        if count == 1 {
            return try starts.enumerated().map { i, start in
                let r = try optimizers[0].search(start: start, index: i)
                onFinished?(i + 1)
                return r
            }
        }
        let lock = NSLock()
        var results = [SearchResult?](repeating: nil, count: starts.count)
        var next = 0, done = 0
        var failure: (any Error)?
        let shared = UncheckedSendable((optimizers, onFinished))
        withoutActuallyEscaping({ (worker: Int) in
            let optimizer = shared.value.0[worker]
            while true {
                lock.lock()
                let i = next
                next += 1
                let stop = failure != nil
                lock.unlock()
                guard i < starts.count, !stop else { return }
                do {
                    let r = try optimizer.search(start: starts[i], index: i)
                    lock.lock()
                    results[i] = r
                    done += 1
                    shared.value.1?(done)
                    lock.unlock()
                } catch {
                    lock.lock()
                    if failure == nil { failure = error }
                    lock.unlock()
                    return
                }
            }
        }) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
        }
        if let failure { throw failure }
        return results.map { $0! }
    }
}
