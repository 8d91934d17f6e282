import CMolShim

/// Why a SMILES string is not a valid molecule.
public struct MoleculeParseError: Error, CustomStringConvertible, Sendable {
    public let smiles: String
    public let reason: String
    public var description: String { "invalid SMILES \"\(smiles.prefix(80))\": \(reason)" }
}

/// A molecule parsed and sanitized once by RDKit, scored many times.
///
/// The molecule is never changed after parsing, and the shim serialises the calls on one handle
/// (RDKit caches computed values on the molecule even in "const" calculations), so one
/// `Molecule` may be used from several threads. Properties, fingerprints, scaffolds, filters and
/// depictions are added in extensions, one file per idea.
public final class Molecule: @unchecked Sendable {
    let handle: OpaquePointer

    /// Parses and sanitizes `smiles`. Valid means RDKit parses and sanitizes it and it has at
    /// least one atom (the MOSES/GuacaMol rule). The whole string is the SMILES: a character
    /// SMILES never holds (whitespace, non-ASCII) or more atoms than `SMILESScreen.maximumAtoms`
    /// makes it invalid before RDKit sees it (``SMILESScreen``).
    public init(smiles: String) throws(MoleculeParseError) {
        if let rejection = SMILESScreen.rejection(of: smiles) {
            throw MoleculeParseError(smiles: smiles, reason: rejection.description)
        }
        var error: UnsafeMutablePointer<CChar>? = nil
        let parsed: OpaquePointer? = smiles.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.withMemoryRebound(to: CChar.self) { molshim_mol_from_smiles($0.baseAddress, $0.count, &error) }
        } ?? {
            var copy = smiles
            return copy.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { molshim_mol_from_smiles($0.baseAddress, $0.count, &error) }
            }
        }()
        guard let parsed else {
            let reason = error.map { String(cString: $0) } ?? "RDKit could not parse the SMILES"
            molshim_free_string(error)
            throw MoleculeParseError(smiles: smiles, reason: reason)
        }
        handle = parsed
    }

    deinit { molshim_mol_free(handle) }

    /// RDKit's canonical isomeric SMILES.
    public var canonicalSMILES: String { takeString(molshim_mol_to_smiles(handle, 1)) }

    /// Canonical SMILES without stereochemistry or isotopes.
    public var flatCanonicalSMILES: String { takeString(molshim_mol_to_smiles(handle, 0)) }
}

/// Copies and frees a string the shim allocated.
func takeString(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
    guard let pointer else { return "" }
    defer { molshim_free_string(pointer) }
    return String(cString: pointer)
}
