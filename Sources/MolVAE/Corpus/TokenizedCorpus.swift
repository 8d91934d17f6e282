/// A molecule file turned into token-id sequences for training, with every rejected line
/// either reported as an error or counted.
///
/// Why it exists: the training command must fail loudly on a corpus that does not match its
/// vocabulary or length limit, naming the file, line and token, unless asked to skip such lines,
/// in which case it must say how many it skipped and why. Sequences are stored flat (one id
/// array plus offsets) because millions of small arrays cost far more memory and allocation
/// time than the ids themselves.
public struct TokenizedCorpus: Sendable, RandomAccessCollection {
    /// Why a line did not become a sequence.
    public enum SkipReason: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
        case unknownToken = "unknown token"
        case tooLong = "too long"
        case empty = "empty SMILES"
        public var description: String { rawValue }
    }

    /// What was read and what was left out.
    public struct Summary: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var recordsRead = 0
        public var kept = 0
        public var skipped: [SkipReason: Int] = [:]
        /// Unknown tokens met in skipped lines, with how many lines contained each.
        public var unknownTokens: [String: Int] = [:]
        /// The longest kept sequence, in tokens.
        public var longestKept = 0

        public var skippedTotal: Int { skipped.values.reduce(0, +) }

        public var description: String {
            var text = "\(path): \(kept) of \(recordsRead) molecules kept"
            if skippedTotal > 0 {
                let parts = SkipReason.allCases.compactMap { reason in skipped[reason].map { "\($0) \(reason)" } }
                text += "; skipped \(skippedTotal) (\(parts.joined(separator: ", ")))"
            }
            if !unknownTokens.isEmpty {
                let tokens = unknownTokens.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                text += "; unknown tokens: " + tokens.prefix(10).map { "\"\($0.key)\" ×\($0.value)" }.joined(separator: ", ")
            }
            return text + "; longest kept \(longestKept) tokens"
        }
    }

    /// A line that cannot be used, with the file and line that hold it.
    public enum LoadError: Error, CustomStringConvertible, Sendable, Equatable {
        case unknownToken(token: String, smiles: String, path: String, line: Int)
        case tooLong(length: Int, maxLength: Int, path: String, line: Int)
        case emptySMILES(path: String, line: Int)

        public var description: String {
            switch self {
            case .unknownToken(let token, let smiles, let path, let line):
                return "\(path):\(line): unknown token \"\(token)\" (not in the vocabulary) in \(smiles.prefix(120)); "
                    + "use a vocabulary built from this corpus or skip unknown tokens"
            case .tooLong(let length, let maxLength, let path, let line):
                return "\(path):\(line): SMILES is \(length) tokens long, over the maximum of \(maxLength); "
                    + "raise the maximum length or skip long lines"
            case .emptySMILES(let path, let line):
                return "\(path):\(line): empty SMILES"
            }
        }
    }

    /// All ids, sequence after sequence, without `<bos>`/`<eos>`.
    public let tokenIDs: [Int32]
    /// Sequence `i` is `tokenIDs[offsets[i]..<offsets[i + 1]]`; `offsets.count == count + 1`.
    public let offsets: [Int]
    /// The physical line each sequence came from.
    public let lineNumbers: [Int]
    public let summary: Summary

    public var startIndex: Int { 0 }
    public var endIndex: Int { offsets.count - 1 }
    public subscript(position: Int) -> ArraySlice<Int32> { tokenIDs[offsets[position]..<offsets[position + 1]] }

    /// Reads and encodes every record of `path` (any reader format, `-` for stdin).
    ///
    /// - Parameters:
    ///   - maxLength: the most tokens a SMILES may have (without `<bos>`/`<eos>`); nil for no limit.
    ///   - skipUnknown: skip and count lines with a token outside `vocabulary` instead of failing.
    ///   - skipTooLong: skip and count lines over `maxLength` instead of failing.
    /// - Throws: `SMILESReadError` for file problems, `LoadError` for the first unusable line
    ///   that is not being skipped. Empty SMILES fields (e.g. a blank CSV cell) follow
    ///   `skipUnknown`, since they are equally unusable.
    public static func load(
        path: String,
        vocabulary: Vocabulary,
        maxLength: Int? = 120,
        skipUnknown: Bool = false,
        skipTooLong: Bool = false
    ) throws -> TokenizedCorpus {
        let reader = try SMILESReader(path: path)
        var builder = Builder(path: path, vocabulary: vocabulary, maxLength: maxLength, skipUnknown: skipUnknown, skipTooLong: skipTooLong)
        while let record = try reader.next() { try builder.add(record) }
        return builder.corpus
    }

    /// Encodes records already read (e.g. canonicalised for training), with the same rules and
    /// errors as ``load(path:vocabulary:maxLength:skipUnknown:skipTooLong:)``; `path` and each
    /// record's line number name the source in messages.
    public static func encode(
        _ records: [SMILESRecord],
        path: String,
        vocabulary: Vocabulary,
        maxLength: Int? = 120,
        skipUnknown: Bool = false,
        skipTooLong: Bool = false
    ) throws(LoadError) -> TokenizedCorpus {
        var builder = Builder(path: path, vocabulary: vocabulary, maxLength: maxLength, skipUnknown: skipUnknown, skipTooLong: skipTooLong)
        for record in records { try builder.add(record) }
        return builder.corpus
    }

    /// The one place the rules live: each record is kept, skipped and counted, or an error.
    private struct Builder {
        let path: String
        let vocabulary: Vocabulary
        let maxLength: Int?
        let skipUnknown: Bool
        let skipTooLong: Bool
        var ids: [Int32] = []
        var offsets: [Int] = [0]
        var lines: [Int] = []
        var summary: Summary

        init(path: String, vocabulary: Vocabulary, maxLength: Int?, skipUnknown: Bool, skipTooLong: Bool) {
            self.path = path
            self.vocabulary = vocabulary
            self.maxLength = maxLength
            self.skipUnknown = skipUnknown
            self.skipTooLong = skipTooLong
            summary = Summary(path: path)
        }

        var corpus: TokenizedCorpus { TokenizedCorpus(tokenIDs: ids, offsets: offsets, lineNumbers: lines, summary: summary) }

        mutating func add(_ record: SMILESRecord) throws(LoadError) {
            summary.recordsRead += 1
            if record.smiles.isEmpty {
                guard skipUnknown else { throw LoadError.emptySMILES(path: path, line: record.lineNumber) }
                summary.skipped[.empty, default: 0] += 1
                return
            }
            let encoded: [Int32]
            do {
                encoded = try vocabulary.encode(record.smiles)
            } catch {
                guard skipUnknown else {
                    throw LoadError.unknownToken(token: error.token, smiles: record.smiles, path: path, line: record.lineNumber)
                }
                summary.skipped[.unknownToken, default: 0] += 1
                summary.unknownTokens[error.token, default: 0] += 1
                return
            }
            if let maxLength, encoded.count > maxLength {
                guard skipTooLong else {
                    throw LoadError.tooLong(length: encoded.count, maxLength: maxLength, path: path, line: record.lineNumber)
                }
                summary.skipped[.tooLong, default: 0] += 1
                return
            }
            ids.append(contentsOf: encoded)
            offsets.append(ids.count)
            lines.append(record.lineNumber)
            summary.kept += 1
            summary.longestKept = Swift.max(summary.longestKept, encoded.count)
        }
    }
}
