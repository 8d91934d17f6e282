import ArgumentParser
import MolVAE

@main
struct MolVAECommand: ParsableCommand {
    /// Runs the command, on OpenBLAS's AVX-512 kernels where its CPU detection misses them
    /// (`BLASKernels`).
    static func main() {
        BLASKernels.preferAVX512KernelsByReexecuting()
        main(nil)
    }

    static let configuration = CommandConfiguration(
        commandName: "molvae",
        abstract: "Learn a latent space of drug-like molecules from SMILES; generate, score and improve molecules.",
        subcommands: [PropsCommand.self, TokenizeCommand.self, VocabCommand.self, CorpusCommand.self, TrainCommand.self, SampleCommand.self,
                      EncodeCommand.self, DecodeCommand.self, ReconstructCommand.self,
                      InterpolateCommand.self, NeighborsCommand.self, ScoreCommand.self, LatentMapCommand.self, OptimizeCommand.self,
                      ReportCommand.self, FCDCommand.self, BenchCommand.self]
    )
}
