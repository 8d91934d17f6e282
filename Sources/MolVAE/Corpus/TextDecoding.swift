/// Turns line bytes into strings without ever crashing on bad input.
///
/// Corpora scraped from elsewhere sometimes carry Latin-1 names or stray bytes. Invalid UTF-8
/// is replaced by U+FFFD (the molecule then fails to parse and is counted, not fatal) and the
/// caller is told, so readers can report how many lines were affected.
///
/// Works on `UnsafeBufferPointer` rather than a generic collection: this runs once per field of
/// every line, and the generic version spent most of its time in unspecialised witness calls.
enum TextDecoding {
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> (text: String, wasValid: Bool) {
        if isASCII(bytes) { return (String(decoding: bytes, as: UTF8.self), true) }
        if let valid = String(validating: bytes, as: UTF8.self) { return (valid, true) }
        return (String(decoding: bytes, as: UTF8.self), false)
    }

    static func string(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> (text: String, wasValid: Bool) {
        string(UnsafeBufferPointer(rebasing: bytes))
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var combined: UInt8 = 0
        for byte in bytes { combined |= byte }
        return combined < 0x80
    }
}
