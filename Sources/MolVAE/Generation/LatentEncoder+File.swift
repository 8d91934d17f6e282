extension LatentEncoder {
    /// Reads a molecule file (any format `SMILESReader` takes) and encodes its records in chunks
    /// of `batchSize`, calling `body` with every record and its outcome in file order: nothing
    /// is dropped, a record that cannot be encoded comes with its reason and its line number.
    /// Throws the reader's error (naming the file) for a missing, unreadable or empty file.
    public func encodeFile(at path: String, batchSize: Int = 1024,
                           _ body: (SMILESRecord, Result<EncodedMolecule, EncodingFailure>) throws -> Void) throws {
        let reader = try SMILESReader(path: path)
        while true {
            let records = try reader.nextBatch(maxCount: max(1, batchSize))
            if records.isEmpty { break }
            let outcomes = encode(records.map(\.smiles))
            for (record, outcome) in zip(records, outcomes) { try body(record, outcome) }
        }
    }
}
