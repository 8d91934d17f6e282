/// Up to `n` records of a molecule file: all of them when the file has at most `n`, otherwise a
/// uniform random sample of `n` drawn in one pass (reservoir sampling, Algorithm R) with the
/// counter RNG of `seed`. Returned in file order. Memory holds only the `n` records kept, so a
/// map of 2,000 molecules can be drawn from a corpus of millions.
public enum RecordSample {
    public static func draw(path: String, n: Int, seed: UInt64) throws(SMILESReadError) -> (records: [SMILESRecord], total: Int) {
        precondition(n >= 1)
        let reader = try SMILESReader(path: path)
        var kept: [SMILESRecord] = []
        var rng = CounterRNG(seed: seed, stream: 0x5245_5345_5256_4F49)
        var seen = 0
        while let record = try reader.next() {
            if kept.count < n {
                kept.append(record)
            } else {
                // Record number `seen` (from 0) replaces a kept one with probability n / (seen + 1).
                let j = Int(rng.nextUInt64() % UInt64(seen + 1))
                if j < n { kept[j] = record }
            }
            seen += 1
        }
        kept.sort { $0.lineNumber < $1.lineNumber }
        return (kept, seen)
    }
}
