import Foundation

/// Writes a file so that readers see either the old contents or the complete new contents:
/// the data goes to a temporary file in the same folder, which is then renamed over the target.
/// An interrupted write never destroys what was there before.
public enum AtomicFile {
    public struct WriteError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot write \(path): \(reason)" }
    }

    /// Writes `data` whole through an ``AtomicFileWriter`` (temporary file, fsync, rename),
    /// compressed when the name ends in `.gz` unless the bytes are gzip already (so nothing is
    /// ever compressed twice).
    public static func write(_ data: Data, to path: String) throws {
        let alreadyGzip = data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
        let writer = try AtomicFileWriter(path: path, compress: AtomicFileWriter.compresses(path) && !alreadyGzip)
        try writer.write(data)
        try writer.commit()
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}
