import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// Rules for `train` (issue 18, parts 2, 5 and 6): it learns only valid molecules, in canonical
/// form, counting what it dropped and recording it in the model; its long RDKit passes report
/// progress and stop on a signal; a kill never leaves a run that cannot resume; and "epoch"
/// means one thing everywhere.
@Suite struct TrainingInputTests {
    /// Valid molecules written non-canonically, next to the kinds of lines a user's file holds:
    /// unclosed rings, prose, pentavalent carbon, foreign letters, a blank line.
    static let dirty = ["OCC", "C1=CC=CC=C1", "c1ccccc1O", "N#CC", "C(C)(C)O", "C1CC", "not a smiles at all", "C(C)(C)(C)(C)C",
                        "CéC", "C€O", "CC→O", "", "[Zz]", "c1cccc1", "Cl.Na"]
    static let expectedCanonical = ["CCO", "c1ccccc1", "Oc1ccccc1", "CC#N", "CC(C)O"]

    func write(_ lines: [String]) throws -> String {
        let path = Fixtures.temporaryDirectory() + "/dirty.smi"
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func onlyValidMoleculesAreLearntInCanonicalFormAndDropsAreCounted() throws {
        let path = try write(Self.dirty)
        let prepared = try TrainingFilePreparation.prepare(path: path, threads: 2, cacheStem: nil)
        #expect(prepared.records.map(\.smiles) == Self.expectedCanonical)
        #expect(prepared.records.map(\.lineNumber) == [1, 2, 3, 4, 5])
        let record = prepared.record
        #expect(record.recordsRead == 14)   // the blank line is not a record
        #expect(record.kept == 5)
        #expect(record.dropped == ["invalid": 9])
        #expect(record.invalidReasons.values.reduce(0, +) == 9)
        let sha256 = try SHA256.hexDigest(ofFileAt: path)
        #expect(record.canonicalized && record.sha256 == sha256)
        // The vocabulary built from what is learnt has none of the garbage's letters.
        let vocabulary = Vocabulary.build(fromSMILES: prepared.records.map(\.smiles), source: nil)
        for foreign in ["é", "€", "→", "t", "a", "Z", "z", " "] { #expect(!vocabulary.tokens.contains(foreign), "\(foreign)") }
        let sequences = try TrainingDataPreparation.sequences(of: prepared, vocabulary: vocabulary, maxLength: 120, skipUnknown: false)
        let decoded = try sequences.map { try vocabulary.decode($0) }
        #expect(decoded == Self.expectedCanonical)
    }

    @Test func aFileWithNoValidMoleculeIsAnErrorSayingWhy() throws {
        let path = try write(["C1CC", "CéC", "xyz"])
        let prepared = try TrainingFilePreparation.prepare(path: path, threads: 1, cacheStem: nil)
        let vocabulary = Vocabulary.build(fromSMILES: [], source: nil)
        let error = #expect(throws: TrainingDataError.self) {
            _ = try TrainingDataPreparation.sequences(of: prepared, vocabulary: vocabulary, maxLength: 120, skipUnknown: false)
        }
        #expect(error?.description.contains("0 of 3 molecules kept") == true, "\(String(describing: error))")
        #expect(error?.description.contains("dropped 3 invalid") == true)
    }

    /// `train --as-written`: the same molecules are dropped, the kept ones keep their text, and a
    /// cache made in the other mode is not used.
    @Test func asWrittenKeepsTheTextOfTheValidLines() throws {
        let path = try write(Self.dirty)
        let stem = Fixtures.temporaryDirectory() + "/prepared-data"
        let canonical = try TrainingFilePreparation.prepare(path: path, threads: 2, cacheStem: stem)
        let written = try TrainingFilePreparation.prepare(path: path, threads: 2, cacheStem: stem, canonicalize: false)
        #expect(!written.fromCache && !written.record.canonicalized)
        #expect(written.records.map(\.lineNumber) == canonical.records.map(\.lineNumber))
        let lines = Self.dirty
        #expect(written.records.map(\.smiles) == written.records.map { lines[$0.lineNumber - 1] })
        #expect(written.records.map(\.smiles) != canonical.records.map(\.smiles))
        #expect(written.record.dropped == canonical.record.dropped)
        #expect(written.record.description.contains("as written"))
        let again = try TrainingFilePreparation.prepare(path: path, threads: 2, cacheStem: stem, canonicalize: false)
        #expect(again.fromCache && again.records == written.records)
    }

    @Test func thePreparationIsCachedForItsFileOnly() throws {
        let path = try write(Self.dirty)
        let stem = Fixtures.temporaryDirectory() + "/prepared-data"
        let first = try TrainingFilePreparation.prepare(path: path, threads: 2, cacheStem: stem)
        let second = try TrainingFilePreparation.prepare(path: path, threads: 2, cacheStem: stem)
        #expect(!first.fromCache && second.fromCache)
        #expect(second.records == first.records && second.record == first.record)
        // Another file's content under the same stem is not trusted.
        try (Self.dirty + ["CCN"]).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let changed = try TrainingFilePreparation.prepare(path: path, threads: 2, cacheStem: stem)
        #expect(!changed.fromCache && changed.records.last?.smiles == "CCN")
    }

    @Test func longPassesReportProgressAndStopWhenAsked() throws {
        let path = try write(Array(repeating: "CCO", count: 50) + Self.dirty)
        var seen: [Int] = []
        _ = try TrainingFilePreparation.prepare(path: path, threads: 1, cacheStem: nil, chunkSize: 16, progress: { seen.append($0) })
        #expect(seen == [16, 32, 48, 64])
        var calls = 0
        #expect(throws: PreparationInterrupted.self) {
            _ = try TrainingFilePreparation.prepare(path: path, threads: 1, cacheStem: nil, chunkSize: 16,
                                                    shouldStop: { calls += 1; return calls > 2 })
        }
        let (vocabulary, data) = try Fixtures.data()
        var done: [Int] = []
        _ = try TrainingDataPreparation.properties(of: data.sequences, vocabulary: vocabulary, threads: 1, chunkSize: 25,
                                                   progress: { done.append($0) })
        #expect(done == [25, 50, 60])
        #expect(throws: PreparationInterrupted.self) {
            _ = try TrainingDataPreparation.properties(of: data.sequences, vocabulary: vocabulary, threads: 1, chunkSize: 25,
                                                       shouldStop: { !done.isEmpty })
        }
    }

    /// Whenever an output exists, checkpoint.safetensors exists and is at least as new: the
    /// checkpoint is written before best.safetensors and the metrics at every evaluation.
    @Test func theCheckpointIsWrittenBeforeAnyOtherOutput() throws {
        try withEngineThreads(1) {
            let (vocabulary, data) = try Fixtures.data()
            let dir = Fixtures.temporaryDirectory()
            var options = TrainerTests.options(steps: 9, batch: 8)
            options.evaluateEvery = 3
            options.evaluateEachEpoch = false
            let trainer = try Trainer(model: try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 2), vocabulary: vocabulary,
                                      train: Fixtures.subset(data, 0..<40), valid: Fixtures.subset(data, 40..<48), options: options,
                                      directory: dir)
            var checkpointStepAtFirstStep: Int?
            var checkpointStepsAtEvaluations: [Int] = []
            var bestExisted: [Bool] = []
            trainer.onStep = { report in
                if report.step == 1 { checkpointStepAtFirstStep = (try? Checkpoint.read(from: dir + "/checkpoint.safetensors"))?.state.step }
            }
            trainer.onEvaluation = { m in
                checkpointStepsAtEvaluations.append((try? Checkpoint.read(from: dir + "/checkpoint.safetensors"))?.state.step ?? -1)
                bestExisted.append(FileManager.default.fileExists(atPath: dir + "/best.safetensors"))
                #expect(m.step % 3 == 0)
            }
            try trainer.run()
            #expect(checkpointStepAtFirstStep == 0)   // written before the first step: resumable from the start
            #expect(checkpointStepsAtEvaluations == [3, 6, 9])
            #expect(bestExisted.allSatisfy { $0 })
            // A run killed right after an evaluation resumes from that evaluation's step.
            let checkpoint = try Checkpoint.read(from: dir + "/checkpoint.safetensors")
            #expect(checkpoint.state.step == 9)
        }
    }

    /// 40 molecules in batches of 8: 5 batches per epoch. Evaluations every 3 steps fall inside
    /// epochs 1, 2 and 3 and at the end of epoch 3 (step 15); each names the epoch its last step
    /// belonged to.
    @Test func epochsAreNumberedTheSameEverywhere() throws {
        try withEngineThreads(1) {
            var state = TrainingState()
            #expect(state.epochOfLastStep == 0)
            state.step = 3; state.epoch = 0; state.batchInEpoch = 3
            #expect(state.epochOfLastStep == 1)
            state.step = 5; state.epoch = 1; state.batchInEpoch = 0
            #expect(state.epochOfLastStep == 1)
            state.step = 6; state.epoch = 1; state.batchInEpoch = 1
            #expect(state.epochOfLastStep == 2)

            let (vocabulary, data) = try Fixtures.data()
            let dir = Fixtures.temporaryDirectory()
            var options = TrainerTests.options(steps: 15, batch: 8)
            options.evaluateEvery = 3
            let trainer = try Trainer(model: try SmilesVAE(config: Fixtures.tinyConfig(vocab: vocabulary.count), seed: 2), vocabulary: vocabulary,
                                      train: Fixtures.subset(data, 0..<40), valid: Fixtures.subset(data, 40..<48), options: options,
                                      directory: dir)
            try trainer.run()
            let rows = try String(contentsOfFile: dir + "/metrics.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                .map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(2).map { Int($0)! } }
            #expect(rows.map { $0[0] } == [3, 5, 6, 9, 10, 12, 15])
            #expect(rows.map { $0[1] } == [1, 1, 2, 2, 2, 3, 3])
            #expect(trainer.state.epochOfLastStep == 3)
        }
    }
}
