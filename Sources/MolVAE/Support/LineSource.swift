import CZlib
import Foundation

/// Reads a text file line by line as raw bytes, transparently gunzipping `.gz` input (zlib's
/// `gzread` passes plain files through unchanged, so one code path reads both).
///
/// Lines are bytes, not `String`s: corpora contain non-UTF-8 bytes and NULs, and the caller
/// decides what those mean. The trailing `\n` and a `\r` before it are removed. Memory is one
/// read buffer plus the current line. Not thread-safe; use one source per reader.
public final class LineSource {
    /// The file could not be opened or read.
    public struct ReadError: Error, CustomStringConvertible, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "cannot read \(path): \(reason)" }
    }

    /// The path as given (`-` for standard input).
    public let path: String
    /// Number of lines returned so far (the 1-based number of the last line).
    public private(set) var lineNumber = 0

    private var file: gzFile?
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var finished = false

    /// Opens `path`, or standard input for `-`.
    public init(path: String, bufferSize: Int = 1 << 16) throws(ReadError) {
        self.path = path
        buffer = [UInt8](repeating: 0, count: max(bufferSize, 64))
        if path == "-" {
            let descriptor = dup(STDIN_FILENO)
            guard descriptor >= 0, let handle = gzdopen(descriptor, "rb") else {
                throw ReadError(path: "standard input", reason: String(cString: strerror(errno)))
            }
            file = handle
        } else {
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw ReadError(path: path, reason: String(cString: strerror(errno)))
            }
            guard (info.st_mode & S_IFMT) != S_IFDIR else {
                throw ReadError(path: path, reason: "is a directory")
            }
            guard let handle = gzopen(path, "rb") else {
                throw ReadError(path: path, reason: errno == 0 ? "gzopen failed" : String(cString: strerror(errno)))
            }
            file = handle
        }
        gzbuffer(file, 1 << 17)
    }

    deinit { if let file { gzclose(file) } }

    /// The next line without its line ending, or nil at the end of the input. A final line
    /// without a newline is still returned.
    public func nextLine() throws(ReadError) -> [UInt8]? {
        var line: [UInt8] = []
        while true {
            if start < end {
                let found: Int? = buffer.withUnsafeBufferPointer { bytes in
                    guard let base = bytes.baseAddress,
                          let hit = memchr(base + start, 0x0A, end - start) else { return nil }
                    return UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
                }
                if let newline = found {
                    line.append(contentsOf: buffer[start..<newline])
                    start = newline + 1
                    return finish(line)
                }
                line.append(contentsOf: buffer[start..<end])
                start = end
            }
            if finished {
                return line.isEmpty ? nil : finish(line)
            }
            try refill()
        }
    }

    private func finish(_ line: [UInt8]) -> [UInt8] {
        lineNumber += 1
        var line = line
        if line.last == 0x0D { line.removeLast() }
        return line
    }

    private func refill() throws(ReadError) {
        let count = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress, UInt32($0.count)) }
        if count < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
            throw ReadError(path: path == "-" ? "standard input" : path, reason: message)
        }
        start = 0
        end = Int(count)
        if count == 0 {
            // gzread returns 0 both at the end and on a truncated gzip stream; tell them apart.
            var code: Int32 = 0
            let message = gzerror(file, &code)
            if code != Z_OK && code != Z_STREAM_END, let message {
                throw ReadError(path: path == "-" ? "standard input" : path, reason: String(cString: message))
            }
            finished = true
        }
    }
}
