/// Turns line bytes into strings without ever crashing on bad input.
///
/// Corpora scraped from elsewhere sometimes carry Latin-1 names or stray bytes. Invalid UTF-8
/// is replaced by U+FFFD (the molecule then fails to parse and is counted, not fatal) and the
/// caller is told, so readers can report how many lines were affected.
enum TextDecoding {
    static func string<Bytes: Collection>(_ bytes: Bytes) -> (text: String, wasValid: Bool) where Bytes.Element == UInt8 {
        if bytes.allSatisfy({ $0 < 0x80 }) { return (String(decoding: bytes, as: UTF8.self), true) }
        if let valid = String(validating: bytes, as: UTF8.self) { return (valid, true) }
        return (String(decoding: bytes, as: UTF8.self), false)
    }
}
