import Foundation
import Testing
@testable import MolVAE

/// Rule: outputs never destroy inputs or each other, say what they are, and leave nothing
/// behind when a signal ends the run (issue 18, part 3).
@Suite struct OutputSafetyTests {
    func folder() throws -> String { try TestPaths.temporaryFolder() }

    @Test func anOutputThatIsAnInputIsRefusedHoweverItIsSpelled() throws {
        let dir = try folder()
        let input = dir + "/same.smi"
        try "CCO\n".write(toFile: input, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.smi", withDestinationPath: input)
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        link(input, dir + "/hard.smi")
        let cwd = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(dir)
        defer { FileManager.default.changeCurrentDirectoryPath(cwd) }
        for spelling in [input, "same.smi", "./same.smi", "sub/../same.smi", dir + "//same.smi", "link.smi", dir + "/hard.smi"] {
            let clash = #expect(throws: PathClash.self) {
                try OutputSafety.check(inputs: [NamedPath("INPUT", input)], outputs: [NamedPath("--out", spelling)])
            }
            #expect(clash?.kind == .outputIsInput, "\(spelling)")
            #expect(clash?.description.contains("--out \(spelling) is the same file as the input INPUT \(input)") == true)
        }
        // The input is untouched and a different output is fine.
        try OutputSafety.check(inputs: [NamedPath("INPUT", input)], outputs: [NamedPath("--out", "other.csv")])
        #expect(try String(contentsOfFile: input, encoding: .utf8) == "CCO\n")
    }

    @Test func twoOutputsThatAreOneFileAreRefusedEvenBeforeTheyExist() throws {
        let dir = try folder()
        try FileManager.default.createSymbolicLink(atPath: dir + "/alias", withDestinationPath: dir)
        let pairs = [(dir + "/a.csv", dir + "/a.csv"), (dir + "/a.csv", dir + "/alias/a.csv"), (dir + "/x", dir + "/./x")]
        for (first, second) in pairs {
            let clash = #expect(throws: PathClash.self) {
                try OutputSafety.check(inputs: [], outputs: [NamedPath("--out", first), nil, NamedPath("--csv", second)])
            }
            #expect(clash?.kind == .sameOutput)
            #expect(clash?.description.contains("--out \(first) and --csv \(second) are the same file") == true)
        }
        try OutputSafety.check(inputs: [NamedPath("--input", "-")],
                               outputs: [NamedPath("--out", "-"), NamedPath("--summary", "-"), NamedPath("--csv", dir + "/b.csv")])
    }

    @Test func aGzNameIsWrittenCompressedAndReadBack() throws {
        let path = try folder() + "/samples.csv.gz"
        let writer = try AtomicFileWriter(path: path)
        try writer.write("smiles,valid,canonical\n")
        for i in 0..<2_000 { try writer.write("C\(String(repeating: "C", count: i % 30))O,1,x\n") }
        try writer.commit()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.prefix(2) == Data([0x1f, 0x8b]))
        #expect(bytes.count < 20_000)
        let records = try SMILESReader.readAll(path: path)
        #expect(records.count == 2_000)
        #expect(records[5].smiles == "CCCCCCO")
        // Bytes that are gzip already are stored as they are, never compressed twice.
        try AtomicFile.write(bytes, to: path + ".copy.gz")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path + ".copy.gz")) == bytes)
        try AtomicFile.write("CCO\n", to: path + ".text.gz")
        #expect(try SMILESReader.readAll(path: path + ".text.gz").map(\.smiles) == ["CCO"])
        // Plain names stay plain.
        try AtomicFile.write("CCO\n", to: path + ".smi")
        #expect(try String(contentsOfFile: path + ".smi", encoding: .utf8) == "CCO\n")
    }

    /// The built `molvae` beside the test bundle (swift test builds it with the tests).
    static var executable: String {
        Bundle.module.bundleURL.deletingLastPathComponent().appendingPathComponent("molvae").path
    }

    /// A command killed by SIGINT or SIGTERM while its output is open leaves no temporary file
    /// and no output, and still ends as killed by the signal.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalRemovesTheTemporaryOutput(signal: Int32) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable), "build molvae first")
        let dir = try folder()
        var pipeEnds: [Int32] = [0, 0]
        try #require(pipe(&pipeEnds) == 0)
        defer { close(pipeEnds[1]) }
        // props writes its header, then waits for the rest of standard input, which never comes.
        let child = try #require(Self.spawn([Self.executable, "props", "-", "--out", dir + "/props.csv", "--threads", "1"],
                                            standardInput: pipeEnds[0]))
        close(pipeEnds[0])
        _ = "CCO\n".withCString { write(pipeEnds[1], $0, 4) }
        func temporaryFiles() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.contains(".tmp-") }
        }
        let deadline = Date().addingTimeInterval(20)
        while temporaryFiles().isEmpty, Date() < deadline { usleep(20_000) }
        #expect(temporaryFiles().count == 1)
        kill(child, signal)
        var status: Int32 = 0
        let waitDeadline = Date().addingTimeInterval(20)
        while waitpid(child, &status, WNOHANG) == 0 {
            if Date() > waitDeadline {
                kill(child, SIGKILL)
                waitpid(child, &status, 0)
                Issue.record("molvae props did not end on signal \(signal)")
                break
            }
            usleep(20_000)
        }
        #expect(status & 0x7f == signal, "wait status \(status)")  // WTERMSIG: ended by the signal itself
        #expect(temporaryFiles().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir + "/props.csv"))
    }

    /// Starts `arguments` with `standardInput`, standard error discarded, every signal at its
    /// default action and none blocked (as from a shell): the test runner's threads block some,
    /// and a child inherits that mask.
    static func spawn(_ arguments: [String], standardInput: Int32) -> pid_t? {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, standardInput, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        guard posix_spawn(&child, arguments[0], &actions, &attributes, argv, environ) == 0 else { return nil }
        return child
    }
}
