import Foundation
import Testing
@testable import MolVAE

/// One test per finding of `scripts/fuzz` (docs/FUZZING.md), with the input that found it.
@Suite struct FuzzFindingsTests {
    /// fuzz-vocabulary, empty input: LeakSanitizer reported 4 KB leaked by Foundation's
    /// Data(contentsOf:) reading the empty file. The reader now refuses an empty file, naming it,
    /// without that call.
    @Test func emptyVocabularyFileIsRefusedByName() throws {
        let path = NSTemporaryDirectory() + "fuzz-empty-vocab-\(getpid()).json"
        try Data().write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Vocabulary.load(path: path)
            Issue.record("an empty vocabulary file loaded")
        } catch let error as Vocabulary.FormatError {
            #expect(error.description == "invalid vocabulary: \(path): the file is empty")
        }
        #expect(try FileBytes.read(path).isEmpty)
    }
}
