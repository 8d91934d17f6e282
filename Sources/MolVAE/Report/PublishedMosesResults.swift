/// Published MOSES benchmark rows (molecularsets/moses README, mean over 3 runs, models trained
/// on the full 1.58M-molecule MOSES train set on GPUs), shown beside a report for context.
public enum PublishedMosesResults {
    public static let columns = ["valid", "unique@1k", "unique@10k", "SNN/Test", "SNN/TestSF", "Frag/Test", "Frag/TestSF",
                                 "Scaf/Test", "Scaf/TestSF", "IntDiv", "IntDiv2", "Filters", "Novelty"]

    public static let rows: [(model: String, values: [String: Double])] = [
        ("MOSES VAE", ["valid": 0.9767, "unique@1k": 1.0, "unique@10k": 0.9984, "SNN/Test": 0.6257, "SNN/TestSF": 0.5783,
                       "Frag/Test": 0.9994, "Frag/TestSF": 0.9984, "Scaf/Test": 0.9386, "Scaf/TestSF": 0.0588,
                       "IntDiv": 0.8558, "IntDiv2": 0.8498, "Filters": 0.997, "Novelty": 0.6949]),
        ("MOSES CharRNN", ["valid": 0.9748, "unique@1k": 1.0, "unique@10k": 0.9994, "SNN/Test": 0.6015, "SNN/TestSF": 0.5649,
                           "Frag/Test": 0.9998, "Frag/TestSF": 0.9983, "Scaf/Test": 0.9242, "Scaf/TestSF": 0.1101,
                           "IntDiv": 0.8562, "IntDiv2": 0.8503, "Filters": 0.9943, "Novelty": 0.8419]),
    ]
}
