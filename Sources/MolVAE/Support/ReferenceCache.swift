import Foundation

/// The folder where artefacts computed from reference files (training strings, reference
/// statistics, and anything else worth keeping per file) are cached between runs.
///
/// One file per source file, role and artefact: `DIR/<sha256>.<role>.<kind>.v<version>`, so a
/// new kind of artefact (another metric's statistics) lives beside the others without touching
/// them, and a changed source file simply has another name. Every file is a `CacheFile`: its
/// header repeats the key and carries checksums, so a file is used only when it is intact and
/// made for exactly this input; anything else is recomputed and rewritten, never trusted.
public struct ReferenceCache: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `$MOLVAE_CACHE_DIR`, else `$XDG_CACHE_HOME/molvae`, else `~/.cache/molvae`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["MOLVAE_CACHE_DIR"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return (xdg as NSString).appendingPathComponent("molvae") }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".cache/molvae")
    }

    /// The cache file for one artefact of one source file.
    public func path(sha256: String, role: String, kind: String, version: UInt32) -> String {
        (directory as NSString).appendingPathComponent("\(sha256).\(role).\(kind).v\(version)")
    }

    public func url(sha256: String, role: String, kind: String, version: UInt32) -> URL {
        URL(fileURLWithPath: path(sha256: sha256, role: role, kind: kind, version: version))
    }

    public func path(for key: CacheKey) -> String {
        path(sha256: key.sha256, role: key.role, kind: key.kind, version: key.version)
    }

    /// What happened to one cache file during `value(for:...)`.
    public enum Outcome: Sendable, Equatable {
        /// Read and used.
        case hit
        /// Not there: computed, and written unless writing failed.
        case missing(written: Bool)
        /// There but unusable (corrupt or stale): computed again and rewritten (if possible).
        case replaced(CacheFileError, written: Bool)
    }

    /// The cached value for `key`, or `compute()`'s result, which is then stored. A file that
    /// fails any check is reported through `note` (one line naming the file) and recomputed;
    /// a cache that cannot be written is reported and otherwise ignored, since it only saves time.
    public func value<T>(for key: CacheKey,
                         decode: (inout BinaryReader) throws(CacheFileError) -> T,
                         encode: (T) -> [UInt8],
                         compute: () throws -> T,
                         note: (String) -> Void) throws -> (value: T, outcome: Outcome) {
        let (cached, problem) = lookUp(key, decode: decode, note: note)
        if let cached { return (cached, .hit) }
        let value = try compute()
        return (value, store(value, for: key, encode: encode, replacing: problem, note: note))
    }

    /// The cached value for `key` when an intact file made for it exists; else nil, with the
    /// problem of a file that was there but unusable (reported through `note`).
    public func lookUp<T>(_ key: CacheKey, decode: (inout BinaryReader) throws(CacheFileError) -> T,
                          note: (String) -> Void) -> (value: T?, problem: CacheFileError?) {
        let path = path(for: key)
        // FileBytes: Foundation leaks its read buffer on an empty file (a truncated cache).
        guard let data = try? FileBytes.read(path) else { return (nil, nil) }
        do throws(CacheFileError) {
            var reader = try CacheFile.open([UInt8](data), expecting: key)
            let value = try decode(&reader)
            guard reader.remaining == 0 else { throw .corrupt("\(reader.remaining) unread payload bytes") }
            return (value, nil)
        } catch {
            switch error {
            case .corrupt(let reason): note("cache file \(path) is corrupt (\(reason)); recomputing it")
            case .stale(let reason): note("cache file \(path) is stale (\(reason)); recomputing it")
            }
            return (nil, error)
        }
    }

    /// Writes a computed value for `key` (atomically) and says what happened: `problem` is the
    /// unusable file it replaces, if any. A cache that cannot be written is reported and ignored.
    public func store<T>(_ value: T, for key: CacheKey, encode: (T) -> [UInt8], replacing problem: CacheFileError?,
                         note: (String) -> Void) -> Outcome {
        let path = path(for: key)
        var written = true
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicFile.write(Data(CacheFile.encode(key, payload: encode(value))), to: path)
        } catch {
            written = false
            note("cannot write cache file \(path) (\(error)); continuing without it")
        }
        return problem.map { .replaced($0, written: written) } ?? .missing(written: written)
    }

    /// What reference statistics depend on besides the file and the payload format: the
    /// chemistry that computed them.
    public static var producer: String { "molvae \(MolVAEVersion.current), RDKit \(RDKitLogging.rdkitVersion)" }
}
