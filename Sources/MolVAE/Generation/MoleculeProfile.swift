/// What the generation commands report about a valid molecule: its canonical SMILES, its
/// Morgan fingerprint (radius 2, 2048 bits: the similarity columns) and RDKit's logP, QED and
/// SA score.
public struct MoleculeProfile: Sendable {
    public let canonicalSMILES: String
    public let fingerprint: MorganFingerprint
    /// nil when RDKit parsed the molecule but could not compute the property.
    public let logP: Double?
    public let qed: Double?
    public let sa: Double?

    /// Parses `smiles` with RDKit; throws the parse error (with RDKit's reason) when invalid.
    public init(smiles: String) throws(MoleculeParseError) {
        let molecule = try Molecule(smiles: smiles)
        try self.init(molecule: molecule)
    }

    public init(molecule: Molecule) throws(MoleculeParseError) {
        canonicalSMILES = molecule.canonicalSMILES
        do {
            fingerprint = try molecule.morganFingerprint(radius: 2, bits: 2048)
        } catch {
            throw MoleculeParseError(smiles: canonicalSMILES, reason: "no Morgan fingerprint: \(error)")
        }
        let properties = try? molecule.properties()
        logP = properties?.logP
        qed = properties?.qed
        sa = properties?.syntheticAccessibility
    }

    /// Tanimoto similarity of the two fingerprints.
    public func similarity(to other: MoleculeProfile) -> Double { fingerprint.tanimoto(other.fingerprint) }

    /// `logp,qed,sa` fields in Swift's shortest round-trip form (empty where unavailable).
    var propertyFields: [String] { [logP, qed, sa].map { $0.map { $0.description } ?? "" } }
}
