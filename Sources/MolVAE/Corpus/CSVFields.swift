/// Splits one line of CSV (or TSV) into fields, RFC 4180 style.
///
/// A field may be quoted; inside quotes the delimiter is literal and `""` is one `"`. SMILES
/// never contain commas, but names and other columns often do, so a naive split would shift
/// columns. Records spanning several lines (a newline inside quotes) are not supported: every
/// molecule file we read has one record per line, and line numbers in errors stay exact.
///
/// The one CSV/TSV field splitter for reading (molecule tables, MOSES's SMARTS lists, tests);
/// writing quotes fields with `CSV.escape` (PropertyCSV.swift).
enum CSVFields {
    /// The fields of one line of text (no line end), split on `delimiter`.
    static func split(_ line: some StringProtocol, delimiter: UInt8 = UInt8(ascii: ",")) -> [String] {
        var bytes = String(line)
        return bytes.withUTF8 { split($0, delimiter: delimiter) }
    }

    static func split(_ bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) -> [String] {
        var fields: [String] = []
        var quoted: [UInt8] = []
        var index = 0
        let count = bytes.count
        let quote = UInt8(ascii: "\"")
        while true {
            // Spaces before an opening quote are tolerated (`a, "b, c"`).
            var probe = index
            while probe < count, bytes[probe] == UInt8(ascii: " ") { probe += 1 }
            if probe < count, bytes[probe] == quote {
                quoted.removeAll(keepingCapacity: true)
                index = probe + 1
                while index < count {
                    if bytes[index] == quote {
                        if index + 1 < count, bytes[index + 1] == quote {
                            quoted.append(quote)
                            index += 2
                        } else {
                            index += 1
                            break
                        }
                    } else {
                        quoted.append(bytes[index])
                        index += 1
                    }
                }
                // Anything between the closing quote and the delimiter is kept, not dropped.
                while index < count, bytes[index] != delimiter {
                    quoted.append(bytes[index])
                    index += 1
                }
                fields.append(quoted.withUnsafeBufferPointer { TextDecoding.string($0).text })
            } else {
                let start = index
                while index < count, bytes[index] != delimiter { index += 1 }
                fields.append(TextDecoding.string(bytes[start..<index]).text)
            }
            if index < count, bytes[index] == delimiter {
                index += 1
                continue
            }
            return fields
        }
    }
}
