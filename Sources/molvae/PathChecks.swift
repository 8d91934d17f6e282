import ArgumentParser
import MolVAE

/// Refuses, before any work, a command line whose output would replace one of its inputs or
/// whose two outputs are one file (`OutputSafety`); each pair is (option name, path if given).
func refusePathClashes(inputs: [(String, String?)], outputs: [(String, String?)]) throws {
    let named = { (pairs: [(String, String?)]) in pairs.map { option, path in path.map { NamedPath(option, $0) } } }
    do {
        try OutputSafety.check(inputs: named(inputs), outputs: named(outputs))
    } catch {
        throw ValidationError(error.description)
    }
}
