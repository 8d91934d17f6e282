import Foundation

/// Streams a large output to a temporary file beside `path` and renames it into place on
/// `commit()`, so readers never see a half-written file and memory stays bounded (the streaming
/// counterpart of ``AtomicFile``). Without `commit()` the temporary file is removed.
public final class AtomicFileWriter {
    public let path: String
    private let temporaryPath: String
    private var file: UnsafeMutablePointer<FILE>?

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AtomicFile.WriteError(path: path, reason: error.localizedDescription)
        }
        temporaryPath = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        guard let handle = fopen(temporaryPath, "wb") else {
            throw AtomicFile.WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        file = handle
    }

    deinit {
        if let file {
            fclose(file)
            unlink(temporaryPath)
        }
    }

    /// Appends `text`.
    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `data`.
    public func write(_ data: Data) throws {
        try data.withUnsafeBytes { try write($0) }
    }

    /// Appends `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        guard let file else { throw AtomicFile.WriteError(path: path, reason: "already committed") }
        if fwrite(bytes.baseAddress, 1, bytes.count, file) != bytes.count {
            throw AtomicFile.WriteError(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Flushes, syncs and renames the temporary file over `path`.
    public func commit() throws {
        guard let file else { return }
        self.file = nil
        let failed = fflush(file) != 0 || fsync(fileno(file)) != 0
        let reason = String(cString: strerror(errno))
        fclose(file)
        if failed || rename(temporaryPath, path) != 0 {
            let why = failed ? reason : String(cString: strerror(errno))
            unlink(temporaryPath)
            throw AtomicFile.WriteError(path: path, reason: why)
        }
    }
}
