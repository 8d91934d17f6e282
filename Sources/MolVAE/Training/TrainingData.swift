import Foundation

/// Token sequences for training or validation, with raw property values [count, 3]
/// (logP, QED, SA; NaN where RDKit could not score the molecule).
public struct TrainingData: Sendable {
    public var sequences: [[Int32]]
    public var properties: [Float]

    public init(sequences: [[Int32]], properties: [Float] = []) {
        self.sequences = sequences
        self.properties = properties
    }

    public var count: Int { sequences.count }
    public var lengths: [Int] { sequences.map(\.count) }
}

/// Errors of preparing training data; each names the file.
public enum TrainingDataError: Error, CustomStringConvertible, Equatable {
    case noMolecules(path: String, detail: String)
    case tooFewForSplit(path: String, count: Int)

    public var description: String {
        switch self {
        case let .noMolecules(path, detail): return "\(path): no usable molecules (\(detail))"
        case let .tooFewForSplit(path, count):
            return "\(path): \(count) molecule(s) are too few to hold out a validation set; give --valid FILE"
        }
    }
}

public enum TrainingDataPreparation {
    /// Reads a molecule file into token sequences (see TokenizedCorpus.load); an empty result
    /// is an error naming the file.
    public static func sequences(path: String, vocabulary: Vocabulary, maxLength: Int?, skipUnknown: Bool) throws -> [[Int32]] {
        let corpus = try TokenizedCorpus.load(path: path, vocabulary: vocabulary, maxLength: maxLength,
                                              skipUnknown: skipUnknown, skipTooLong: skipUnknown)
        guard corpus.count > 0 else { throw TrainingDataError.noMolecules(path: path, detail: corpus.summary.description) }
        return corpus.map { Array($0) }
    }

    /// Token sequences of a prepared (validated, canonical) training file; the same rules and
    /// errors as reading a file, naming the source file and line.
    public static func sequences(of prepared: PreparedTrainingFile, vocabulary: Vocabulary, maxLength: Int?,
                                 skipUnknown: Bool) throws -> [[Int32]] {
        let path = prepared.record.path
        let corpus = try TokenizedCorpus.encode(prepared.records, path: path, vocabulary: vocabulary, maxLength: maxLength,
                                                skipUnknown: skipUnknown, skipTooLong: skipUnknown)
        guard corpus.count > 0 else {
            throw TrainingDataError.noMolecules(path: path, detail: prepared.record.description + "; " + corpus.summary.description)
        }
        return corpus.map { Array($0) }
    }

    /// Splits molecules into (train, valid) by a seeded hash of each index: the same seed gives
    /// the same split. At least one molecule lands on each side.
    public static func holdOut(_ sequences: [[Int32]], fraction: Double, seed: UInt64, path: String) throws -> (train: [Int], valid: [Int]) {
        guard sequences.count >= 2 else { throw TrainingDataError.tooFewForSplit(path: path, count: sequences.count) }
        var train: [Int] = [], valid: [Int] = []
        let threshold = UInt64(max(0, min(1, fraction)) * 18_446_744_073_709_551_615.0)
        for i in 0..<sequences.count {
            if CounterRNG.hash(seed: seed, stream: 0x5641_4C49, counter: UInt64(i)) < threshold { valid.append(i) } else { train.append(i) }
        }
        if valid.isEmpty { valid.append(train.removeLast()) }
        if train.isEmpty { train.append(valid.removeLast()) }
        return (train, valid)
    }

