import Foundation

/// The token ↔ id mapping a model is trained with, stored as JSON next to (or inside) the model.
///
/// Ids 0–3 are the special tokens `<pad>`, `<bos>`, `<eos>`, `<unk>`; the corpus tokens follow
/// sorted by their UTF-8 bytes (Python's `sorted` on str gives the same order), which is what the
/// PyTorch reference benchmark does, so ids agree between the two implementations.
///
/// The file also records which corpus it was built from (path, sha256, molecule count) and how
/// often each token occurs, so a vocabulary can be traced and a mismatch diagnosed later.
public struct Vocabulary: Sendable, Equatable, Codable {
    /// Ids of the special tokens.
    public struct SpecialTokens: Sendable, Equatable, Codable {
        public var pad: Int32 = 0
        public var bos: Int32 = 1
        public var eos: Int32 = 2
        public var unk: Int32 = 3
        public init() {}
    }

    /// The corpus file a vocabulary was built from.
    public struct Source: Sendable, Equatable, Codable {
        public var path: String
        /// sha256 of the file's bytes as stored (compressed if it is compressed); nil for stdin.
        public var sha256: String?
        public var molecules: Int
        public init(path: String, sha256: String?, molecules: Int) {
            self.path = path
            self.sha256 = sha256
            self.molecules = molecules
        }
    }

    /// A token not in the vocabulary.
    public struct UnknownTokenError: Error, CustomStringConvertible, Sendable, Equatable {
        public let token: String
        public let smiles: String
        public var description: String { "unknown token \"\(token)\" in \(smiles.prefix(120))" }
    }

    /// An id outside `0..<count`.
    public struct InvalidIDError: Error, CustomStringConvertible, Sendable, Equatable {
        public let id: Int32
        public let count: Int
        public var description: String { "token id \(id) is outside the vocabulary (0..<\(count))" }
    }

    /// A vocabulary file that is not one we wrote or that contradicts itself.
    public struct FormatError: Error, CustomStringConvertible, Sendable {
        public let reason: String
        public var description: String { "invalid vocabulary: \(reason)" }
    }

    public static let specialTokenStrings = ["<pad>", "<bos>", "<eos>", "<unk>"]
    public static let currentFormatVersion = 1

    public let formatVersion: Int
    /// Every token in id order: `tokens[id]`.
    public let tokens: [String]
    public let specialTokens: SpecialTokens
    public let source: Source?
    /// Occurrences of each corpus token in the source corpus.
    public let tokenCounts: [String: Int]

    private let idsByToken: [String: Int32]
    /// Ids of one-byte ASCII tokens by byte (-1 when absent): the fast path of `encode`.
    private let singleByteIDs: [Int32]

