/// Why a molecule file could not be read, naming the file and, where it applies, the line.
///
/// One error type for every reader failure so the command line can print one clear message
/// and tests can check the kind.
public struct SMILESReadError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The file does not exist, is not readable, or is a directory.
        case cannotOpen(reason: String)
        /// Reading failed part-way (I/O error, corrupt or truncated gzip stream).
        case readFailed(reason: String)
        /// The file holds no SMILES records (no bytes, only blank lines, or only a header).
        case empty
        /// A CSV/TSV header names no column that holds SMILES.
        case noSMILESColumn(header: [String])
    }

    /// The path as given (`-` for standard input).
    public let path: String
    /// The 1-based line number, when the failure belongs to one line.
    public let line: Int?
    public let kind: Kind

    public init(path: String, line: Int?, kind: Kind) {
        self.path = path
        self.line = line
        self.kind = kind
    }

    public var description: String {
        let place = path == "-" ? "<stdin>" : path
        let location = line.map { "\(place):\($0)" } ?? place
        switch kind {
        case .cannotOpen(let reason):
            return "\(location): cannot open: \(reason)"
        case .readFailed(let reason):
            return "\(location): read failed: \(reason)"
        case .empty:
            return "\(location): the file is empty (no SMILES records)"
        case .noSMILESColumn(let header):
            let columns = header.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(location): no SMILES column in the header (columns: \(columns)); "
                + "expected one named \(SMILESColumn.names.joined(separator: ", ")) (any case)"
        }
    }
}
