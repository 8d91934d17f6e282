/// Length-bucketed, shuffled batches for one epoch, from (seed, epoch) alone: the molecules are
/// shuffled (Fisher–Yates with the counter RNG), cut into buckets of bucketBatches batches,
/// each bucket is sorted by length (so a batch holds similar lengths and pays for little
/// ragged work), cut into batches, and the batch order is shuffled. No thread count involved.
public enum BatchPlan {
    public static func batches(lengths: [Int], batchSize: Int, seed: UInt64, epoch: Int, bucketBatches: Int = 50) -> [[Int]] {
        let n = lengths.count
        guard n > 0 else { return [] }
        let size = max(1, batchSize)
        var order = Array(0..<n)
        var rng = CounterRNG(seed: seed, stream: 0xBA7C_0000_0000 ^ UInt64(epoch))
        shuffle(&order, rng: &rng)
        var batches: [[Int]] = []
        let bucket = size * max(1, bucketBatches)
        var start = 0
        while start < n {
            let end = min(n, start + bucket)
            // Stable sort by length within the bucket (ties keep the shuffled order).
            let sorted = order[start..<end].enumerated().sorted {
                lengths[$0.element] != lengths[$1.element] ? lengths[$0.element] < lengths[$1.element] : $0.offset < $1.offset
            }.map(\.element)
            var b = 0
            while b < sorted.count {
                batches.append(Array(sorted[b..<min(sorted.count, b + size)]))
                b += size
            }
            start = end
        }
        var batchRNG = CounterRNG(seed: seed, stream: 0xBA7D_0000_0000 ^ UInt64(epoch))
        shuffle(&batches, rng: &batchRNG)
        return batches
    }

    static func shuffle<T>(_ a: inout [T], rng: inout CounterRNG) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            let j = Int(rng.nextUInt64() % UInt64(i + 1))
            a.swapAt(i, j)
        }
    }
}
