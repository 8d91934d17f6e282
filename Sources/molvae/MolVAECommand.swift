import ArgumentParser
import MolVAE

@main
struct MolVAECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "molvae",
        abstract: "Learn a latent space of drug-like molecules from SMILES; generate, score and improve molecules.",
        subcommands: [PropsCommand.self, TokenizeCommand.self, VocabCommand.self, CorpusCommand.self, TrainCommand.self, SampleCommand.self,
                      EncodeCommand.self, DecodeCommand.self, ReconstructCommand.self,
                      InterpolateCommand.self, NeighborsCommand.self, ScoreCommand.self, LatentMapCommand.self, OptimizeCommand.self,
                      ReportCommand.self, FCDCommand.self, BenchCommand.self]
    )
}
