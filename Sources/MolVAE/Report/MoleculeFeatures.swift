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
    /// MOSES's filter rule; only computed for generated molecules (nil for references), since
    /// matching 501 SMARTS is the most expensive step and no metric needs it for a reference.
    public var passesFilters: Bool?
}

extension MoleculeFeatures {
    /// Computes every feature of one molecule through the chemistry layer.
    ///
    /// MOSES scores generated molecules after canonicalizing and re-parsing them, and
    /// reference molecules as given; following it keeps the values equal to MOSES's even where
    /// a re-parse changes aromaticity perception.
    public init(_ molecule: Molecule, role: EvaluatedSet.Role) throws {
        let canonical = molecule.canonicalSMILES
        let scored = role == .generated ? try Molecule(smiles: canonical) : molecule
        let properties = try scored.properties()
        self.init(canonicalSMILES: canonical,
                  morgan1024: try scored.morganFingerprint(radius: 2, bits: 1024).words,
                  fragments: try scored.bricsFragments(),
                  scaffold: try scored.mosesScaffold(minimumRings: 2),
                  logP: properties.logP,
                  sa: properties.syntheticAccessibility,
                  qed: properties.qed,
                  molecularWeight: properties.molecularWeight,
                  passesFilters: role == .generated ? try StructuralFilters.moses().mosesVerdict(for: scored).passes : nil)
    }
}
