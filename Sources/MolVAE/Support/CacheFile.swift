import CZlib

/// What a cache file was computed from and how: a file is only used when every field matches.
public struct CacheKey: Sendable, Equatable {
    /// sha256 of the source file's bytes, 64 lowercase hex digits.
    public var sha256: String
    /// What the source file was read as ("train", "reference"): the same bytes read in another
    /// role give another artefact.
    public var role: String
    /// What artefact this is ("strings", "statistics", ...), one per cached computation.
    public var kind: String
    /// The payload layout and meaning; bump it whenever either changes.
    public var version: UInt32
    /// What else the values depend on (e.g. the RDKit version that scored the molecules).
    public var producer: String

    public init(sha256: String, role: String, kind: String, version: UInt32, producer: String) {
        self.sha256 = sha256
        self.role = role
        self.kind = kind
        self.version = version
        self.producer = producer
    }
}

/// Why a cache file's bytes were not used.
public enum CacheFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a whole, intact cache file: bad magic, truncated, checksum mismatch, bad payload.
    case corrupt(String)
    /// An intact cache file made for another key (another source file, version or producer).
    case stale(String)

    public var description: String {
        switch self {
        case .corrupt(let reason): "corrupt: \(reason)"
        case .stale(let reason): "stale: \(reason)"
        }
    }
}

/// The on-disk container of one cached artefact. Little-endian throughout:
///
///     magic            8 bytes  "MOLVAEC" 0x1A
///     container        u32      CacheFile.containerVersion (this header's layout)
///     sha256           32 bytes the source file's digest, raw
///     role, kind       u64 length + UTF-8 each
///     version          u32      the payload format version (CacheKey.version)
///     producer         u64 length + UTF-8
///     payload length   u64
///     payload crc32    u32      zlib's CRC-32 of the payload
///     header crc32     u32      CRC-32 of every header byte before it
///     payload
///
/// The header checksum lets a damaged header read as corrupt rather than as another key; the
/// payload length catches truncation before the checksum is even computed.
public enum CacheFile {
    public static let magic: [UInt8] = Array("MOLVAEC".utf8) + [0x1A]
    public static let containerVersion: UInt32 = 1

    public static func encode(_ key: CacheKey, payload: [UInt8]) -> [UInt8] {
        var header = BinaryWriter()
        header.raw(magic)
        header.u32(containerVersion)
        header.raw(digestBytes(key.sha256))
        header.string(key.role)
        header.string(key.kind)
        header.u32(key.version)
        header.string(key.producer)
        header.int(payload.count)
        header.u32(crc32(payload[...]))
        header.u32(crc32(header.bytes[...]))
        return header.bytes + payload
    }

    /// Checks `bytes` against `key` and returns a reader positioned at the payload.
    public static func open(_ bytes: [UInt8], expecting key: CacheKey) throws(CacheFileError) -> BinaryReader {
        var reader = BinaryReader(bytes)
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw .corrupt("not a molvae cache file (bad magic)")
        }
        _ = try reader.raw(magic.count, "magic")
        let container = try reader.u32("container version")
        guard container == containerVersion else {
            throw .stale("container version \(container), this molvae writes \(containerVersion)")
        }
        let sha256 = try reader.raw(32, "sha256").map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let role = try reader.string("role")
        let kind = try reader.string("kind")
        let version = try reader.u32("version")
        let producer = try reader.string("producer")
        let payloadLength = try reader.int("payload length")
        let payloadCRC = try reader.u32("payload crc32")
        let headerEnd = reader.offset
        let headerCRC = try reader.u32("header crc32")
        guard crc32(bytes[0..<headerEnd]) == headerCRC else { throw .corrupt("header checksum mismatch") }

        let found = CacheKey(sha256: sha256, role: role, kind: kind, version: version, producer: producer)
        if found != key { throw .stale(difference(found, key)) }
        guard reader.remaining == payloadLength else {
            throw .corrupt(reader.remaining < payloadLength
                ? "truncated: \(reader.remaining) of \(payloadLength) payload bytes"
                : "\(reader.remaining - payloadLength) bytes after the payload")
        }
        guard crc32(bytes[reader.offset...]) == payloadCRC else { throw .corrupt("payload checksum mismatch") }
        return reader
    }

    private static func difference(_ found: CacheKey, _ wanted: CacheKey) -> String {
        var parts: [String] = []
        if found.sha256 != wanted.sha256 { parts.append("made from sha256 \(found.sha256.prefix(12))…, the file now has \(wanted.sha256.prefix(12))…") }
        if found.role != wanted.role { parts.append("role \(found.role), wanted \(wanted.role)") }
        if found.kind != wanted.kind { parts.append("kind \(found.kind), wanted \(wanted.kind)") }
        if found.version != wanted.version { parts.append("format v\(found.version), wanted v\(wanted.version)") }
        if found.producer != wanted.producer { parts.append("made by \(found.producer), now \(wanted.producer)") }
        return parts.joined(separator: "; ")
    }

    /// 32 raw bytes from 64 hex digits (anything else hashes to zeros, which matches no file).
    static func digestBytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return [UInt8](repeating: 0, count: 32) }
        return (0..<32).map { i in UInt8(String(decoding: digits[2 * i..<2 * i + 2], as: UTF8.self), radix: 16) ?? 0 }
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(CZlib.crc32_z(0, $0.baseAddress, $0.count)) }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
