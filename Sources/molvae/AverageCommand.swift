import ArgumentParser
import Foundation
import MolVAE

struct AverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "average",
        abstract: "Average the weights of several model files of one training run (checkpoint averaging).",
        discussion: """
        Writes the uniform average of every weight of the given model files, as fairseq's \
        average_checkpoints.py does. The files must be one model at different points of one \
        run: the same configuration, vocabulary, property head and training data (its \
        data-preparation record); anything else is refused, naming the file. Training \
        checkpoints (checkpoint.safetensors, with optimiser state) are refused too: average the \
        model files a run writes. The output keeps the last file's metadata and lists the \
        averaged files (molvae.averaged_from); it is written atomically.

        To keep model files along a run, stop and resume it on its own schedule (the cosine \
        curve is saved in the checkpoint, so a run stopped and resumed at every 1,000 steps \
        walks the same curve as one that was not):
          for s in 58000 59000 60000; do
            molvae train --data train.smi --out run --resume --max-steps $s &&
              cp run/last.safetensors run/step-$s.safetensors
          done
          molvae average run/step-58000.safetensors run/step-59000.safetensors \\
            run/step-60000.safetensors --out averaged.safetensors
        """
    )

    @Argument(help: "Model files to average (at least two).")
    var models: [String] = []

    @Option(name: .long, help: "Where to write the averaged model file.")
    var out: String

    func validate() throws {
        guard models.count >= 2 else { throw ValidationError("give at least two model files to average (got \(models.count))") }
        if let repeated = Dictionary(grouping: models, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ValidationError("\(repeated) is given twice; a weighted average is not what this command does")
        }
        try refusePathClashes(inputs: models.map { ("MODEL", $0) }, outputs: [("--out", out)])
    }

    func run() throws {
        let average: ModelAverage
        do { average = try ModelAverage(of: models) } catch let error as ModelAverage.Mismatch {
            throw CommandFailure(error.description)
        }
        try average.save(to: out)
        FileHandle.standardError.write(Data("average: \(out): the mean of \(models.count) model files' weights\n".utf8))
    }
}
