import Foundation

/// The readers under test take paths, not bytes (they stream, sniff gzip and name the file in
/// their errors), so each fuzz input is written to one reused scratch file per process.
public enum FuzzInput {
    /// A private folder for this fuzzer process; libFuzzer runs inputs one at a time, so one
    /// file per name is enough. The folder (a few small files) stays in the temporary directory
    /// after the run, holding the last input, which helps when a run stops on a finding.
    private static let folder: String = {
        let path = NSTemporaryDirectory() + "molvae-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    /// Writes `bytes` to the scratch file named `name` and returns its path.
    public static func file(_ bytes: UnsafeRawBufferPointer, name: String) -> String {
        let path = folder + "/" + name
        // FileManager would replace the file atomically (a rename per input); a plain write is
        // all a fuzzer needs and keeps the executions per second up.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "cannot create \(path)")
        var written = 0
        while written < bytes.count {
            let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
            precondition(n > 0, "cannot write \(path)")
            written += n
        }
        close(fd)
        return path
    }

    /// A scratch path for an output the code under test writes (removed again by the caller).
    public static func outputPath(_ name: String) -> String { folder + "/" + name }
}
