/// Splits SMILES into the units a character-level model should see.
///
/// Multi-character units are kept whole because splitting them would teach the model
/// sub-units that are meaningless on their own: a bracket atom (`[nH]`, `[C@@H]`, `[O-]`,
/// `[NH3+]`, `[13C]`) is one token, `Cl` and `Br` are one token each (so `C` followed by `l`
/// is never two atoms), and a two-digit ring closure `%nn` is one token. Every other character
/// is its own token. This is the regex `\[[^\[\]]+\]|Br|Cl|%\d\d|.` used by the PyTorch
/// reference benchmark, written as a byte scanner because `Regex` is far too slow for millions
/// of lines.
///
/// Tokens are contiguous, non-overlapping and cover the whole string, so
/// `detokenize(tokenize(s)) == s` for every string, including malformed ones: an unclosed or
/// empty bracket falls back to single characters.
public enum SMILESTokenizer {
    /// The tokens of `smiles`, in order.
    public static func tokenize(_ smiles: String) -> [String] {
        var smiles = smiles
        return smiles.withUTF8 { bytes in
            var tokens: [String] = []
            tokens.reserveCapacity(bytes.count)
            forEachTokenRange(in: bytes) { range in
                tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            }
            return tokens
        }
    }

    /// Joins tokens back into a SMILES string; the inverse of `tokenize`.
    public static func detokenize<Tokens: Sequence>(_ tokens: Tokens) -> String where Tokens.Element == String {
        tokens.joined()
    }

    /// The number of tokens in `smiles`, without building them (for length filters).
    public static func tokenCount(_ smiles: String) -> Int {
        var smiles = smiles
        return smiles.withUTF8 { bytes in
            var count = 0
            forEachTokenRange(in: bytes) { _ in count += 1 }
            return count
        }
    }

    /// Calls `body` with the byte range of each token of `bytes` (UTF-8), in order.
    ///
    /// A non-ASCII character (a lead byte and its continuation bytes) is one token, so tokens
    /// never split a character and always decode to valid strings.
    @inline(__always)
    static func forEachTokenRange(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        let count = bytes.count
        var start = 0
        while start < count {
            let byte = bytes[start]
            var end = start + 1
            switch byte {
            case UInt8(ascii: "["):
                var scan = start + 1
                while scan < count, bytes[scan] != UInt8(ascii: "]"), bytes[scan] != UInt8(ascii: "[") { scan += 1 }
                if scan < count, bytes[scan] == UInt8(ascii: "]"), scan > start + 1 { end = scan + 1 }
            case UInt8(ascii: "B"):
                if end < count, bytes[end] == UInt8(ascii: "r") { end += 1 }
            case UInt8(ascii: "C"):
                if end < count, bytes[end] == UInt8(ascii: "l") { end += 1 }
            case UInt8(ascii: "%"):
                if start + 2 < count, isDigit(bytes[start + 1]), isDigit(bytes[start + 2]) { end = start + 3 }
            case 0x80...:
                while end < count, bytes[end] & 0xC0 == 0x80 { end += 1 }
            default:
                break
            }
            body(start..<end)
            start = end
        }
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
}

extension SMILESTokenizer {
    /// The tokens of `smiles` joined by single spaces (the `molvae tokenize` line format),
    /// built straight from the bytes.
    public static func spaceSeparatedTokens(_ smiles: String) -> String {
        var text = smiles
        return text.withUTF8 { bytes in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count * 2)
            forEachTokenRange(in: bytes) { range in
                if !output.isEmpty { output.append(UInt8(ascii: " ")) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
            }
            return String(decoding: output, as: UTF8.self)
        }
    }
}
