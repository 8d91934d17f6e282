import Foundation

/// How a training file was turned into what the model learns from; recorded in every model
/// file `train` writes (metadata `molvae.data_preparation`) and in the preparation cache.
public struct DataPreparationRecord: Codable, Sendable, Equatable, CustomStringConvertible {
    /// Bump when the preparation changes, so cached results are redone.
    public static let currentVersion = 1

    public var version = currentVersion
    public var path: String
    /// The file's sha256 (nil for standard input).
    public var sha256: String?
    /// Every molecule is RDKit's canonical isomeric SMILES of its line, as `corpus --canonicalize` writes.
    public var canonicalized = true
    public var recordsRead = 0
    public var kept = 0
    /// Lines left out, by reason: `empty`, `invalid` (RDKit refused them).
    public var dropped: [String: Int] = [:]
    /// RDKit's reasons for the invalid lines, with numbers replaced by N, and their counts.
    public var invalidReasons: [String: Int] = [:]
    /// Lines that were not valid UTF-8 (they are among the invalid ones).
    public var invalidUTF8Lines = 0

    public var description: String {
        var text = "\(path): \(kept) of \(recordsRead) molecules kept, "
            + (canonicalized ? "canonicalised by RDKit" : "validated by RDKit and kept as written (--as-written)")
        let drops = dropped.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !drops.isEmpty { text += "; dropped " + drops.map { "\($0.value) \($0.key)" }.joined(separator: ", ") }
        let reasons = invalidReasons.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(3)
        if !reasons.isEmpty { text += " (" + reasons.map { "\($0.value) × \($0.key)" }.joined(separator: "; ") + ")" }
        return text
    }

    /// The model metadata key that holds the records of a run's files (`data`, `valid`).
    public static let metadataKey = "molvae.data_preparation"

    /// Records by role (`data`, `valid`) as one line of JSON, for model metadata.
    public static func jsonString(_ records: [String: DataPreparationRecord]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(records)) ?? Data(), as: UTF8.self)
    }

    /// The record as one line of JSON.
    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}

/// A training file's molecules, validated and canonicalised: RDKit canonical SMILES with the
/// source line number of each.
public struct PreparedTrainingFile: Sendable {
    public let records: [SMILESRecord]
    public let record: DataPreparationRecord
    /// Whether this came from the preparation cache instead of RDKit.
    public let fromCache: Bool
}

/// The signal or request that stopped a long preparation step.
public struct PreparationInterrupted: Error, CustomStringConvertible, Sendable {
    public let step: String
    public var description: String { "interrupted by a signal while \(step); nothing was trained yet" }
}

/// Validates and canonicalises a training file exactly as `molvae corpus --canonicalize` does
/// (the same per-molecule rule, `CorpusPreparation.evaluate`), without deduplicating or
/// splitting.
///
/// Why: `train` used to tokenise lines as written. Invalid lines reached the model and their
/// letters the vocabulary, and non-canonical input was learnt in a form no inference command
/// uses (they all canonicalise), so a model could not reconstruct, or even encode, its own
/// training molecules. Now only valid molecules are learnt, in canonical form, and what was
/// dropped is counted by reason.
///
/// The result is cached beside the run (`STEM.smi`: canonical SMILES and source line;
/// `STEM.json`: the record, with the source's sha256), so a rerun or `--resume` reads it
/// instead of calling RDKit again.
public enum TrainingFilePreparation {
    /// Prepares `path` on `threads` workers. `progress` gets the records done so far (after each
    /// chunk); when `shouldStop` turns true between chunks, throws `PreparationInterrupted`.
    /// `writeCache` false reads a cache but never writes one (ranks other than 0 under mpirun).
    /// `canonicalize` false keeps each valid line's SMILES as written (`train --as-written`, to
    /// repeat runs made before training canonicalised); invalid lines are dropped either way.
    public static func prepare(path: String, threads: Int, cacheStem: String?, writeCache: Bool = true, canonicalize: Bool = true,
                               chunkSize: Int = 8192,
                               progress: (Int) -> Void = { _ in }, shouldStop: () -> Bool = { false }) throws -> PreparedTrainingFile {
        let sha256 = path == "-" ? nil : try SHA256.hexDigest(ofFileAt: path)
        if let cacheStem, let sha256, let cached = readCache(stem: cacheStem, sha256: sha256),
           cached.record.canonicalized == canonicalize { return cached }
        let reader = try SMILESReader(path: path)
        var record = DataPreparationRecord(path: path, sha256: sha256)
        record.canonicalized = canonicalize
        var records: [SMILESRecord] = []
        while true {
            if shouldStop() { throw PreparationInterrupted(step: "validating and canonicalising \(path)") }
            let batch = try reader.nextBatch(maxCount: max(1, chunkSize))
            if batch.isEmpty { break }
            let outcomes = CorpusPreparation.evaluate(batch, canonicalize: canonicalize, threads: threads)
            for (source, outcome) in zip(batch, outcomes) {
                record.recordsRead += 1
                switch outcome {
                case .empty:
                    record.dropped["empty", default: 0] += 1
                case .invalid(let reason):
                    record.dropped["invalid", default: 0] += 1
                    record.invalidReasons[reason, default: 0] += 1
                case .valid(let smiles, _):
                    records.append(SMILESRecord(lineNumber: source.lineNumber, smiles: smiles))
                }
            }
            progress(record.recordsRead)
        }
        record.kept = records.count
        record.invalidUTF8Lines = reader.invalidUTF8Lines
        let prepared = PreparedTrainingFile(records: records, record: record, fromCache: false)
        if let cacheStem, sha256 != nil, writeCache { try Self.writeCache(prepared, stem: cacheStem) }
        return prepared
    }

    private static func writeCache(_ prepared: PreparedTrainingFile, stem: String) throws {
        var text = ""
        text.reserveCapacity(prepared.records.count * 48)
        for r in prepared.records { text += "\(r.smiles) \(r.lineNumber)\n" }
        // The molecules first, then the record that vouches for them: a kill between the two
        // leaves a cache that is not trusted, never one that is wrong.
        try AtomicFile.write(text, to: stem + ".smi")
        try AtomicFile.write(prepared.record.jsonString() + "\n", to: stem + ".json")
    }

    /// The record of the preparation cached at `stem` (which file, how many kept), or nil when
    /// there is none: what `train --resume` names when a run began with `--valid FILE`.
    public static func cachedRecord(stem: String) -> DataPreparationRecord? {
        guard let json = try? FileBytes.read(stem + ".json") else { return nil }
        return try? JSONDecoder().decode(DataPreparationRecord.self, from: json)
    }

    /// The cached preparation of the file with `sha256`, or nil when there is none, it is of
    /// another file or version, or it does not hold what its record says.
    private static func readCache(stem: String, sha256: String) -> PreparedTrainingFile? {
        guard let record = cachedRecord(stem: stem),
              record.version == DataPreparationRecord.currentVersion, record.sha256 == sha256,
              let rows = try? SMILESReader.readAll(path: stem + ".smi", format: .smi) else { return nil }
        var records: [SMILESRecord] = []
        records.reserveCapacity(rows.count)
        for row in rows {
            guard let line = row.name.flatMap({ Int($0) }) else { return nil }
            records.append(SMILESRecord(lineNumber: line, smiles: row.smiles))
        }
        guard records.count == record.kept else { return nil }
        return PreparedTrainingFile(records: records, record: record, fromCache: true)
    }
}
