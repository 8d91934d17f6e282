/// The latent table `molvae encode` writes and `molvae decode` reads: a header
/// `smiles,z0,…,z{D-1}`, then one row per molecule. Values are written in Swift's shortest
/// round-trip form, so reading a table back gives the very same Float32 values.
public enum LatentCSV {
    public static func header(dimension: Int) -> String {
        "smiles," + (0..<dimension).map { "z\($0)" }.joined(separator: ",") + "\n"
    }

    public static func row(smiles: String, latent: [Float]) -> String {
        var line = CSV.escape(smiles.replacingNUL())
        for value in latent {
            line += ","
            line += value.description
        }
        return line + "\n"
    }
}

/// Why a latent table cannot be decoded, naming the file and, where it applies, the line.
public struct LatentFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let line: Int?
    public let reason: String

    public var description: String {
        let place = path == "-" ? "<stdin>" : path
        return (line.map { "\(place):\($0)" } ?? place) + ": " + reason
    }
}

/// One point of a latent table with the physical line it came from.
public struct LatentRow: Sendable, Equatable {
    public let lineNumber: Int
    public let values: [Float]
}

/// Reads a latent table (CSV, optionally gzip-compressed; `-` is standard input) for a model
/// with `dimension` latent dimensions. The header must name the columns z0 … z{D-1} (any order,
/// other columns such as `smiles` are ignored); blank lines are skipped. Every row is checked:
/// a missing or extra latent column, a field that is not a number, or a NaN/infinite value is an
/// error naming the line.
public final class LatentTableReader {
    public let path: String
    public let dimension: Int
    private let source: LineSource
    private var columns: [Int] = []     // field index of z_j
    private var headerFields = 0
    private var headerRead = false

    public init(path: String, dimension: Int) throws {
        self.path = path
        self.dimension = dimension
        do {
            source = try LineSource(path: path)
        } catch {
            switch error.kind {
            case .empty: throw LatentFileError(path: path, line: nil, reason: "the file is empty (no header, no latent rows)")
            case .cannotOpen(let reason): throw LatentFileError(path: path, line: nil, reason: "cannot open: \(reason)")
            case .readFailed(let reason): throw LatentFileError(path: path, line: nil, reason: "read failed: \(reason)")
            case .noSMILESColumn: throw LatentFileError(path: path, line: nil, reason: "\(error)")
            }
        }
    }

    /// The next point, or nil at the end of the table.
    public func next() throws -> LatentRow? {
        while true {
            let line: String?
            do {
                line = try source.withNextLine { TextDecoding.string($0).text }
            } catch {
                throw LatentFileError(path: path, line: source.lineNumber, reason: "read failed: \(error)")
            }
            guard let line else {
                if !headerRead { throw LatentFileError(path: path, line: nil, reason: "the file is empty (no header, no latent rows)") }
                return nil
            }
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            let fields = CSVFields.split(line.hasSuffix("\r") ? String(line.dropLast()) : line)
            if !headerRead {
                try readHeader(fields)
                continue
            }
            return LatentRow(lineNumber: source.lineNumber, values: try values(fields))
        }
    }

    /// Every remaining point.
    public func readAll() throws -> [LatentRow] {
        var rows: [LatentRow] = []
        while let row = try next() { rows.append(row) }
        return rows
    }

    private func readHeader(_ fields: [String]) throws {
        let names = fields.map { $0.trimmingSpaces.lowercased() }
        var index: [Int: Int] = [:]
        for (i, name) in names.enumerated() where name.hasPrefix("z") {
            guard let j = Int(name.dropFirst()), j >= 0 else { continue }
            if index[j] != nil { throw LatentFileError(path: path, line: source.lineNumber, reason: "column z\(j) appears twice in the header") }
            index[j] = i
        }
        guard !index.isEmpty else {
            if fields.count > 1, fields.allSatisfy({ Float($0.trimmingSpaces) != nil }) {
                throw LatentFileError(path: path, line: source.lineNumber,
                                      reason: "no header: the first line must name the columns smiles,z0,…,z\(dimension - 1) (as molvae encode writes them)")
            }
            throw LatentFileError(path: path, line: source.lineNumber,
                                  reason: "no latent columns in the header (expected z0 … z\(dimension - 1); found \(names.joined(separator: ",")))")
        }
        let present = index.keys.sorted()
        guard present.count == dimension, present.first == 0, present.last == dimension - 1 else {
            let found = present.count == present.last! + 1 ? "z0 … z\(present.last!)" : "\(present.count) z columns up to z\(present.last!)"
            throw LatentFileError(path: path, line: source.lineNumber,
                                  reason: "the table has \(present.count) latent dimensions (\(found)); the model's latent space has \(dimension) (z0 … z\(dimension - 1))")
        }
        columns = (0..<dimension).map { index[$0]! }
        headerFields = fields.count
        headerRead = true
    }

    private func values(_ fields: [String]) throws -> [Float] {
        guard fields.count == headerFields else {
            throw LatentFileError(path: path, line: source.lineNumber,
                                  reason: "\(fields.count) fields, but the header has \(headerFields) columns")
        }
        var out = [Float](repeating: 0, count: dimension)
        for (j, i) in columns.enumerated() {
            let text = fields[i].trimmingSpaces
            guard let value = Float(text) else {
                throw LatentFileError(path: path, line: source.lineNumber, reason: "z\(j) is \"\(text.prefix(40))\", not a number")
            }
            guard value.isFinite else {
                throw LatentFileError(path: path, line: source.lineNumber, reason: "z\(j) is \(text), not a finite number")
            }
            out[j] = value
        }
        return out
    }
}
