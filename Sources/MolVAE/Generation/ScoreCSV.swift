/// The `molvae score` table: `smiles,neg_elbo,recon,kl,zscore,line,error`, one row per input
/// record in input order. A record that cannot be encoded keeps its row, with empty numbers
/// and the reason in `error`, so nothing is dropped silently.
public enum ScoreCSV {
    public static let header = "smiles,neg_elbo,recon,kl,zscore,line,error\n"

    /// The row (with its newline) for a scored record.
    public static func row(_ record: SMILESRecord, score: ELBOScorer.Score, zScore: Double) -> String {
        "\(smiles(record)),\(score.negativeELBO),\(score.recon),\(score.kl),\(zScore),\(record.lineNumber),\n"
    }

    /// The row (with its newline) for a record that could not be encoded.
    public static func row(_ record: SMILESRecord, failure: EncodingFailure) -> String {
        "\(smiles(record)),,,,,\(record.lineNumber),\(CSV.escape(failure.description.replacingNUL()))\n"
    }

    private static func smiles(_ record: SMILESRecord) -> String { CSV.escape(record.smiles.replacingNUL()) }
}
