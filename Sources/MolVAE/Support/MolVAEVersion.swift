/// The version written into reports and model files.
public enum MolVAEVersion {
    public static let current = "0.1.0"
}
