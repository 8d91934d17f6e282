import Foundation
import Testing

/// A machine without Open MPI: played by pointing the shim at a library that does not exist
/// (`MOLVAE_MPI_LIBRARY`). With mpirun's variables set, molvae stops with one clear error;
/// without them it never looks for Open MPI.
@Suite struct WithoutOpenMPITests {
    static let missingLibrary = ["MOLVAE_MPI_LIBRARY": "/nonexistent/libmpi.so.40"]
    static let launchedByMPIRun = ["OMPI_COMM_WORLD_SIZE": "2", "OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_LOCAL_SIZE": "2"]

    @Test func mpirunVariablesWithoutTheLibraryGiveOneClearError() throws {
        let dir = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = Launcher.plain(["props", Launcher.fixture("sixty.smi"), "--out", dir + "/p.csv"],
                               environment: Self.launchedByMPIRun.merging(Self.missingLibrary) { a, _ in a }, deadline: 60)
        #expect(!o.timedOut && o.status == 1, "status \(o.status): \(o.error)")
        let lines = o.error.split(separator: "\n")
        #expect(lines.count == 1, "want one line: \(o.error)")
        #expect(o.error.contains("cannot be loaded") && o.error.contains("/nonexistent/libmpi.so.40") && o.error.contains("MOLVAE_MPI=0"),
                "\(o.error)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/p.csv"))
    }

    @Test func withoutMPIRunVariablesOpenMPIIsNeverLoaded() throws {
        let dir = Launcher.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The library override would fail if anything tried to load it.
        let plain = Launcher.plain(["props", Launcher.fixture("sixty.smi"), "--out", dir + "/plain.csv"], environment: Self.missingLibrary)
        #expect(plain.status == 0, "\(plain.error)")
        #expect(!plain.error.contains("MPI") && !plain.error.contains("rank"), "\(plain.error)")
        // MOLVAE_MPI=0 opts out even where the variables say mpirun.
        let optedOut = Launcher.plain(["props", Launcher.fixture("sixty.smi"), "--out", dir + "/opted-out.csv"],
                                      environment: Self.launchedByMPIRun.merging(Self.missingLibrary) { a, _ in a }
                                          .merging(["MOLVAE_MPI": "0"]) { a, _ in a })
        #expect(optedOut.status == 0, "\(optedOut.error)")
        let a = FileManager.default.contents(atPath: dir + "/plain.csv"), b = FileManager.default.contents(atPath: dir + "/opted-out.csv")
        #expect(a != nil && a == b)
        #expect((a.map { String(decoding: $0, as: UTF8.self).split(separator: "\n").count } ?? 0) == 61)
    }
}
