/// A value one rank computes and another receives: written to bytes and read back exactly
/// (doubles by their bit pattern), so that a result gathered from another rank is the very value
/// a single process would have computed itself.
public protocol RankPayload {
    func write(to writer: inout BinaryWriter)
    init(from reader: inout BinaryReader) throws(CacheFileError)
}

extension String: RankPayload {
    public func write(to writer: inout BinaryWriter) { writer.string(self) }
    public init(from reader: inout BinaryReader) throws(CacheFileError) { self = try reader.string() }
}

extension Double: RankPayload {
    public func write(to writer: inout BinaryWriter) { writer.f64(self) }
    public init(from reader: inout BinaryReader) throws(CacheFileError) { self = try reader.f64() }
}

extension Optional: RankPayload where Wrapped: RankPayload {
    public func write(to writer: inout BinaryWriter) {
        if let value = self {
            writer.u8(1)
            value.write(to: &writer)
        } else {
            writer.u8(0)
        }
    }

    public init(from reader: inout BinaryReader) throws(CacheFileError) {
        switch try reader.u8("optional tag") {
        case 0: self = nil
        case 1: self = try Wrapped(from: &reader)
        case let tag: throw .corrupt("optional tag \(tag)")
        }
    }
}

extension Array where Element: RankPayload {
    /// The count, then each element.
    func payloadBytes() -> [UInt8] {
        var writer = BinaryWriter()
        writer.int(count)
        for element in self { element.write(to: &writer) }
        return writer.bytes
    }

    /// What `payloadBytes` wrote on another rank of the same binary: anything else is a bug, so
    /// it stops this rank rather than continue with wrong results.
    init(payloadBytes bytes: [UInt8]) {
        var reader = BinaryReader(bytes)
        do throws(CacheFileError) {
            let n = try reader.int("element count")
            var elements: [Element] = []
            elements.reserveCapacity(n)
            for _ in 0..<n { elements.append(try Element(from: &reader)) }
            guard reader.remaining == 0 else { throw .corrupt("\(reader.remaining) bytes left over") }
            self = elements
        } catch {
            preconditionFailure("malformed \(Element.self) payload from another rank: \(error)")
        }
    }
}
