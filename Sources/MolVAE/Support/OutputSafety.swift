import Foundation

/// A file a command reads or writes, with the option that named it (for messages).
public struct NamedPath: Sendable, Equatable {
    /// How the user named it: `--out`, `INPUT`, `--csv`.
    public let option: String
    public let path: String

    public init(_ option: String, _ path: String) {
        self.option = option
        self.path = path
    }
}

/// Why a command refuses to start: an output is one of its inputs, or two outputs are one file.
public struct PathClash: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Writing `output` would replace `input` (the atomic rename would destroy it).
        case outputIsInput
        /// Both outputs are one file, so one would silently replace the other.
        case sameOutput
    }

    public let kind: Kind
    public let first: NamedPath
    public let second: NamedPath

    public var description: String {
        switch kind {
        case .outputIsInput:
            return "\(second.option) \(second.path) is the same file as the input \(first.option) \(first.path): "
                + "writing it would destroy the input; choose another output path"
        case .sameOutput:
            return "\(first.option) \(first.path) and \(second.option) \(second.path) are the same file: "
                + "one output would replace the other; give each its own path"
        }
    }
}

/// Checks, before any work, that a command's outputs neither replace its inputs nor each other.
///
/// Why: every output is written to a temporary file and renamed into place, so `props x.smi
/// --out x.smi` used to finish by replacing its own input, and `latent-map --out a.csv --csv
/// a.csv` kept whichever was written last. Paths are compared as files, not as text: through
/// symbolic links, `..`, relative and absolute spellings, and hard links (same device and inode).
/// `-` (standard input or output) is never a file here.
public enum OutputSafety {
    /// Throws the first clash: an output that is an input, or two outputs that are one file.
    /// Nil paths (options not given) and `-` are ignored.
    public static func check(inputs: [NamedPath?], outputs: [NamedPath?]) throws(PathClash) {
        let inputs = inputs.compactMap { $0 }.filter { $0.path != "-" }
        let outputs = outputs.compactMap { $0 }.filter { $0.path != "-" }
        let inputFiles = inputs.map { FileIdentity($0.path) }
        let outputFiles = outputs.map { FileIdentity($0.path) }
        for (output, outputFile) in zip(outputs, outputFiles) {
            for (input, inputFile) in zip(inputs, inputFiles) where outputFile.isSameFile(as: inputFile) {
                throw PathClash(kind: .outputIsInput, first: input, second: output)
            }
        }
        for i in outputs.indices {
            for j in outputs.indices where j > i && outputFiles[i].isSameFile(as: outputFiles[j]) {
                throw PathClash(kind: .sameOutput, first: outputs[i], second: outputs[j])
            }
        }
    }
}

/// What makes two paths one file: the same device and inode when it exists, else the same
/// absolute path once the folder's symbolic links are resolved.
struct FileIdentity: Equatable {
    let inode: (device: UInt64, number: UInt64)?
    let resolvedPath: String

    init(_ path: String) {
        var info = stat()
        inode = stat(path, &info) == 0 ? (UInt64(info.st_dev), UInt64(info.st_ino)) : nil
        resolvedPath = Self.resolve(path)
    }

    func isSameFile(as other: FileIdentity) -> Bool {
        if let a = inode, let b = other.inode { return a == b }
        return resolvedPath == other.resolvedPath
    }

    static func == (a: FileIdentity, b: FileIdentity) -> Bool { a.isSameFile(as: b) }

    /// The absolute path with the symbolic links of its existing part resolved; a file that
    /// does not exist yet is resolved through its folder.
    private static func resolve(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardized.path
        if let real = realpath(absolute, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        let folder = (absolute as NSString).deletingLastPathComponent
        let name = (absolute as NSString).lastPathComponent
        guard folder != absolute else { return absolute }
        return (resolve(folder) as NSString).appendingPathComponent(name)
    }
}
