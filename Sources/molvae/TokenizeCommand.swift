import ArgumentParser
import Foundation
import MolVAE

/// `molvae tokenize`: shows how the tokenizer splits each SMILES, and with a vocabulary, which
/// tokens a model could not represent.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print each SMILES's tokens separated by single spaces, one line per record.",
        discussion: """
            Header and blank lines produce no output. With --vocab, tokens outside the \
            vocabulary are reported on stderr with their line numbers and the exit status is 1.
            """
    )

    @Argument(help: "Molecule file (.smi/.txt/.csv/.tsv, optionally gzip-compressed); '-' or nothing for stdin.")
    var input: String = "-"

    @Option(help: "A vocabulary JSON; report tokens that are not in it.")
    var vocab: String?

    func run() throws {
        let vocabulary = try vocab.map { try Vocabulary.load(path: $0) }
        let reader = try SMILESReader(path: input)
        var output = StandardOutputBuffer()
        var unknownLines = 0
        while let record = try reader.next() {
            output.write(SMILESTokenizer.spaceSeparatedTokens(record.smiles))
            output.write("\n")
            if let vocabulary, (try? vocabulary.encode(record.smiles)) == nil {
                let unknown = SMILESTokenizer.tokenize(record.smiles).filter { vocabulary.id(of: $0) == nil }
                if !unknown.isEmpty {
                    unknownLines += 1
                    let list = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
                    output.flush()
                    FileHandle.standardError.write(Data("tokenize: \(input == "-" ? "<stdin>" : input):\(record.lineNumber): unknown token\(unknown.count > 1 ? "s" : "") \(list)\n".utf8))
                }
            }
        }
        output.flush()
        if unknownLines > 0 {
            FileHandle.standardError.write(Data("tokenize: \(unknownLines) of \(reader.recordsRead) lines have tokens outside \(vocab ?? "")\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// Batches stdout writes: one `write(2)` per line is the bottleneck for million-line corpora.
private struct StandardOutputBuffer {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(STDOUT_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
