import Foundation
import MolVAE

/// Every rank stops on the same agreed signal; rank 0 says so.
struct TrainingInterrupted: CollectiveError {
    let description: String
}

/// An option's value as text, from what ArgumentParser's property wrappers print
/// ("Option<Int>(_parsedValue: ...value(64))" -> "64"), for comparing options across ranks.
enum OptionValueText {
    static func of(_ wrapper: Any) -> String {
        let text = withoutOptionalWrappers(String(describing: wrapper))
        guard let start = text.range(of: ".value("), text.hasSuffix("))") else { return text }
        let value = String(text[start.upperBound...].dropLast(2))
        // An optional option (one whose default depends on a checkpoint) reads as its value, or
        // "not given".
        return value == "nil" ? "not given" : value
    }

    /// "Optional(8)" -> "8", wherever it appears (with its matching parenthesis).
    static func withoutOptionalWrappers(_ text: String) -> String {
        var chars = Array(text)
        let marker = Array("Optional(")
        var i = 0
        while i + marker.count <= chars.count {
            guard Array(chars[i..<(i + marker.count)]) == marker else { i += 1; continue }
            var depth = 1, j = i + marker.count
            while j < chars.count && depth > 0 {
                if chars[j] == "(" { depth += 1 } else if chars[j] == ")" { depth -= 1 }
                j += 1
            }
            guard depth == 0 else { break }
            chars.remove(at: j - 1)
            chars.removeSubrange(i..<(i + marker.count))
        }
        return String(chars)
    }
}

/// Test hook for the rank-failure test: MOLVAE_TEST_KILL_RANK_AT_STEP=R:S makes rank R kill
/// itself with SIGKILL right after step S, as a crashed node would vanish.
struct RankFault {
    let rank: Int
    let step: Int

    static func fromEnvironment() -> RankFault? {
        guard let text = ProcessInfo.processInfo.environment["MOLVAE_TEST_KILL_RANK_AT_STEP"] else { return nil }
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        return RankFault(rank: parts[0], step: parts[1])
    }

    func strike(rank: Int, step: Int) {
        if rank == self.rank && step == self.step { kill(getpid(), SIGKILL) }
    }
}
