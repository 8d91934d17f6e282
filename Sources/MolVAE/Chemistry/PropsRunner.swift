import Foundation

/// `molvae props` as a library call: reads a molecule table in chunks, scores each chunk on all
/// cores, and streams CSV rows in input order to a file (atomically) or to standard output.
/// Memory is bounded by the chunk size, not the input size.
public enum PropsRunner {
    public struct Summary: Sendable {
        public let rows: Int
        public let validRows: Int
        public let seconds: Double

        public var validFraction: Double { rows == 0 ? 0 : Double(validRows) / Double(rows) }
        public var moleculesPerSecond: Double { seconds > 0 ? Double(rows) / seconds : 0 }

        /// One line for standard error.
        public var description: String {
            String(format: "props: %d rows, %.2f%% valid, %.2f s, %.0f molecules/s",
                   rows, validFraction * 100, seconds, moleculesPerSecond)
        }
    }

    /// Scores `inputPath` (`-` for standard input) into `outputPath` (nil for standard output).
    /// Throws, before writing anything, when the input cannot be opened or the data files are
    /// missing; bad lines are reported in their rows, never thrown.
    ///
    /// Over several ranks (`group`) every rank reads the input, scores an interleaved share of
    /// each chunk, and rank 0 writes all rows in input order: the same bytes as one process.
    /// The summary is complete on rank 0 only.
    public static func run(inputPath: String, outputPath: String?, chunkSize: Int = 4096,
                           threads: Int = ProcessInfo.processInfo.activeProcessorCount, group: ProcessGroup = .single) throws -> Summary {
        let started = Date()
        try SAFragmentTable.ensureLoaded()
        // A readable file without bytes is a table without rows (exit 0, as the README says),
        // like a file of only a header; a missing or unreadable one is still an error.
        let reader = try openUnlessEmpty(inputPath)
        // Opened (and at the end committed) collectively: a bad output path is one error on every rank.
        let writer = try group.collectively { group.isRoot ? try outputPath.map { try AtomicFileWriter(path: $0) } : nil }
        let emit: (String) throws -> Void = { text in
            guard group.isRoot else { return }
            if let writer {
                try writer.write(text)
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
        try emit(PropertyCSV.header)
        var rows = 0
        var valid = 0
        while let reader {
            let records = try nextBatch(of: reader, maxCount: max(1, chunkSize))
            if records.isEmpty { break }
            let mine = Array(group.interleavedShare(of: records.count))
            var lines = BatchScoring.parallelMap(mine.count, threads: threads) { k -> (String, Bool) in
                let record = records[mine[k]]
                let result: ScoredMolecule
                switch PropertyCSV.input(of: record) {
                case .success(let smiles): result = BatchScoring.score(smiles)
                case .failure(let reason): result = .invalid(reason.description)
                }
                return (PropertyCSV.row(for: record, result: result), result.isValid)
            }
            if group.isParallel {
                // "1"/"0" (valid) before each row, so one string list carries both.
                guard let all = group.gatherInterleaved(lines.map { ($0.1 ? "1" : "0") + $0.0 }) else { continue }
                lines = all.map { (String($0.dropFirst()), $0.hasPrefix("1")) }
            }
            var text = ""
            text.reserveCapacity(lines.count * 200)
            for (line, ok) in lines {
                text += line
                if ok { valid += 1 }
            }
            rows += lines.count
            try emit(text)
        }
        try group.collectively { try writer?.commit() }
        return Summary(rows: rows, validRows: valid, seconds: Date().timeIntervalSince(started))
    }

    /// A reader of `path`, or nil when the file has no bytes at all.
    static func openUnlessEmpty(_ path: String) throws(SMILESReadError) -> SMILESReader? {
        do {
            return try SMILESReader(path: path, format: format(of: path), blankLines: .keep)
        } catch {
            if error.kind == .empty { return nil }
            throw error
        }
    }

    /// The reader's next records; an input holding no record at all (only a header, or an
    /// empty pipe) is a header-only table rather than an error, as it always was for `props`.
    static func nextBatch(of reader: SMILESReader, maxCount: Int) throws(SMILESReadError) -> [SMILESRecord] {
        do throws(SMILESReadError) {
            return try reader.nextBatch(maxCount: maxCount)
        } catch {
            if error.kind == .empty { return [] }
            throw error
        }
    }

    /// `props` reads `.csv` (optionally compressed) as CSV with a header and everything else,
    /// standard input included, as whitespace-separated SMILES and name.
    static func format(of path: String) -> SMILESFileFormat {
        SMILESFileFormat.implied(byPath: path) == .csv ? .csv : .smi
    }
}
