import ArgumentParser
import Foundation
import MolVAE

/// Where reference files' processed forms are cached (report, sample): the first run against a
/// reference file reads and scores it and stores the result; later runs read the result.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache-dir"), help: ArgumentHelp(
        "Cache folder for processed reference files (default: $MOLVAE_CACHE_DIR, else $XDG_CACHE_HOME/molvae, else ~/.cache/molvae).",
        valueName: "dir"))
    var cacheDirectory: String?

    @Flag(name: .customLong("no-cache"), help: "Read and score every reference file afresh; neither read nor write the cache.")
    var noCache = false

    func validate() throws {
        if noCache && cacheDirectory != nil { throw ValidationError("give either --cache-dir or --no-cache, not both") }
    }

    /// nil with --no-cache.
    var cache: ReferenceCache? {
        noCache ? nil : ReferenceCache(directory: cacheDirectory ?? ReferenceCache.defaultDirectory())
    }
}

/// A word for a summary line: how the cache served one reference file.
func describe(_ outcome: ReferenceCache.Outcome?) -> String {
    switch outcome {
    case nil: "no cache"
    case .hit: "from cache"
    case .missing(let written): written ? "computed, cached" : "computed, not cached"
    case .replaced(_, let written): written ? "recomputed, cache replaced" : "recomputed, not cached"
    }
}
