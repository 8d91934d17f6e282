import Foundation
import Testing
@testable import MolVAE

/// Runs the molvae binary built beside this test bundle, plainly or under
/// `mpirun --allow-run-as-root --oversubscribe` on loopback, with a deadline: a run that
/// outlives it is killed and reported, so a hang fails the test instead of stalling CI.
enum Launcher {
    struct Outcome {
        var status: Int32
        var output: String
        var error: String
        var seconds: Double
        var timedOut: Bool
    }

    static func fixture(_ name: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// The build folder holding this test bundle, and so the molvae executable.
    static var molvae: String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // The bundle is .build/<triple>/debug/molvaePackageTests.xctest (a file on Linux).
        if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("molvae").path
    }

    /// mpirun on PATH, or nil (then the MPI tests fail, naming scripts/setup).
    static var mpirun: String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/mpirun"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func requireMPI() throws -> String {
        guard let mpirun else {
            Issue.record("mpirun was not found on PATH: these tests need Open MPI (scripts/setup installs openmpi-bin and libopenmpi-dev)")
            throw MPITestSkip()
        }
        #expect(FileManager.default.isExecutableFile(atPath: molvae), "the molvae binary is not at \(molvae): build it first (swift build)")
        return mpirun
    }

    struct MPITestSkip: Error {}

    static let mpiFlags = ["--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,tcp", "--mca", "btl_tcp_if_include", "lo"]

    /// `mpirun -np ranks molvae arguments...`
    static func mpi(_ ranks: Int, _ arguments: [String], environment: [String: String] = [:], deadline: Double = 120) throws -> Outcome {
        let mpirun = try requireMPI()
        let env = environment.sorted { $0.key < $1.key }.flatMap { ["-x", "\($0.key)=\($0.value)"] }
        return run(mpirun, mpiFlags + env + ["-np", String(ranks), molvae] + arguments, deadline: deadline)
    }

    /// Ranks with different arguments (MPMD): `mpirun -np 1 molvae A : -np 1 molvae B`.
    static func mpi(perRank: [[String]], deadline: Double = 120) throws -> Outcome {
        let mpirun = try requireMPI()
        var arguments = mpiFlags
        for (r, args) in perRank.enumerated() {
            if r > 0 { arguments.append(":") }
            arguments += ["-np", "1", molvae] + args
        }
        return run(mpirun, arguments, deadline: deadline)
    }

    /// molvae without mpirun (`environment` added to the test's, which never holds MPI's).
    static func plain(_ arguments: [String], environment: [String: String] = [:], deadline: Double = 120) -> Outcome {
        run(molvae, arguments, environment: environment, deadline: deadline)
    }

    static func run(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:], deadline: Double) -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        // A test process is not an MPI rank; its children must not think they are.
        for key in environment.keys where key.hasPrefix("OMPI_") || key.hasPrefix("PMIX_") { environment[key] = nil }
        environment.merge(extra) { _, new in new }
        process.environment = environment
        // Output goes to files: pipes would need readers running alongside.
        let scratch = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/stdout", errPath = scratch + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = FileHandle(forWritingAtPath: outPath)!, err = FileHandle(forWritingAtPath: errPath)!
        defer { try? out.close(); try? err.close() }
        process.standardOutput = out
        process.standardError = err
        let started = Date()
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do { try process.run() } catch {
            return Outcome(status: -1, output: "", error: "cannot start \(executable): \(error)", seconds: 0, timedOut: false)
        }
        var timedOut = false
        if done.wait(timeout: .now() + deadline) == .timedOut {
            timedOut = true
            process.terminate()
            if done.wait(timeout: .now() + 10) == .timedOut { kill(process.processIdentifier, SIGKILL); done.wait() }
        }
        // FileBytes: Foundation leaks its read buffer on an empty file (LeakSanitizer).
        let outData = (try? FileBytes.read(outPath)) ?? Data()
        let errData = (try? FileBytes.read(errPath)) ?? Data()
        return Outcome(status: process.terminationStatus, output: String(decoding: outData, as: UTF8.self),
                       error: String(decoding: errData, as: UTF8.self), seconds: Date().timeIntervalSince(started), timedOut: timedOut)
    }

    static func temporaryDirectory() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("molvae-mpi-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
