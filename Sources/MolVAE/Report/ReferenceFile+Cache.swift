extension ReferenceFile {
    /// Cache kind and payload version of reference statistics; bump the version whenever
    /// `MoleculeFeatures` or `ReferenceSet` compute anything differently.
    static let cacheKind = "statistics"
    static let cacheVersion: UInt32 = 1

    /// The reference statistics of `path`, from `cache` when it holds an intact copy made from
    /// these exact bytes, else computed (every molecule scored) and stored there.
    public static func load(path: String, threads: Int, cache: ReferenceCache?,
                            note: (String) -> Void) throws -> (file: ReferenceFile, outcome: ReferenceCache.Outcome?) {
        let sha256 = try SHA256.hexDigest(ofFileAt: path)
        let compute = { ReferenceFile(try EvaluatedSet(path: path, sha256: sha256, role: .reference, threads: threads)) }
        guard let cache else { return (try compute(), nil) }
        let (file, outcome) = try cache.value(
            for: cacheKey(sha256: sha256),
            decode: { (reader: inout BinaryReader) throws(CacheFileError) in try decodePayload(&reader, path: path, sha256: sha256) },
            encode: { $0.cachePayload() },
            compute: compute,
            note: note)
        return (file, outcome)
    }

    static func cacheKey(sha256: String) -> CacheKey {
        CacheKey(sha256: sha256, role: "reference", kind: cacheKind, version: cacheVersion, producer: ReferenceCache.producer)
    }

    /// Counts, invalid lines, then the statistics: fingerprint rows in their popcount order,
    /// fragment and scaffold counts sorted by key, the four property samples in input order.
    func cachePayload() -> [UInt8] {
        var writer = BinaryWriter()
        writer.int(lineCount)
        writer.int(invalid.count)
        for line in invalid {
            writer.int(line.line)
            writer.string(line.smiles)
            writer.string(line.reason.rawValue)
            writer.string(line.message)
        }
        let statistics = self.statistics
        writer.int(statistics.moleculeCount)
        writer.int(statistics.fingerprints.words)
        writer.u64s(statistics.fingerprints.rows)
        writer.counts(statistics.fragments)
        writer.counts(statistics.scaffolds)
        for (_, values) in statistics.properties.named { writer.f64s(values) }
        return writer.bytes
    }

    static func decodePayload(_ reader: inout BinaryReader, path: String, sha256: String) throws(CacheFileError) -> ReferenceFile {
        let lines = try reader.int("line count")
        let invalidCount = try reader.count(of: "invalid lines", minimumSize: 32)
        var invalid: [EvaluatedSet.InvalidLine] = []
        for _ in 0..<invalidCount {
            let line = try reader.int("invalid line number")
            let smiles = try reader.string("invalid SMILES")
            let reasonName = try reader.string("invalid reason")
            guard let reason = InvalidReason(rawValue: reasonName) else { throw .corrupt("unknown invalid reason \(reasonName)") }
            invalid.append(.init(line: line, smiles: smiles, reason: reason, message: try reader.string("invalid message")))
        }
        let molecules = try reader.int("molecule count")
        let words = try reader.int("fingerprint width")
        let rows = try reader.u64s("fingerprint words")
        guard words > 0, rows.count.isMultiple(of: words), rows.count / words == molecules,
              lines >= invalid.count, lines - invalid.count == molecules else {
            throw .corrupt("inconsistent counts (\(lines) lines, \(invalid.count) invalid, \(molecules) molecules, "
                           + "\(rows.count) fingerprint words of width \(words))")
        }
        let fragments = try reader.counts("fragments")
        let scaffolds = try reader.counts("scaffolds")
        var samples: [[Double]] = []
        for name in ["logP", "SA", "QED", "weight"] {
            let values = try reader.f64s(name)
            guard values.count == molecules else { throw .corrupt("\(values.count) \(name) values for \(molecules) molecules") }
            samples.append(values)
        }
        let statistics = ReferenceSet(moleculeCount: molecules, fingerprints: FingerprintSet(words: words, rows: rows),
                                      fragments: fragments, scaffolds: scaffolds,
                                      properties: PropertySamples(logP: samples[0], sa: samples[1], qed: samples[2], weight: samples[3]))
        return ReferenceFile(path: path, sha256: sha256, lineCount: lines, invalid: invalid, statistics: statistics)
    }
}
