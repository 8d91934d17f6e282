import MolVAE

/// Whether RDKit (through the shim) rejects `smiles` with a syntax reason; valence, aromaticity
/// and other sanitisation failures are not syntax (the syntax mask does not judge chemistry).
public func failsRDKitSyntax(_ smiles: String) -> Bool {
    do {
        _ = try Molecule(smiles: smiles)
        return false
    } catch {
        return InvalidReason(smiles: smiles, message: error.reason) == .syntax
    }
}
