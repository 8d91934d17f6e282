import Foundation
@testable import MolVAE

/// Runs `body` with file descriptor 2 redirected to a temporary file and returns what was
/// written there. Other tests running in parallel write to the same descriptor meanwhile, so
/// callers look for text only their own work can produce, never for an empty capture.
func capturingStandardError(_ body: () throws -> Void) rethrows -> String {
    fflush(nil)
    let path = NSTemporaryDirectory() + "molvae-stderr-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let capture = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    let saved = dup(2)
    dup2(capture, 2)
    close(capture)
    defer {
        fflush(nil)
        dup2(saved, 2)
        close(saved)
    }
    try body()
    fflush(nil)
    // FileBytes: Foundation leaks its read buffer on an empty file (LeakSanitizer).
    let text = (try? FileBytes.read(path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    unlink(path)
    return text
}
