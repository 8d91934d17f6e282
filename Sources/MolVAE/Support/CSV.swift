/// Minimal RFC 4180 CSV for single lines: splitting a record (quoted fields, doubled quotes) and
/// quoting a field on output. Multi-line quoted fields are not supported: molecule tables keep
/// one record per line.
public enum CSV {
    /// The fields of one record. Characters after a closing quote up to the next comma are kept
    /// (as pandas does), so `"abc"  ,x` gives `abc  ` and `x`.
    public static func fields(of line: Substring, separator: Character = ",") -> [String] {
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var index = line.startIndex
        while index < line.endIndex {
            let c = line[index]
            if inQuotes {
                if c == "\"" {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == "\"" {
                        field.append("\"")
                        index = next
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                inQuotes = true
            } else if c == separator {
                fields.append(field)
                field = ""
            } else {
                field.append(c)
            }
            index = line.index(after: index)
        }
        fields.append(field)
        return fields
    }

    /// `field` quoted when it contains a comma, quote, CR or LF (quotes doubled); as is otherwise.
    public static func escape(_ field: String) -> String {
        var needsQuotes = false
        for byte in field.utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needsQuotes = true
            break
        }
        guard needsQuotes else { return field }
        var quoted = "\""
        for c in field {
            if c == "\"" { quoted.append("\"") }
            quoted.append(c)
        }
        quoted.append("\"")
        return quoted
    }
}
