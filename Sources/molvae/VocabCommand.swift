import ArgumentParser
import MolVAE

/// `molvae vocab`: the vocabulary a model will be trained with, from a corpus file.
struct VocabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Build a SMILES token vocabulary (JSON) from a molecule file.",
        discussion: """
            Ids 0-3 are <pad>, <bos>, <eos>, <unk>; the corpus tokens follow in sorted order. \
            The file records the corpus path, its sha256 and each token's count.
            """
    )

    @Option(help: "Molecule file: .smi/.txt/.csv/.tsv, optionally gzip-compressed; '-' for stdin.")
    var data: String

    @Option(help: "Where to write the vocabulary JSON (written atomically).")
    var out: String

    func validate() throws {
        try refusePathClashes(inputs: [("--data", data)], outputs: [("--out", out)])
    }

    func run() throws {
        let vocabulary = try Vocabulary.build(fromCorpusAt: data)
        try vocabulary.write(to: out)
        let molecules = vocabulary.source?.molecules ?? 0
        print("vocab: \(vocabulary.count) tokens (\(Vocabulary.specialTokenStrings.count) special + "
              + "\(vocabulary.count - Vocabulary.specialTokenStrings.count) from \(molecules) molecules); wrote \(out)")
    }
}
