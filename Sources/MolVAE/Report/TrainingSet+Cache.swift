extension TrainingSet {
    /// Cache kind and payload version of a training set: line and valid counts, every line's
    /// string in file order (the raw set is made from them), the canonical forms (sorted, so
    /// equal sets give equal bytes).
    static let cacheKind = "strings"
    static let cacheVersion: UInt32 = 2

    /// The training set of `path`, from `cache` when it holds an intact copy made from these
    /// exact bytes, else read, canonicalised and stored there. Without a cache: read as always.
    public static func load(path: String, threads: Int, cache: ReferenceCache?,
                            note: (String) -> Void) throws -> (set: TrainingSet, outcome: ReferenceCache.Outcome?) {
        let sha256 = try SHA256.hexDigest(ofFileAt: path)
        guard let cache else { return (try TrainingSet(path: path, sha256: sha256, threads: threads), nil) }
        let (set, outcome) = try cache.value(
            for: cacheKey(sha256: sha256),
            decode: { (reader: inout BinaryReader) throws(CacheFileError) in try decodePayload(&reader, path: path, sha256: sha256) },
            encode: { $0.cachePayload() },
            compute: { try TrainingSet(path: path, sha256: sha256, threads: threads) },
            note: note)
        return (set, outcome)
    }

    static func cacheKey(sha256: String) -> CacheKey {
        CacheKey(sha256: sha256, role: "train", kind: cacheKind, version: cacheVersion, producer: ReferenceCache.producer)
    }

    static func decodePayload(_ reader: inout BinaryReader, path: String, sha256: String) throws(CacheFileError) -> TrainingSet {
        let lines = try reader.int("line count"), valid = try reader.int("valid count")
        let smiles = try reader.stringList("lines"), canonical = try reader.strings("canonical strings")
        guard valid <= lines, smiles.count == lines, canonical.count <= valid else {
            throw .corrupt("inconsistent counts (\(lines) lines, \(valid) valid, \(smiles.count) strings, \(canonical.count) canonical)")
        }
        return TrainingSet(path: path, sha256: sha256, lineCount: lines, validCount: valid, smiles: smiles, canonical: canonical)
    }

    /// The payload `load` stores: the same set always gives the same bytes.
    func cachePayload() -> [UInt8] {
        var writer = BinaryWriter()
        writer.int(lineCount)
        writer.int(validCount)
        writer.stringList(smiles)
        writer.strings(canonical)
        return writer.bytes
    }
}
