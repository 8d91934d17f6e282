import Foundation
import CMolShim

/// A named list of SMARTS alerts compiled once by RDKit, and the MOSES filter rule built on the
/// MOSES lists (`Data/moses_mcf.csv`, `Data/moses_wehi_pains.csv`, MIT, from molsets 0.3.1).
///
/// Immutable after creation; matching from many threads at once is safe (the compiled queries
/// are only read, see filters.cpp).
public final class StructuralFilters: @unchecked Sendable {
    /// One alert: its name (e.g. `MCF4`, `<regId=anil_di_alk_F(14)>`) and SMARTS.
    public struct Pattern: Sendable, Equatable {
        public let name: String
        public let smarts: String
    }

    /// Why a molecule fails the MOSES filters, or nil when it passes.
    public struct Verdict: Sendable, Equatable {
        public let passes: Bool
        public let reason: String?
    }

    public let patterns: [Pattern]
    private let set: OpaquePointer

    /// Compiles `patterns`; throws naming the first SMARTS RDKit cannot compile.
    ///
    /// `screening`: whether matching first checks RDKit's pattern fingerprint, running the full
    /// substructure match only for patterns whose fingerprint bits are all set in the
    /// molecule's (exact; on MOSES's 501 alerts it saves ≈ 2.3 ms of CPU per molecule). nil (the default)
    /// screens unless the environment variable `MOLVAE_NO_FILTER_SCREEN` is set.
    public init(patterns: [Pattern], screening: Bool? = nil) throws(PropertyError) {
        var error: UnsafeMutablePointer<CChar>? = nil
        let screen: Int32 = screening.map { $0 ? 1 : 0 } ?? -1
        let compiled: OpaquePointer? = withCStrings(patterns.map(\.smarts)) { pointers in
            molshim_smarts_set_create(pointers, pointers.count, screen, &error)
        }
        guard let compiled else {
            throw PropertyError(description: takeString(error).nonEmpty ?? "SMARTS did not compile")
        }
        self.patterns = patterns
        set = compiled
    }

    deinit { molshim_smarts_set_free(set) }

    /// MOSES's MCF and PAINS alerts, read from the data folder once per process.
    public static func moses() throws(PropertyError) -> StructuralFilters {
        try mosesFilters.get()
    }

    private static let mosesFilters: Result<StructuralFilters, PropertyError> = {
        do {
            return .success(try StructuralFilters(patterns: try loadMOSESPatterns()))
        } catch let error as PropertyError {
            return .failure(error)
        } catch {
            return .failure(PropertyError(description: "\(error)"))
        }
    }()

    /// Names of the patterns that match `molecule`; with `explicitHydrogens` (MOSES's way) the
    /// molecule is matched after `Chem.AddHs`, which alerts written with `[H]` or `[#1]` need.
    public func matches(in molecule: Molecule, explicitHydrogens: Bool = true) throws(PropertyError) -> [String] {
        var flags = [UInt8](repeating: 0, count: patterns.count)
        var error: UnsafeMutablePointer<CChar>? = nil
        let n = flags.withUnsafeMutableBufferPointer {
            molshim_mol_match_smarts_set(molecule.handle, set, explicitHydrogens ? 1 : 0, $0.baseAddress, &error)
        }
        guard n >= 0 else { throw PropertyError(description: takeString(error).nonEmpty ?? "SMARTS matching failed") }
        return zip(patterns, flags).compactMap { $1 != 0 ? $0.name : nil }
    }

    /// `moses.metrics.utils.mol_passes_filters` with these patterns as the MCF/PAINS list: no
    /// ring of 8+ atoms, no charged atom, only C N S O F Cl Br H, no alert match (with explicit
    /// Hs), and the non-isomeric SMILES parses again. The reason names the first rule broken.
    public func mosesVerdict(for molecule: Molecule) throws(PropertyError) -> Verdict {
        var reason: UnsafeMutablePointer<CChar>? = nil
        var error: UnsafeMutablePointer<CChar>? = nil
        switch molshim_mol_passes_moses_filters(molecule.handle, set, &reason, &error) {
        case 1:
            return Verdict(passes: true, reason: nil)
        case 0:
            var text = takeString(reason)
            let prefix = "matches structural filter "
            if text.hasPrefix(prefix), let i = Int(text.dropFirst(prefix.count)), patterns.indices.contains(i) {
                text = "matches structural alert \(patterns[i].name)"
            }
            return Verdict(passes: false, reason: text)
        default:
            throw PropertyError(description: takeString(error).nonEmpty ?? "filtering failed")
        }
    }

    /// Reads MOSES's two CSVs: mcf.csv has a `names,smarts` header; wehi_pains.csv has none and
    /// its columns are `smarts,name` (SMARTS padded with blanks, which are ignored).
    public static func loadMOSESPatterns() throws -> [Pattern] {
        var patterns: [Pattern] = []
        let mcf = try readLines(DataFiles.path(of: "moses_mcf.csv"))
        guard let header = mcf.first else { throw PropertyError(description: "moses_mcf.csv is empty") }
        let columns = CSVFields.split(header)
        guard let nameColumn = columns.firstIndex(of: "names"), let smartsColumn = columns.firstIndex(of: "smarts") else {
            throw PropertyError(description: "moses_mcf.csv: expected names,smarts header")
        }
        for line in mcf.dropFirst() where !line.isEmpty {
            let f = CSVFields.split(line)
            guard f.count > max(nameColumn, smartsColumn) else { continue }
            patterns.append(Pattern(name: f[nameColumn], smarts: trimmed(f[smartsColumn])))
        }
        for line in try readLines(DataFiles.path(of: "moses_wehi_pains.csv")) where !line.isEmpty {
            let f = CSVFields.split(line)
            guard f.count >= 2 else { continue }
            patterns.append(Pattern(name: trimmed(f[1]), smarts: trimmed(f[0])))
        }
        return patterns
    }

    private static func readLines(_ path: String) throws -> [String] {
        let source = try LineSource(path: path)
        var lines: [String] = []
        while let line = try source.nextLine() { lines.append(String(decoding: line, as: UTF8.self)) }
        return lines
    }

    private static func trimmed(_ s: String) -> String {
        String(s.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}

/// Calls `body` with a C array of NUL-terminated copies of `strings`, valid only during the call.
func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) })
}
