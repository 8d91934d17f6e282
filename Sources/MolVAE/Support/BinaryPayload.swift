import Foundation

/// Appends little-endian values to a byte buffer: the payload side of a cache file.
/// Collections are written with their count first, so the reader can check each length against
/// the bytes that remain before it allocates anything.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ value: UInt8) { bytes.append(value) }

    public mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }

    public mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }

    public mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }

    /// A non-negative count or index, stored as 64 bits.
    public mutating func int(_ value: Int) {
        precondition(value >= 0, "only counts are stored")
        u64(UInt64(value))
    }

    /// The IEEE bit pattern, so values round-trip exactly (NaN payloads and -0 included).
    public mutating func f64(_ value: Double) { u64(value.bitPattern) }

    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    public mutating func raw(_ data: some Collection<UInt8>) { bytes.append(contentsOf: data) }

    public mutating func f64s(_ values: [Double]) {
        int(values.count)
        for value in values { f64(value) }
    }

    public mutating func u64s(_ values: [UInt64]) {
        int(values.count)
        for value in values { u64(value) }
    }

    /// Strings sorted, so the same set always gives the same bytes (Set order is per process).
    public mutating func strings(_ values: Set<String>) {
        int(values.count)
        for value in values.sorted() { string(value) }
    }

    /// Strings in their order (a list, duplicates allowed).
    public mutating func stringList(_ values: [String]) {
        int(values.count)
        for value in values { string(value) }
    }

    /// Pairs sorted by key, for the same reason as `strings`.
    public mutating func counts(_ values: [String: Int]) {
        int(values.count)
        for (key, count) in values.sorted(by: { $0.key < $1.key }) {
            string(key)
            int(count)
        }
    }
}

/// Reads what `BinaryWriter` wrote. Every read is bounds-checked and throws
/// `CacheFileError.corrupt` instead of trapping, since the bytes come from a file on disk.
public struct BinaryReader {
    private let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var remaining: Int { bytes.count - offset }

    private mutating func take(_ count: Int, _ what: String) throws(CacheFileError) -> Range<Int> {
        guard count >= 0, count <= remaining else {
            throw .corrupt("\(what) needs \(count) bytes at offset \(offset), only \(remaining) remain")
        }
        defer { offset += count }
        return offset..<offset + count
    }

    private mutating func little<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(CacheFileError) -> T {
        let range = try take(MemoryLayout<T>.size, what)
        return T(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: range.lowerBound, as: T.self) })
    }

    public mutating func u8(_ what: String = "byte") throws(CacheFileError) -> UInt8 { try little(UInt8.self, what) }
    public mutating func u16(_ what: String = "u16") throws(CacheFileError) -> UInt16 { try little(UInt16.self, what) }
    public mutating func u32(_ what: String = "u32") throws(CacheFileError) -> UInt32 { try little(UInt32.self, what) }
    public mutating func u64(_ what: String = "u64") throws(CacheFileError) -> UInt64 { try little(UInt64.self, what) }

    public mutating func int(_ what: String = "count") throws(CacheFileError) -> Int {
        let value = try u64(what)
        guard value <= UInt64(Int.max) else { throw .corrupt("\(what) \(value) is out of range") }
        return Int(value)
    }

    /// A count of items each at least `minimumSize` bytes long, checked against what remains.
    public mutating func count(of what: String, minimumSize: Int) throws(CacheFileError) -> Int {
        let n = try int("\(what) count")
        guard n <= remaining / max(1, minimumSize) else {
            throw .corrupt("\(n) \(what) cannot fit in the \(remaining) bytes that remain")
        }
        return n
    }

    public mutating func f64(_ what: String = "f64") throws(CacheFileError) -> Double { Double(bitPattern: try u64(what)) }

    public mutating func raw(_ count: Int, _ what: String) throws(CacheFileError) -> ArraySlice<UInt8> {
        bytes[try take(count, what)]
    }

    public mutating func string(_ what: String = "string") throws(CacheFileError) -> String {
        let length = try int("\(what) length")
        let slice = try raw(length, what)
        return slice.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    public mutating func f64s(_ what: String) throws(CacheFileError) -> [Double] {
        let n = try count(of: what, minimumSize: 8)
        var values = [Double]()
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try f64(what)) }
        return values
    }

    public mutating func u64s(_ what: String) throws(CacheFileError) -> [UInt64] {
        let n = try count(of: what, minimumSize: 8)
        var values = [UInt64]()
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try u64(what)) }
        return values
    }

    public mutating func strings(_ what: String) throws(CacheFileError) -> Set<String> {
        let n = try count(of: what, minimumSize: 8)
        var values = Set<String>(minimumCapacity: n)
        for _ in 0..<n { values.insert(try string(what)) }
        guard values.count == n else { throw .corrupt("\(what) holds duplicates") }
        return values
    }

    public mutating func stringList(_ what: String) throws(CacheFileError) -> [String] {
        let n = try count(of: what, minimumSize: 8)
        var values = [String]()
        values.reserveCapacity(n)
        for _ in 0..<n { values.append(try string(what)) }
        return values
    }

    public mutating func counts(_ what: String) throws(CacheFileError) -> [String: Int] {
        let n = try count(of: what, minimumSize: 16)
        var values = [String: Int](minimumCapacity: n)
        for _ in 0..<n {
            let key = try string(what)
            values[key] = try int("\(what) count")
        }
        guard values.count == n else { throw .corrupt("\(what) holds duplicate keys") }
        return values
    }
}
