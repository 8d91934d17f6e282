/// A judged line as the ranks of `report` under mpirun send it to rank 0: every field, doubles
/// by their bits, so the gathered features are exactly those rank 0 would have computed.
extension MoleculeFeatures: RankPayload {
    public func write(to writer: inout BinaryWriter) {
        writer.string(canonicalSMILES)
        writer.u64s(morgan1024)
        writer.stringList(fragments)
        scaffold.write(to: &writer)
        for value in [logP, sa, qed, molecularWeight] { writer.f64(value) }
        writer.u8(passesFilters.map { $0 ? 1 : 0 } ?? 2)
    }

    public init(from reader: inout BinaryReader) throws(CacheFileError) {
        let canonical = try reader.string("canonical SMILES")
        let morgan = try reader.u64s("Morgan fingerprint")
        let fragments = try reader.stringList("fragments")
        let scaffold = try String?(from: &reader)
        let logP = try reader.f64(), sa = try reader.f64(), qed = try reader.f64(), weight = try reader.f64()
        let filters: Bool?
        switch try reader.u8("filter verdict") {
        case 0: filters = false
        case 1: filters = true
        case 2: filters = nil
        case let tag: throw .corrupt("filter verdict \(tag)")
        }
        self.init(canonicalSMILES: canonical, morgan1024: morgan, fragments: fragments, scaffold: scaffold,
                  logP: logP, sa: sa, qed: qed, molecularWeight: weight, passesFilters: filters)
    }
}

extension EvaluatedSet.InvalidLine: RankPayload {
    public func write(to writer: inout BinaryWriter) {
        writer.int(line)
        writer.string(smiles)
        writer.string(reason.rawValue)
        writer.string(message)
    }

    public init(from reader: inout BinaryReader) throws(CacheFileError) {
        let line = try reader.int("line number"), smiles = try reader.string("SMILES")
        let name = try reader.string("invalid reason")
        guard let reason = InvalidReason(rawValue: name) else { throw .corrupt("unknown invalid reason \(name)") }
        self.init(line: line, smiles: smiles, reason: reason, message: try reader.string("message"))
    }
}

extension Result: RankPayload where Success == MoleculeFeatures, Failure == EvaluatedSet.InvalidLine {
    public func write(to writer: inout BinaryWriter) {
        switch self {
        case .success(let features):
            writer.u8(1)
            features.write(to: &writer)
        case .failure(let line):
            writer.u8(0)
            line.write(to: &writer)
        }
    }

    public init(from reader: inout BinaryReader) throws(CacheFileError) {
        switch try reader.u8("verdict tag") {
        case 1: self = .success(try MoleculeFeatures(from: &reader))
        case 0: self = .failure(try EvaluatedSet.InvalidLine(from: &reader))
        case let tag: throw .corrupt("verdict tag \(tag)")
        }
    }
}
