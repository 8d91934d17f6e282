/// A molecule given on the command line (an interpolation endpoint, a neighbourhood's centre)
/// that the model cannot place in its latent space, naming which argument it was and why.
public struct UnencodableMoleculeError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What the molecule was for, as the user named it, e.g. "--from".
    public let role: String
    public let smiles: String
    public let failure: EncodingFailure

    public init(role: String, smiles: String, failure: EncodingFailure) {
        self.role = role
        self.smiles = smiles
        self.failure = failure
    }

    public var description: String { "\(role) \"\(smiles.prefix(120))\" cannot be encoded: \(failure)" }

    /// Encodes one molecule with `encoder`, or throws this error naming `role`. Also returns
    /// RDKit's profile of the molecule as the model sees it (canonical SMILES).
    static func encode(_ smiles: String, role: String, with encoder: LatentEncoder) throws(UnencodableMoleculeError)
        -> (encoded: EncodedMolecule, profile: MoleculeProfile) {
        let encoded: EncodedMolecule
        switch encoder.encode([smiles])[0] {
        case .success(let e): encoded = e
        case .failure(let f): throw UnencodableMoleculeError(role: role, smiles: smiles, failure: f)
        }
        do {
            return (encoded, try MoleculeProfile(smiles: encoded.molecule.canonical))
        } catch {
            throw UnencodableMoleculeError(role: role, smiles: smiles, failure: .invalidSMILES(reason: error.reason))
        }
    }
}
