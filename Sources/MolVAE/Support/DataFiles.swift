import Foundation

/// Finds the package's run-time data files (`Data/…`: the SA fragment table, MOSES filter
/// SMARTS). They are too large or too licence-specific to compile in, and a built binary may run
/// from the source tree, from `.build/`, or installed elsewhere, so several places are searched:
///
/// 1. the folder named by the `MOLVAE_DATA` environment variable;
/// 2. the package's `Data/` folder, found from this source file's compile-time path;
/// 3. `Data/` or `share/molvae/` next to the running executable or up to four folders above it.
public enum DataFiles {
    /// A data file was not in any searched folder.
    public struct MissingFileError: Error, CustomStringConvertible, Sendable {
        public let name: String
        public let searched: [String]
        public var description: String {
            "molvae data file \"\(name)\" not found; searched: \(searched.joined(separator: ", ")). "
                + "Set MOLVAE_DATA to the folder holding it (the package's Data/ folder)."
        }
    }

    /// The path of data file `name`, or an error listing every folder searched.
    public static func path(of name: String) throws(MissingFileError) -> String {
        let folders = candidateFolders()
        var isDirectory: ObjCBool = false
        for folder in folders {
            let path = (folder as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return path
            }
        }
        throw MissingFileError(name: name, searched: folders)
    }

    /// Folders searched, in order, without duplicates.
    public static func candidateFolders() -> [String] {
        var folders: [String] = []
        if let override = ProcessInfo.processInfo.environment["MOLVAE_DATA"], !override.isEmpty {
            folders.append(override)
        }
        // Sources/MolVAE/Support/DataFiles.swift -> package root
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        folders.append(packageRoot.appendingPathComponent("Data").path)
        if let executable = executablePath() {
            var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0...4 {
                folders.append(folder.appendingPathComponent("Data").path)
                folders.append(folder.appendingPathComponent("share/molvae").path)
                folder = folder.deletingLastPathComponent()
            }
        }
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    private static func executablePath() -> String? {
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return link
        }
        return Bundle.main.executablePath ?? CommandLine.arguments.first
    }
}
