import Foundation

/// What `CorpusPreparation` reports: counts in and out, drops by reason, lengths, tokens.
extension CorpusPreparation {
    /// Why a record was left out.
    public enum DropReason: String, Sendable, Codable, CaseIterable {
        case empty = "empty SMILES"
        case invalid = "invalid molecule"
        case duplicate
        case tooLong = "too long"
    }

    /// What went in, what came out, and why the rest did not.
    public struct Summary: Sendable, Equatable, Codable, CustomStringConvertible {
        public var input: String
        public var options: OptionsRecord
        public var recordsRead = 0
        public var kept = 0
        public var train = 0
        public var valid = 0
        /// Drops by `DropReason.rawValue`.
        public var drops: [String: Int] = [:]
        /// Invalid molecules by RDKit's reason (numbers stripped so atom indices do not split them).
        public var invalidReasons: [String: Int] = [:]
        public var invalidUTF8Lines = 0
        public var lengths = LengthHistogram()
        /// Token occurrences over the kept output.
        public var tokenCounts: [String: Int] = [:]

        public func dropped(_ reason: DropReason) -> Int { drops[reason.rawValue] ?? 0 }

        public var description: String {
            var lines = ["corpus: \(input)"]
            lines.append("  read \(recordsRead) records; kept \(kept) (train \(train), valid \(valid))")
            for reason in DropReason.allCases {
                lines.append("  dropped \(reason.rawValue): \(dropped(reason))")
            }
            for (reason, count) in invalidReasons.sorted(by: { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }).prefix(10) {
                lines.append("    \(count) × \(reason)")
            }
            if invalidUTF8Lines > 0 { lines.append("  lines with invalid UTF-8: \(invalidUTF8Lines)") }
            if let p50 = lengths.percentile(50), let p90 = lengths.percentile(90), let p99 = lengths.percentile(99),
               let maximum = lengths.maximum, let mean = lengths.mean {
                lines.append("  length in tokens: p50 \(p50), p90 \(p90), p99 \(p99), max \(maximum), mean \(String(format: "%.1f", mean))")
            }
            let total = tokenCounts.values.reduce(0, +)
            let top = tokenCounts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(20)
            if total > 0 {
                lines.append("  \(tokenCounts.count) distinct tokens, \(total) in all; most frequent:")
                lines.append("    " + top.map { "\($0.key) \(String(format: "%.1f", 100 * Double($0.value) / Double(total)))%" }.joined(separator: "  "))
            }
            return lines.joined(separator: "\n")
        }
    }

    /// The options as recorded in `summary.json`.
    public struct OptionsRecord: Sendable, Equatable, Codable {
        public var canonicalize: Bool
        public var dedupe: Bool
        public var maxLength: Int?
        public var validFraction: Double
        public var seed: UInt64
    }

    /// RDKit reasons embed atom indices and valences ("Explicit valence for atom # 3 N, 4, is
    /// greater than permitted", "Unkekulized atoms: 0 1 2 3 4"). Each digit run becomes `N` and
    /// a list of them becomes `N…`, so equal causes are counted together.
    static func normalizedReason(_ reason: String) -> String {
        var withPlaceholders = ""
        var lastWasDigit = false
        for character in reason.prefix(300) {
            if character.isASCII, character.isNumber {
                if !lastWasDigit { withPlaceholders.append("N") }
                lastWasDigit = true
            } else {
                withPlaceholders.append(character)
                lastWasDigit = false
            }
        }
        var words: [String] = []
        for word in withPlaceholders.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init) {
            if word == "N", let last = words.last, last == "N" || last == "N…" {
                words[words.count - 1] = "N…"
            } else {
                words.append(word)
            }
        }
        return words.joined(separator: " ")
    }
}
