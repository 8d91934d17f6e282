import CZlib
import Foundation

/// Gzip-compresses `text` in memory via a temporary file (zlib's gz* API writes files), for
/// tests that need gzip data they construct themselves.
func gzip(_ text: String) throws -> Data {
    let path = try TestPaths.temporaryFolder() + "/data.gz"
    guard let file = gzopen(path, "wb") else { throw CocoaError(.fileWriteUnknown) }
    var bytes = Array(text.utf8)
    let written = bytes.withUnsafeMutableBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    gzclose(file)
    guard written == Int32(bytes.count) else { throw CocoaError(.fileWriteUnknown) }
    return try Data(contentsOf: URL(fileURLWithPath: path))
}
