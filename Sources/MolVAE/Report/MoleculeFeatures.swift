/// What the MOSES metrics need to know about one valid molecule, computed once.
public struct MoleculeFeatures: Sendable {
    public var canonicalSMILES: String
    /// Morgan radius 2, 1024 bits, packed little-endian into 16 words (MOSES's `fingerprint`).
    public var morgan1024: [UInt64]
    /// BRICS fragments as MOSES's `fragmenter` writes them (canonical SMILES of each piece).
    public var fragments: [String]
    /// Bemis–Murcko scaffold SMILES, nil when empty or with fewer than two rings
    /// (MOSES's `compute_scaffold` with min_rings = 2).
    public var scaffold: String?
    public var logP: Double
    public var sa: Double
    public var qed: Double
    public var molecularWeight: Double
    public var passesFilters: Bool
}