    /// A vocabulary of the special tokens followed by the tokens of `tokenCounts`, sorted.
    public init(tokenCounts: [String: Int], source: Source?) {
        let corpusTokens = tokenCounts.keys
            .filter { !Self.specialTokenStrings.contains($0) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        self.formatVersion = Self.currentFormatVersion
        self.tokens = Self.specialTokenStrings + corpusTokens
        self.specialTokens = SpecialTokens()
        self.source = source
        self.tokenCounts = tokenCounts
        self.idsByToken = Self.index(tokens)
        self.singleByteIDs = Self.singleByteIndex(tokens)
    }

    /// A vocabulary from a bare token list in id order, e.g. the list a model file stores.
    /// The list must start with `<pad>`, `<bos>`, `<eos>`, `<unk>` and hold no duplicates; the
    /// order is kept as given (ids must not move, or a trained model would read wrong tokens).
    public init(tokens: [String], source: Source? = nil, tokenCounts: [String: Int] = [:]) throws(FormatError) {
        guard Array(tokens.prefix(Self.specialTokenStrings.count)) == Self.specialTokenStrings else {
            throw FormatError(reason: "the token list must start with \(Self.specialTokenStrings.joined(separator: ", "))")
        }
        guard Set(tokens).count == tokens.count else { throw FormatError(reason: "duplicate tokens") }
        self.formatVersion = Self.currentFormatVersion
        self.tokens = tokens
        self.specialTokens = SpecialTokens()
        self.source = source
        self.tokenCounts = tokenCounts
        self.idsByToken = Self.index(tokens)
        self.singleByteIDs = Self.singleByteIndex(tokens)
    }

    /// Builds a vocabulary from every token of every record in a molecule file (any format the
    /// readers accept). The source records `path` as given and the file's sha256.
    public static func build(fromCorpusAt path: String) throws -> Vocabulary {
        let reader = try SMILESReader(path: path)
        var counter = TokenCounter()
        var molecules = 0
        while let record = try reader.next() {
            molecules += 1
            counter.add(record.smiles)
        }
        let sha = path == "-" ? nil : try SHA256.hexDigest(ofFileAt: path)
        return Vocabulary(tokenCounts: counter.counts, source: Source(path: path, sha256: sha, molecules: molecules))
    }

    /// Builds a vocabulary from SMILES already read (training builds it from the canonical
    /// forms it trains on, so the garbage of invalid lines never becomes a token).
    public static func build(fromSMILES smiles: [String], source: Source?) -> Vocabulary {
        var counter = TokenCounter()
        for text in smiles { counter.add(text) }
        return Vocabulary(tokenCounts: counter.counts, source: source)
    }

    /// Number of tokens including the special ones (the model's input and output size).
    public var count: Int { tokens.count }

    public func id(of token: String) -> Int32? { idsByToken[token] }

    public func token(for id: Int32) -> String? {
        id >= 0 && Int(id) < tokens.count ? tokens[Int(id)] : nil
    }

    /// The ids of the tokens of `smiles`, without `<bos>`/`<eos>` (the caller frames them).
    /// The tokenizer never produces a special token (`<pad>` splits into single characters),
    /// so special ids only ever come from framing.
    public func encode(_ smiles: String) throws(UnknownTokenError) -> [Int32] {
        var ids: [Int32] = []
        var unknown: String?
        var text = smiles
        text.withUTF8 { bytes in
            ids.reserveCapacity(bytes.count)
            SMILESTokenizer.forEachTokenRange(in: bytes) { range in
                if range.count == 1, bytes[range.lowerBound] < 0x80, singleByteIDs[Int(bytes[range.lowerBound])] >= 0 {
                    ids.append(singleByteIDs[Int(bytes[range.lowerBound])])
                    return
                }
                let token = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
                if let id = idsByToken[token] {
                    ids.append(id)
                } else if unknown == nil {
                    unknown = token
                }
            }
        }
        if let unknown { throw UnknownTokenError(token: unknown, smiles: smiles) }
        return ids
    }

    /// `<bos>`, the ids of `smiles`, `<eos>`: the sequence a decoder is trained to produce.
    public func encodeFramed(_ smiles: String) throws(UnknownTokenError) -> [Int32] {
        [specialTokens.bos] + (try encode(smiles)) + [specialTokens.eos]
    }

    /// The SMILES spelled by `ids`. `<pad>` and `<bos>` are skipped and decoding stops at the
    /// first `<eos>`, so a padded, framed model output decodes directly. `<unk>` is written as
    /// `<unk>`, which keeps the result visibly invalid rather than silently dropping an atom.
    public func decode<IDs: Sequence>(_ ids: IDs) throws(InvalidIDError) -> String where IDs.Element == Int32 {
        var text = ""
        for id in ids {
            guard id >= 0, Int(id) < tokens.count else { throw InvalidIDError(id: id, count: tokens.count) }
            if id == specialTokens.eos { break }
            if id == specialTokens.pad || id == specialTokens.bos { continue }
            text += tokens[Int(id)]
        }
        return text
    }

    // MARK: - JSON

    private enum CodingKeys: String, CodingKey {
        case formatVersion, tokens, specialTokens, source, tokenCounts
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        tokens = try container.decode([String].self, forKey: .tokens)
        specialTokens = try container.decode(SpecialTokens.self, forKey: .specialTokens)
        source = try container.decodeIfPresent(Source.self, forKey: .source)
        tokenCounts = try container.decodeIfPresent([String: Int].self, forKey: .tokenCounts) ?? [:]
        guard formatVersion == Self.currentFormatVersion else {
            throw FormatError(reason: "format version \(formatVersion), this build reads \(Self.currentFormatVersion)")
        }
        guard Set(tokens).count == tokens.count else { throw FormatError(reason: "duplicate tokens") }
        let expected: [(Int32, String)] = [
            (specialTokens.pad, "<pad>"), (specialTokens.bos, "<bos>"), (specialTokens.eos, "<eos>"), (specialTokens.unk, "<unk>"),
        ]
        for (id, name) in expected where id < 0 || Int(id) >= tokens.count || tokens[Int(id)] != name {
            throw FormatError(reason: "special token \(name) does not have id \(id)")
        }
        idsByToken = Self.index(tokens)
        singleByteIDs = Self.singleByteIndex(tokens)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatVersion, forKey: .formatVersion)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(specialTokens, forKey: .specialTokens)
        try container.encodeIfPresent(source, forKey: .source)
        try container.encode(tokenCounts, forKey: .tokenCounts)
    }

    /// Pretty, key-sorted JSON, so the same vocabulary always gives the same bytes (diffable,
    /// and embeddable in a model file).
    public func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public init(jsonString: String) throws {
        self = try JSONDecoder().decode(Vocabulary.self, from: Data(jsonString.utf8))
    }

    /// Reads a vocabulary file written by `write(to:)` or `molvae vocab`.
    public static func load(path: String) throws -> Vocabulary {
        let data: Data
        do {
            data = try FileBytes.read(path)
        } catch {
            throw FormatError(reason: "cannot read \(path): \(error.localizedDescription)")
        }
        guard !data.isEmpty else { throw FormatError(reason: "\(path): the file is empty") }
        do {
            return try JSONDecoder().decode(Vocabulary.self, from: data)
        } catch let error as FormatError {
            throw FormatError(reason: "\(path): \(error.reason)")
        } catch {
            throw FormatError(reason: "\(path): \(error)")
        }
    }

    /// Writes the JSON atomically.
    public func write(to path: String) throws {
        try AtomicFile.write(try jsonString() + "\n", to: path)
    }

    public static func == (lhs: Vocabulary, rhs: Vocabulary) -> Bool {
        lhs.formatVersion == rhs.formatVersion && lhs.tokens == rhs.tokens && lhs.specialTokens == rhs.specialTokens
            && lhs.source == rhs.source && lhs.tokenCounts == rhs.tokenCounts
    }

    private static func singleByteIndex(_ tokens: [String]) -> [Int32] {
        var table = [Int32](repeating: -1, count: 128)
        for (id, token) in tokens.enumerated() where token.utf8.count == 1 && token.utf8.first! < 0x80 {
            table[Int(token.utf8.first!)] = Int32(id)
        }
        return table
    }

    private static func index(_ tokens: [String]) -> [String: Int32] {
        var index: [String: Int32] = [:]
        for (id, token) in tokens.enumerated() { index[token] = Int32(id) }
        return index
    }
}
