import Foundation

/// Where the fixtures and the bundled corpus are, for every test in this target.
enum TestPaths {
    /// A file in `Tests/CorpusTests/Fixtures/` (copied into the test bundle).
    static func fixture(_ name: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// The repository root, found from this source file's location.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file in the repository's `Data/` folder.
    static func bundledData(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Data").appendingPathComponent(name).path
    }

    static let bundledCorpora = ["moses-train-250k.smi.gz", "moses-test-10k.smi.gz", "moses-test-scaffolds-10k.smi.gz"]

    /// A fresh, empty folder under the system temporary directory.
    static func temporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("molvae-corpus-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