    /// logP, QED and SA of each sequence (decoded with the vocabulary), scored by RDKit on
    /// `threads` workers; NaN for molecules RDKit rejects.
    ///
    /// Runs in chunks of `chunkSize` molecules so that a long first pass (minutes for 250k
    /// molecules) reports `progress` (molecules done) and stops, throwing
    /// `PreparationInterrupted`, when `shouldStop` turns true between chunks.
    public static func properties(of sequences: [[Int32]], vocabulary: Vocabulary, threads: Int, chunkSize: Int = 8192,
                                  progress: (Int) -> Void = { _ in }, shouldStop: () -> Bool = { false }) throws -> [Float] {
        var out = [Float](repeating: .nan, count: sequences.count * 3)
        var start = 0
        while start < sequences.count {
            if shouldStop() { throw PreparationInterrupted(step: "computing RDKit properties") }
            let end = min(sequences.count, start + max(1, chunkSize))
            let smiles = sequences[start..<end].map { (try? vocabulary.decode($0)) ?? "" }
            for (offset, s) in BatchScoring.score(smiles, threads: threads).enumerated() {
                guard let p = s.properties else { continue }
                let i = start + offset
                out[i * 3] = Float(p.logP)
                out[i * 3 + 1] = Float(p.qed)
                out[i * 3 + 2] = Float(p.syntheticAccessibility)
            }
            start = end
            progress(start)
        }
        return out
    }

    /// Like properties(of:), cached in a safetensors file keyed by the data file's sha256 and a
    /// digest of the sequences: a rerun on the same data reads the cache instead of recomputing.
    /// Returns the values and whether they came from the cache.
    ///
    /// Over several ranks (`group`), only rank 0 reads and writes the cache and tells the others
    /// what it found; when scoring is needed each rank scores an interleaved share.
    public static func cachedProperties(of sequences: [[Int32]], dataPath: String, vocabulary: Vocabulary,
                                        cachePath: String, threads: Int, group: ProcessGroup = .single,
                                        progress: (Int) -> Void = { _ in }, shouldStop: () -> Bool = { false }) throws -> (values: [Float], cached: Bool) {
        var fileSHA = "", key = ""
        var hit: [Float]? = nil
        if group.isRoot {
            fileSHA = dataPath == "-" ? "stdin" : try SHA256.hexDigest(ofFileAt: dataPath)
            key = sequencesDigest(sequences, vocabulary: vocabulary)
            if let file = try? SafeTensors.read(from: cachePath), file.metadata["molvae.data_sha256"] == fileSHA,
               file.metadata["molvae.sequences_sha256"] == key, let t = try? file.tensor("properties"),
               t.values.count == sequences.count * 3 {
                hit = t.values
            }
        }
        if group.isParallel {
            let found = group.broadcast(hit.map { v in v.withUnsafeBytes { [1] + Array($0) } } ?? [0])
            if found[0] == 1 { hit = found.dropFirst().withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
        }
        if let hit { return (hit, true) }
        let values: [Float]
        if group.isParallel {
            let mine = group.interleavedShare(of: sequences.count).map { sequences[$0] }
            values = group.allGatherInterleaved(try properties(of: mine, vocabulary: vocabulary, threads: threads,
                                                               progress: { progress($0 * group.size) }), width: 3)
        } else {
            values = try properties(of: sequences, vocabulary: vocabulary, threads: threads, progress: progress, shouldStop: shouldStop)
        }
        guard group.isRoot else { return (values, false) }
        var file = SafeTensors()
        file.add("properties", shape: [sequences.count, 3], values: values)
        file.metadata = ["molvae.format": "property-cache-1", "molvae.data_sha256": fileSHA, "molvae.sequences_sha256": key,
                         "molvae.data_path": dataPath, "molvae.columns": "logp,qed,sa"]
        try file.write(to: cachePath)
        return (values, false)
    }

    /// SHA-256 of token sequences and the vocabulary: what the property cache is keyed by, and
    /// what ranks compare to be sure they train on the same molecules.
    public static func sequencesDigest(_ sequences: [[Int32]], vocabulary: Vocabulary) -> String {
        var digest = SHA256()
        for s in sequences {
            s.withUnsafeBytes { digest.update($0) }
            withUnsafeBytes(of: Int32(-1)) { digest.update($0) }
        }
        for t in vocabulary.tokens { digest.update(Array(t.utf8) + [0]) }
        return digest.hexDigest()
    }
}
