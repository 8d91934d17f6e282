extension QualityReport {
    /// A report against reference files read in full (no cache): reduces each to its
    /// statistics first, exactly as `ReferenceFile.load` does before caching them.
    public init(generated: EvaluatedSet, train: TrainingSet?, test: EvaluatedSet?, testScaffolds: EvaluatedSet?,
                fcd: [String: FCDValue] = [:], threads: Int, timings: [String: Double] = [:]) {
        self.init(generated: generated, train: train, test: test.map(ReferenceFile.init),
                  testScaffolds: testScaffolds.map(ReferenceFile.init), fcd: fcd, threads: threads, timings: timings)
    }
}
