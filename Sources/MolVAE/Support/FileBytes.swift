import Foundation

/// Reads a whole file into memory.
///
/// Why not `Data(contentsOf:)` directly: in Swift 6.3's FoundationEssentials it leaks its 4 KB
/// read buffer when the file is empty, which LeakSanitizer reports as a memory leak (found by
/// `scripts/fuzz vocabulary`, docs/FUZZING.md). An empty regular file is answered here without
/// calling it; everything else, errors included, is Foundation's.
enum FileBytes {
    static func read(_ path: String, options: Data.ReadingOptions = []) throws -> Data {
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size == 0 { return Data() }
        return try Data(contentsOf: URL(fileURLWithPath: path), options: options)
    }
}
