/// A reference file (MOSES test or test-scaffolds) reduced to what a report needs from it: the
/// statistics the metrics compare against, and the counts and invalid lines the report lists.
/// Unlike `EvaluatedSet` it keeps no per-molecule features, so it is small enough to cache.
public struct ReferenceFile: Sendable {
    public let path: String
    public let sha256: String
    public let lineCount: Int
    public let invalid: [EvaluatedSet.InvalidLine]
    public let statistics: ReferenceSet

    public var validCount: Int { statistics.moleculeCount }

    public init(_ evaluated: EvaluatedSet) {
        self.init(path: evaluated.path, sha256: evaluated.sha256, lineCount: evaluated.lineCount,
                  invalid: evaluated.invalid, statistics: ReferenceSet(features: evaluated.valid))
    }

    init(path: String, sha256: String, lineCount: Int, invalid: [EvaluatedSet.InvalidLine], statistics: ReferenceSet) {
        self.path = path
        self.sha256 = sha256
        self.lineCount = lineCount
        self.invalid = invalid
        self.statistics = statistics
    }
}
