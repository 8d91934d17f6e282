import ArgumentParser
import MolVAE

@main
struct MolVAECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "molvae",
        abstract: "Learn a latent space of drug-like molecules from SMILES; generate, score and improve molecules.",
        version: "molvae \(MolVAEVersion.current)",
        subcommands: [PropsCommand.self, TokenizeCommand.self, VocabCommand.self, CorpusCommand.self, TrainCommand.self, AverageCommand.self, SampleCommand.self,
                      EncodeCommand.self, DecodeCommand.self, ReconstructCommand.self,
                      InterpolateCommand.self, NeighborsCommand.self, ScoreCommand.self, LatentMapCommand.self, OptimizeCommand.self,
                      ReportCommand.self, FCDCommand.self, BenchCommand.self, BenchmarkCommand.self]
    )

    /// Parses with negative numbers joined to their options (`--n -5` as `--n=-5`), so that a
    /// negative value reaches the option's own check ("--n must be at least 1") instead of
    /// being read as an unknown short option and reported as "Missing value".
    static func main() {
        let arguments = NegativeNumberArguments.joined(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
