import CKernels
import CZlib
import Foundation

/// Streams a large output to a temporary file beside `path` and renames it into place on
/// `commit()`, so readers never see a half-written file and memory stays bounded (the streaming
/// counterpart of ``AtomicFile``). Without `commit()` the temporary file is removed, and so it is
/// when SIGINT, SIGTERM or SIGHUP ends the process first (`temporary_files.h`).
///
/// A name ending in `.gz` is written gzip-compressed: the extension decides the format, as it
/// does for `x.csv.gz` inputs (which every reader also recognises by content).
public final class AtomicFileWriter {
    public let path: String
    private let temporaryPath: String
    private var sink: Sink?
    /// The slot of `temporaryPath` in the signal-time removal list.
    private let signalSlot: Int32

    private enum Sink {
        case plain(UnsafeMutablePointer<FILE>)
        /// zlib writes through its own descriptor (a duplicate); `descriptor` stays open for fsync.
        case gzip(gzFile, descriptor: Int32)
    }

    /// Whether a file with this name is written gzip-compressed.
    public static func compresses(_ path: String) -> Bool { path.lowercased().hasSuffix(".gz") }

    /// Opens a temporary file beside `path`; `compress` nil means compress when the name ends
    /// in `.gz`.
    public init(path: String, compress: Bool? = nil) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw AtomicFile.WriteError(path: path, reason: error.localizedDescription)
        }
        temporaryPath = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        // Registered before it exists: a signal between creating and registering the file would
        // otherwise leave it behind (found by the signal test under AddressSanitizer). Unlinking
        // a path that was never created is harmless.
        signalSlot = mk_temporary_file_register(temporaryPath)
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            mk_temporary_file_forget(signalSlot)
            throw AtomicFile.WriteError(path: path, reason: reason)
        }
        if compress ?? Self.compresses(path) {
            let zlibDescriptor = dup(descriptor)
            guard zlibDescriptor >= 0, let compressed = gzdopen(zlibDescriptor, "wb") else {
                let reason = String(cString: strerror(errno))
                if zlibDescriptor >= 0 { close(zlibDescriptor) }
                close(descriptor)
                unlink(temporaryPath)
                mk_temporary_file_forget(signalSlot)
                throw AtomicFile.WriteError(path: path, reason: "zlib could not open the stream: \(reason)")
            }
            sink = .gzip(compressed, descriptor: descriptor)
        } else {
            guard let handle = fdopen(descriptor, "wb") else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                unlink(temporaryPath)
                mk_temporary_file_forget(signalSlot)
                throw AtomicFile.WriteError(path: path, reason: reason)
            }
            sink = .plain(handle)
        }
    }

    deinit {
        switch sink {
        case .plain(let file):
            fclose(file)
            unlink(temporaryPath)
        case .gzip(let compressed, let descriptor):
            gzclose(compressed)
            close(descriptor)
            unlink(temporaryPath)
        case nil:
            break
        }
        mk_temporary_file_forget(signalSlot)
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
        switch sink {
        case nil:
            throw AtomicFile.WriteError(path: path, reason: "already committed")
        case .plain(let file):
            if fwrite(bytes.baseAddress, 1, bytes.count, file) != bytes.count {
                throw AtomicFile.WriteError(path: path, reason: String(cString: strerror(errno)))
            }
        case .gzip(let compressed, _):
            var offset = 0
            while offset < bytes.count {
                let piece = min(bytes.count - offset, 1 << 30)
                if gzwrite(compressed, bytes.baseAddress! + offset, UInt32(piece)) != Int32(piece) {
                    var code: Int32 = 0
                    let message = gzerror(compressed, &code).map { String(cString: $0) } ?? "zlib write failed"
                    throw AtomicFile.WriteError(path: path, reason: code == Z_ERRNO ? String(cString: strerror(errno)) : message)
                }
                offset += piece
            }
        }
    }

    /// Flushes, syncs and renames the temporary file over `path`.
    public func commit() throws {
        guard let sink else { return }
        self.sink = nil
        defer { mk_temporary_file_forget(signalSlot) }
        let failure: String?
        switch sink {
        case .plain(let file):
            let failed = fflush(file) != 0 || fsync(fileno(file)) != 0
            failure = failed ? String(cString: strerror(errno)) : nil
            fclose(file)
        case .gzip(let compressed, let descriptor):
            let closed = gzclose(compressed)
            if closed != Z_OK {
                failure = closed == Z_ERRNO ? String(cString: strerror(errno)) : "zlib could not finish the stream (\(closed))"
            } else {
                failure = fsync(descriptor) != 0 ? String(cString: strerror(errno)) : nil
            }
            close(descriptor)
        }
        if let failure {
            unlink(temporaryPath)
            throw AtomicFile.WriteError(path: path, reason: failure)
        }
        if rename(temporaryPath, path) != 0 {
            let why = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw AtomicFile.WriteError(path: path, reason: why)
        }
    }
}
