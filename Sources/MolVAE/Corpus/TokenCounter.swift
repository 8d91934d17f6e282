/// Counts token occurrences fast enough for million-molecule corpora.
///
/// Almost every SMILES token is one ASCII byte, so those are counted in a 128-entry array and
/// only multi-byte tokens (`Cl`, `[nH]`, `%10`…) go through a dictionary; building a `String`
/// and hashing it for every `c` and `(` made counting several times slower.
public struct TokenCounter: Sendable {
    private var singleByte = [Int](repeating: 0, count: 128)
    private var multiByte: [String: Int] = [:]

    public init() {}

    /// Adds every token of `smiles`.
    public mutating func add(_ smiles: String) {
        var text = smiles
        text.withUTF8 { bytes in
            SMILESTokenizer.forEachTokenRange(in: bytes) { range in
                if range.count == 1, bytes[range.lowerBound] < 0x80 {
                    singleByte[Int(bytes[range.lowerBound])] += 1
                } else {
                    multiByte[String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self), default: 0] += 1
                }
            }
        }
    }

    /// Adds another counter's counts (e.g. from a parallel worker).
    public mutating func merge(_ other: TokenCounter) {
        for index in 0..<128 { singleByte[index] += other.singleByte[index] }
        multiByte.merge(other.multiByte, uniquingKeysWith: +)
    }

    /// Occurrences by token; tokens never seen are absent.
    public var counts: [String: Int] {
        var result = multiByte
        for (byte, count) in singleByte.enumerated() where count > 0 {
            result[String(UnicodeScalar(UInt8(byte))), default: 0] += count
        }
        return result
    }
}
