import CMolShim

/// RDKit's own loggers write parse and sanitization complaints straight to standard error,
/// which would flood a command's output on bad input. The shim turns them off on first use;
/// this switch exists for debugging (and for the test that proves they are off).
public enum RDKitLogging {
    /// Turns RDKit's `rdApp.*` loggers on or off for the whole process.
    public static func setEnabled(_ enabled: Bool) {
        molshim_set_logging(enabled ? 1 : 0)
    }

    /// The linked RDKit version, e.g. "2022.09.3".
    public static var rdkitVersion: String { String(cString: molshim_rdkit_version()) }
}
