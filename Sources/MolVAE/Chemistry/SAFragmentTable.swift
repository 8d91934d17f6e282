import CMolShim

/// The SA score's fragment contributions (RDKit Contrib `fpscores.pkl.gz`, converted to plain
/// text by `scripts/convert-sa-fragments`), read from `Data/sa_fragment_scores.txt.gz` on first
/// use and installed in the shim once for the whole process.
public enum SAFragmentTable {
    /// The data file's name inside the data folder.
    public static let fileName = "sa_fragment_scores.txt.gz"

    /// Why the table could not be loaded.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Loads and installs the table unless already done; returns the number of fragment ids.
    /// Thread-safe: the first caller loads, the others wait for it (a lazy global).
    @discardableResult
    public static func ensureLoaded() throws(LoadError) -> Int {
        try loaded.get()
    }

    private static let loaded: Result<Int, LoadError> = {
        do {
            let path = try DataFiles.path(of: fileName)
            return .success(try install(from: path))
        } catch let error as LoadError {
            return .failure(error)
        } catch {
            return .failure(LoadError(description: "\(error)"))
        }
    }()

    /// Reads a table file (`score<TAB>id id …` per line, `#` comments) and installs it, replacing
    /// any table installed before. Returns the number of distinct fragment ids.
    public static func install(from path: String) throws(LoadError) -> Int {
        var ids: [UInt32] = []
        var scores: [Double] = []
        ids.reserveCapacity(710_000)
        scores.reserveCapacity(710_000)
        do {
            let source = try LineSource(path: path)
            while let line = try source.nextLine() {
                if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
                guard let tab = line.firstIndex(of: 0x09),
                      let score = Double(String(decoding: line[..<tab], as: UTF8.self)) else {
                    throw LoadError(description: "\(path):\(source.lineNumber): expected score<TAB>ids")
                }
                var value: UInt64 = 0
                var inNumber = false
                for byte in line[(tab + 1)...] {
                    if byte >= 0x30 && byte <= 0x39 {
                        value = value * 10 + UInt64(byte - 0x30)
                        inNumber = true
                    } else if byte == 0x20 {
                        if inNumber { ids.append(UInt32(truncatingIfNeeded: value)); scores.append(score) }
                        value = 0
                        inNumber = false
                    } else {
                        throw LoadError(description: "\(path):\(source.lineNumber): unexpected byte in fragment ids")
                    }
                    if value > UInt64(UInt32.max) {
                        throw LoadError(description: "\(path):\(source.lineNumber): fragment id exceeds 32 bits")
                    }
                }
                if inNumber { ids.append(UInt32(value)); scores.append(score) }
            }
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError(description: "SA fragment table: \(error)")
        }
        guard !ids.isEmpty else { throw LoadError(description: "\(path): no fragment scores") }
        return molshim_sa_set_fragment_scores(ids, scores, ids.count)
    }
}
