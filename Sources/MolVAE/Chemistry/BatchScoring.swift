import Dispatch
import Foundation

/// The outcome of scoring one input: canonical SMILES and properties, or why it is not a
/// usable molecule.
public struct ScoredMolecule: Sendable {
    /// RDKit canonical isomeric SMILES; nil when invalid.
    public let canonicalSMILES: String?
    /// Every property; nil when invalid.
    public let properties: MolecularProperties?
    /// Why the input was rejected or could not be scored; nil when valid.
    public let error: String?

    public var isValid: Bool { properties != nil }

    static func invalid(_ reason: String) -> ScoredMolecule {
        ScoredMolecule(canonicalSMILES: nil, properties: nil, error: reason)
    }
}

/// Scores many SMILES on all cores with `DispatchQueue.concurrentPerform`, results in input order.
///
/// Safe to call from several threads at once: every worker parses its own `Molecule`s, the
/// compiled QED SMARTS are built once (a C++ magic static) and then only read, and the SA
/// fragment table is an immutable map swapped in atomically.
public enum BatchScoring {
    /// Inputs longer than this are rejected before RDKit sees them (``SMILESScreen``).
    public static var maximumSMILESLength: Int { SMILESScreen.maximumLength }

    /// Scores `smiles` using `threads` workers (default: all active cores).
    public static func score(_ smiles: [String], threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [ScoredMolecule] {
        parallelMap(smiles.count, threads: threads) { score(smiles[$0]) }
    }

    /// Scores raw input lines' SMILES bytes (see ``validatedSMILES(_:)`` for the byte rules).
    public static func score(bytes: [[UInt8]], threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [ScoredMolecule] {
        parallelMap(bytes.count, threads: threads) { i in
            switch validatedSMILES(bytes[i]) {
            case .success(let text): return score(text)
            case .failure(let reason): return .invalid(reason.description)
            }
        }
    }

    /// Scores one SMILES string on the calling thread.
    public static func score(_ smiles: String) -> ScoredMolecule {
        let trimmed = smiles.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .invalid("empty SMILES") }
        if trimmed.utf8.count > maximumSMILESLength {
            return .invalid("SMILES longer than \(maximumSMILESLength) bytes")
        }
        do {
            let molecule = try Molecule(smiles: trimmed)
            let properties = try molecule.properties()
            return ScoredMolecule(canonicalSMILES: molecule.canonicalSMILES, properties: properties, error: nil)
        } catch let error as MoleculeParseError {
            return .invalid(error.reason)
        } catch {
            return .invalid("\(error)")
        }
    }

    /// Why raw bytes are not a SMILES string.
    public struct InputError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The decision for raw bytes: a NUL byte or invalid UTF-8 makes the input invalid (a C string
    /// would silently end at the NUL, and SMILES is ASCII, so both mean corruption).
    public static func validatedSMILES(_ bytes: [UInt8]) -> Result<String, InputError> {
        if bytes.contains(0) { return .failure(InputError(description: "input contains a NUL byte")) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(InputError(description: "input is not valid UTF-8"))
        }
        return .success(text)
    }

    /// Runs `body` for 0..<count on `threads` workers, each taking interleaved blocks so that
    /// slow molecules spread across workers; returns the results in index order.
    static func parallelMap<T: Sendable>(_ count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = max(1, min(threads, count))
        if workers == 1 { return (0..<count).map(body) }
        let block = 8
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        // Deinitialize before deallocating: the results own their strings (LeakSanitizer found
        // every scored molecule's heap strings leaked when only the memory was freed).
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        nonisolated(unsafe) let shared = results
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var start = worker * block
            while start < count {
                for i in start..<min(start + block, count) { shared[i] = body(i) }
                start += workers * block
            }
        }
        return results.map { $0! }
    }
}
