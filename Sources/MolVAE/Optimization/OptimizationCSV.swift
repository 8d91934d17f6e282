import Foundation

/// The `molvae optimize` output table: one row per distinct feasible molecule of each search,
/// searches in start order, molecules in the order met:
/// `smiles,score,similarity,step,method,start`. `similarity` and `start` are empty without a
/// start molecule; `step` is the oracle call (from 1, within that start's search) that first
/// decoded the molecule.
public enum OptimizationCSV {
    public static let header = "smiles,score,similarity,step,method,start"

    public static func rows(_ result: SearchResult) -> [String] {
        result.molecules.map { m in
            [CSV.escape(m.smiles), format(m.score), m.similarity.map(format) ?? "", String(m.step), result.method.rawValue,
             CSV.escape(result.start?.canonical ?? "")].joined(separator: ",")
        }
    }

    /// Writes the table atomically.
    public static func write(_ results: [SearchResult], to path: String) throws {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(header + "\n")
        for r in results {
            for row in rows(r) { try writer.write(row + "\n") }
        }
        try writer.commit()
    }

    static func format(_ x: Double) -> String { String(format: "%.6g", x) }
}

/// One line per search for the constrained benchmark (`--summary FILE`):
/// `start,start_score,best_smiles,best_score,improvement,similarity,success,oracle_calls,valid_calls,distinct`.
/// best_* is the best molecule other than the start that scores above it (empty when none).
public enum OptimizationSummaryCSV {
    public static let header = "start,start_score,best_smiles,best_score,improvement,similarity,success,oracle_calls,valid_calls,distinct"

    public static func write(_ results: [SearchResult], to path: String) throws {
        let f = OptimizationCSV.format
        var text = header + "\n"
        for r in results {
            let b = r.bestImprovement
            text += [CSV.escape(r.start?.canonical ?? ""), r.startScore.map(f) ?? "", CSV.escape(b?.smiles ?? ""),
                     b.map { f($0.score) } ?? "", f(r.improvement), b?.similarity.map(f) ?? "", b == nil ? "0" : "1",
                     String(r.oracleCalls), String(r.validCalls), String(r.distinctMolecules)].joined(separator: ",") + "\n"
        }
        try AtomicFile.write(text, to: path)
    }
}
