import ArgumentParser
import Foundation
import MolVAE

/// How a command ends when it may run under mpirun. Without MPI the body runs exactly as it
/// always did (its errors reach ArgumentParser unchanged). Under MPI:
/// - success: every rank ends MPI (MPI_Finalize) and exits 0;
/// - a CollectiveError (every rank throws it at the same point): rank 0 prints it once, every
///   rank ends MPI and exits 1;
/// - any other error is this rank's alone: it is printed with the rank and the whole job is
///   stopped with MPI_Abort, because the other ranks may be waiting in a collective.
enum RankedRun {
    static func run(_ command: String, group: ProcessGroup, _ body: () throws -> Void) throws {
        guard group.usesMPI else { return try body() }
        do {
            try body()
        } catch let error as CollectiveError {
            if group.isRoot { report("molvae \(command): \(error)") }
            group.finalize()
            throw ExitCode.failure
        } catch let code as ExitCode {
            // The command has printed why; the other ranks do not know.
            group.abort(code: code.rawValue == 0 ? 1 : code.rawValue)
        } catch {
            report("molvae \(command) (rank \(group.rank) of \(group.size)): \(error)")
            group.abort(code: 1)
        }
        group.finalize()
    }

    static func report(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

/// Ranks of this job on this machine (1 without mpirun).
let localRanks: Int = {
    guard ProcessGroup.world.usesMPI,
          let local = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init), local > 0 else { return 1 }
    return local
}()

/// The default --threads: every core in a plain run; under mpirun the cores shared by the
/// ranks on this machine (OMPI_COMM_WORLD_LOCAL_SIZE), so that -np 2 on 2 cores does not start
/// 4 busy threads.
let defaultThreads: Int = {
    let cores = ProcessInfo.processInfo.activeProcessorCount
    guard let local = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init), local > 0 else { return cores }
    return max(1, cores / local)
}()
