import CZlib
import Foundation

/// Reads a file (or standard input) line by line as raw bytes, plain or gzip-compressed.
///
/// Lines are handed out as bytes, never decoded here, so a file with invalid UTF-8 cannot
/// crash the reader: callers decide how to decode. Memory stays bounded by the longest line,
/// so multi-gigabyte corpora stream through.
///
/// Compression is detected by content, not name: the first two bytes of a regular file are
/// checked for the gzip magic `1f 8b`, and zlib's `gzread` (which does the same check itself)
/// passes plain files through unchanged. So `x.smi` that is really gzip, and `x.smi.gz` that is
/// really plain text, both read correctly. Concatenated gzip members are read in full.
final class LineSource {
    let path: String
    /// Whether the content starts with the gzip magic bytes (for a pipe, known after the first line).
    private(set) var isGzipCompressed = false
    /// The 1-based number of the line most recently returned.
    private(set) var lineNumber = 0

    private var file: gzFile?
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var reachedEnd = false
    /// Pipes and stdin cannot be peeked at; zlib tells after the first read instead.
    private var compressionKnown = false

    /// Opens `path`; `-` means standard input.
    init(path: String, bufferSize: Int = 1 << 16) throws(SMILESReadError) {
        self.path = path
        self.buffer = [UInt8](repeating: 0, count: max(bufferSize, 16))
        let descriptor: Int32
        if path == "-" {
            descriptor = dup(STDIN_FILENO)
        } else {
            descriptor = open(path, O_RDONLY)
        }
        guard descriptor >= 0 else {
            throw SMILESReadError(path: path, line: nil, kind: .cannotOpen(reason: String(cString: strerror(errno))))
        }
        var info = stat()
        if fstat(descriptor, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                close(descriptor)
                throw SMILESReadError(path: path, line: nil, kind: .cannotOpen(reason: "is a directory"))
            }
            if (info.st_mode & S_IFMT) == S_IFREG {
                if info.st_size == 0 {
                    close(descriptor)
                    throw SMILESReadError(path: path, line: nil, kind: .empty)
                }
                var magic: (UInt8, UInt8) = (0, 0)
                let read = withUnsafeMutableBytes(of: &magic) { pread(descriptor, $0.baseAddress, 2, 0) }
                if read < 0 {
                    let reason = String(cString: strerror(errno))
                    close(descriptor)
                    throw SMILESReadError(path: path, line: nil, kind: .cannotOpen(reason: reason))
                }
                isGzipCompressed = read == 2 && magic == (0x1f, 0x8b)
                compressionKnown = true
            }
        }
        guard let opened = gzdopen(descriptor, "rb") else {
            close(descriptor)
            throw SMILESReadError(path: path, line: nil, kind: .cannotOpen(reason: "zlib could not open the stream"))
        }
        gzbuffer(opened, 1 << 17)
        file = opened
    }

    deinit {
        if let file { gzclose(file) }
    }

    /// Calls `body` with the next line's bytes (without `\n` or `\r\n`), or returns nil at the
    /// end of input. The bytes are only valid inside `body`.
    func withNextLine<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) throws(SMILESReadError) -> Result? {
        while true {
            if let newline = findNewline() {
                let lineStart = start
                start = newline + 1
                return deliver(from: lineStart, to: newline, body)
            }
            if reachedEnd {
                guard start < end else { return nil }
                let lineStart = start
                start = end
                return deliver(from: lineStart, to: end, body)
            }
            try refill()
        }
    }

    private func deliver<Result>(from lineStart: Int, to lineEnd: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        lineNumber += 1
        var from = lineStart
        var to = lineEnd
        if to > from, buffer[to - 1] == UInt8(ascii: "\r") { to -= 1 }
        // A UTF-8 byte-order mark on the first line is not part of the data.
        if lineNumber == 1, to - from >= 3, buffer[from] == 0xEF, buffer[from + 1] == 0xBB, buffer[from + 2] == 0xBF { from += 3 }
        return buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[from..<to])) }
    }

    private func findNewline() -> Int? {
        guard start < end else { return nil }
        return buffer.withUnsafeBufferPointer { all -> Int? in
            guard let found = memchr(all.baseAddress! + start, Int32(UInt8(ascii: "\n")), end - start) else { return nil }
            return all.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Moves the unread tail to the front, grows the buffer when one line fills it, and reads more.
    private func refill() throws(SMILESReadError) {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 {
                buffer.withUnsafeMutableBufferPointer { all in
                    _ = memmove(all.baseAddress!, all.baseAddress! + start, remaining)
                }
            }
            start = 0
            end = remaining
        }
        if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
        let capacity = buffer.count - end
        let read = buffer.withUnsafeMutableBufferPointer { all in
            gzread(file, all.baseAddress! + end, UInt32(min(capacity, Int(Int32.max))))
        }
        if read < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { Self.zlibMessage(String(cString: $0)) } ?? "unknown zlib error"
            let reason = code == Z_ERRNO ? String(cString: strerror(errno)) : message
            throw SMILESReadError(path: path, line: lineNumber + 1, kind: .readFailed(reason: reason))
        }
        if !compressionKnown, read > 0 {
            isGzipCompressed = gzdirect(file) == 0
            compressionKnown = true
        }
        if read == 0 {
            // zlib reports a truncated gzip stream as end-of-file plus an error state.
            var code: Int32 = 0
            let message = gzerror(file, &code).map { Self.zlibMessage(String(cString: $0)) } ?? ""
            if code != Z_OK && code != Z_STREAM_END {
                throw SMILESReadError(path: path, line: lineNumber + 1, kind: .readFailed(reason: message))
            }
            reachedEnd = true
        }
        end += Int(read)
    }
}

extension LineSource {
    /// zlib prefixes its messages with the stream's name, which for a descriptor opened with
    /// gzdopen is `<fd:3>`: meaningless to the user, whose error already names the file.
    static func zlibMessage(_ message: String) -> String {
        guard message.hasPrefix("<fd:"), let end = message.range(of: ">: ") else { return message }
        return String(message[end.upperBound...])
    }

    /// The next line as bytes (without its line end), or nil at the end of input: for small
    /// data files read whole, where a copy per line does not matter.
    func nextLine() throws(SMILESReadError) -> [UInt8]? {
        try withNextLine { Array($0) }
    }
}
