import Foundation

/// ChemNet statistics of a reference set, stored so that a second report against the same
/// reference spends no time on it. Little-endian, in order:
///
///     magic "MOLVAE-FCDSTATS\n" (16 bytes), format version UInt32 (1), dimension UInt32,
///     molecule count UInt64, the reference file's sha256 (64 ASCII hex digits), the ChemNet
///     weights file's sha256 (64 digits), mean (dimension × Float64), covariance upper triangle
///     row by row (dimension·(dimension+1)/2 × Float64), then the SHA-256 of everything before
///     it (64 ASCII hex digits).
///
/// A file whose key (reference and network digests) differs from the one asked for is stale:
/// `read` says so and the caller recomputes. A file that fails any other check (magic, version,
/// length, checksum, a non-finite value) is corrupt: an error naming the file.
public struct ChemNetStatisticsFile: Sendable {
    public static let magic = Array("MOLVAE-FCDSTATS\n".utf8)
    public static let version: UInt32 = 1
    /// The extension of statistics files (`<reference file>.fcdstats` beside the reference, or
    /// `<sha256>.fcdstats` in the cache folder).
    public static let pathExtension = "fcdstats"

    public let referenceSHA256: String
    public let networkSHA256: String
    public let statistics: ChemNetStatistics

    public init(referenceSHA256: String, networkSHA256: String, statistics: ChemNetStatistics) {
        self.referenceSHA256 = referenceSHA256
        self.networkSHA256 = networkSHA256
        self.statistics = statistics
    }

    public enum ReadResult: Sendable {
        case valid(ChemNetStatistics)
        /// Made from another reference file or another network.
        case stale(reason: String)
    }

    public func encoded() -> Data {
        var out = Data(Self.magic)
        let d = statistics.dimension
        append(&out, Self.version)
        append(&out, UInt32(d))
        append(&out, UInt64(statistics.count))
        out.append(contentsOf: Array(referenceSHA256.utf8))
        out.append(contentsOf: Array(networkSHA256.utf8))
        for v in statistics.mean { append(&out, v.bitPattern) }
        for i in 0..<d { for j in i..<d { append(&out, statistics.covariance[i * d + j].bitPattern) } }
        out.append(contentsOf: Array(SHA256.hexDigest(of: out).utf8))
        return out
    }

    public func write(to path: String) throws { try AtomicFile.write(encoded(), to: path) }

    /// Reads `path`, checking it against the digests it must carry.
    public static func read(from path: String, referenceSHA256: String, networkSHA256: String) throws -> ReadResult {
        let data: Data
        do { data = try FileBytes.read(path) }
        catch { throw ChemNetStatisticsFileError(path: path, problem: "cannot be read (\(error.localizedDescription))") }
        let bytes = [UInt8](data)
        func corrupt(_ problem: String) -> ChemNetStatisticsFileError {
            ChemNetStatisticsFileError(path: path, problem: problem + "; delete it and it will be recomputed")
        }
        let headerLength = magic.count + 4 + 4 + 8 + 64 + 64
        guard bytes.count >= headerLength + 64 else { throw corrupt("is truncated (\(bytes.count) bytes)") }
        guard Array(bytes[0..<magic.count]) == magic else { throw corrupt("is not a molvae ChemNet statistics file") }
        var offset = magic.count
        let version: UInt32 = load(bytes, &offset)
        guard version == Self.version else { throw corrupt("has format version \(version), this molvae reads \(Self.version)") }
        let d = Int(load(bytes, &offset) as UInt32)
        let count = Int(load(bytes, &offset) as UInt64)
        guard d >= 1 && d <= 4096 else { throw corrupt("claims dimension \(d)") }
        let expectedLength = headerLength + 8 * (d + d * (d + 1) / 2) + 64
        guard bytes.count == expectedLength else { throw corrupt("is \(bytes.count) bytes, expected \(expectedLength) (truncated or damaged)") }
        guard Array(SHA256.hexDigest(of: bytes[0..<(expectedLength - 64)]).utf8) == Array(bytes[(expectedLength - 64)...]) else {
            throw corrupt("fails its checksum (damaged)")
        }
        let reference = String(decoding: bytes[offset..<(offset + 64)], as: UTF8.self)
        let network = String(decoding: bytes[(offset + 64)..<(offset + 128)], as: UTF8.self)
        offset += 128
        var mean = [Double](repeating: 0, count: d)
        for j in 0..<d { mean[j] = Double(bitPattern: load(bytes, &offset)) }
        var covariance = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in i..<d {
                let v = Double(bitPattern: load(bytes, &offset))
                covariance[i * d + j] = v
                covariance[j * d + i] = v
            }
        }
        guard mean.allSatisfy(\.isFinite) && covariance.allSatisfy(\.isFinite) else { throw corrupt("holds non-finite values") }
        guard count >= 2 else { throw corrupt("claims \(count) molecules") }
        if reference != referenceSHA256 {
            return .stale(reason: "made from a file with sha256 \(reference), not \(referenceSHA256)")
        }
        if network != networkSHA256 {
            return .stale(reason: "made with ChemNet weights of sha256 \(network), not \(networkSHA256)")
        }
        return .valid(ChemNetStatistics(count: count, mean: mean, covariance: covariance))
    }
}

public struct ChemNetStatisticsFileError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let problem: String
    public var description: String { "ChemNet statistics file \(path) \(problem)" }
}

private func append<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
    withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
}

private func load<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: inout Int) -> T {
    var value: T = 0
    for k in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + k]) << (8 * k) }
    offset += MemoryLayout<T>.size
    return value
}
