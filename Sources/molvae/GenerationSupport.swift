import ArgumentParser
import Foundation
import MolVAE

/// Options every generation command shares: which model, which random streams, how many threads,
/// where the CSV goes.
struct ModelOptions: ParsableArguments {
    @Option(help: "Model file (.safetensors from molvae train; default: the shipped Models/default.safetensors).")
    var model: String?

    @Option(help: "Seed of every random stream (same seed, same output, whatever --threads).")
    var seed: UInt64 = 0

    @Option(help: "Threads: the decoder's, OpenBLAS's and RDKit's together.")
    var threads: Int = defaultThreads

    @Option(name: .shortAndLong, help: "Output CSV, written atomically (default: standard output).")
    var out: String?

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    /// Sets the thread count and loads the model (a missing or foreign file is a clear error).
    func load() throws -> TrainedModel {
        EngineThreads.set(threads)
        return try TrainedModel.load(path: model)
    }
}

/// The switch every decoding command shares (sample, decode, reconstruct, interpolate, neighbors,
/// optimize): the SMILES syntax mask of `LatentDecoder`.
struct DecodingOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Keep every decoded string parsable by RDKit (on by default).",
        discussion: "At each decoding step the tokens that would make a SMILES syntax error (an unclosed ring or branch, "
            + "a misplaced bond, parenthesis or ring label, a ring bond from an atom to itself or duplicating a bond), or "
            + "leave the string unfinishable within the step limit, get probability 0 and the others are renormalised; "
            + "greedy and beam search choose among the allowed tokens. It never excludes a valid SMILES that fits the limit, "
            + "and cannot fix valence or aromaticity. --no-syntax-mask gives the raw model's output."))
    var syntaxMask = true

    @Flag(help: ArgumentHelp(
        "Also keep every atom within the valence RDKit permits (off by default; needs the syntax mask).",
        discussion: "A token that would give an atom more bonds than its element allows (a fifth bond on carbon, a "
            + "second on fluorine, a ring closed on a saturated atom) gets probability 0 too. The counts are "
            + "conservative (aromatic bonds count 1), so no valid SMILES is excluded; where they would exclude every "
            + "token, the syntax rules alone decide. It cannot see aromaticity: a ring that cannot be kekulised stays "
            + "possible. Measured on 30,000 samples of the default model before this one: validity 0.962 -> 0.968, but FCD/Test 0.136 -> "
            + "0.140, Filters 0.988 -> 0.986 and SNN 0.560 -> 0.559: the strings it saves are less like the data than "
            + "the rest, which is why it is off (docs/MODEL.md sections 11 and 18)."))
    var valenceMask = false

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Keep every decoded string in the form of RDKit's canonical SMILES (on by default, for a model trained on "
            + "canonicalised molecules; part of the syntax mask).",
        discussion: "molvae train canonicalises its data (unless --as-written), so the model has only seen strings where a "
            + "ring opens with the lowest free label and a branch closes the rings it opened. A token that breaks that form "
            + "(a decoder that has lost track of its rings) gets probability 0 and the others are renormalised. On the "
            + "default model: validity 0.9459 -> 0.9480 with FCD/Test (0.183) and the other MOSES columns unchanged (docs/MODEL.md section 14). Models trained "
            + "--as-written are decoded without it."))
    var canonicalForm = true

    func validate() throws {
        if valenceMask && !syntaxMask { throw ValidationError("--valence-mask needs the syntax mask: drop --no-syntax-mask") }
    }

    /// The switches as the library takes them.
    var masks: DecodingMasks { DecodingMasks(syntax: syntaxMask, valence: valenceMask, canonicalForm: canonicalForm) }

    /// For summary lines: the rules that decode `trained` (as its `LatentDecoder` applies them).
    func summary(for trained: TrainedModel) -> String {
        masks.inEffect(learnedCanonicalForm: trained.wasTrainedOnCanonicalSMILES).description
    }
}

/// A CSV destination: a file written atomically (renamed into place on `commit`), or standard
/// output, buffered either way.
final class CSVSink {
    private let writer: AtomicFileWriter?
    private var buffer = ""

    init(path: String?) throws {
        writer = try path.map { try AtomicFileWriter(path: $0) }
    }

    func write(_ text: String) throws {
        buffer += text
        if buffer.utf8.count >= 1 << 16 { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        if let writer { try writer.write(buffer) } else { FileHandle.standardOutput.write(Data(buffer.utf8)) }
        buffer = ""
    }

    func commit() throws {
        try flush()
        try writer?.commit()
    }
}

/// Writes to standard error.
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Progress of a long run on standard error: a line redrawn in place on a terminal (4 times a
/// second at most), a plain line every 30 s otherwise.
final class ProgressLine {
    let terminal = isatty(2) != 0
    let started = Date()
    private var last = Date()
    private var open = false
    /// Under mpirun, ranks other than 0 show nothing.
    let silent: Bool

    init(silent: Bool = false) { self.silent = silent }

    var elapsed: Double { Date().timeIntervalSince(started) }

    func update(_ text: @autoclosure () -> String) {
        guard !silent else { return }
        let now = Date()
        guard now.timeIntervalSince(last) >= (terminal ? 0.25 : 30) else { return }
        last = now
        if terminal {
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text())".utf8))
            open = true
        } else {
            note(text())
        }
    }

    func finish() {
        if open { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        open = false
    }
}

func fixed(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", x) }

/// A failure of a command's run (not of its arguments): ArgumentParser prints it and exits 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
