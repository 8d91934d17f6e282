/// Why a generated string is not a valid molecule, in the groups a model developer acts on.
public enum InvalidReason: String, CaseIterable, Codable, Sendable {
    /// An empty line or a molecule without atoms.
    case empty
    /// The string is not SMILES: unclosed rings or branches, unknown symbols, bad bytes.
    case syntax
    /// An atom with more bonds than its valence allows.
    case valence
    /// Aromatic atoms that cannot be kekulized, or aromatic atoms outside rings.
    case aromaticity
    /// Anything else RDKit refused.
    case other

    /// Classifies RDKit's message for a failed parse or sanitization.
    public init(smiles: String, message: String) {
        let text = message.lowercased()
        if smiles.allSatisfy(\.isWhitespace) || text.contains("no atoms") {
            self = .empty
        } else if text.contains("valence") {
            self = .valence
        } else if text.contains("kekulize") || text.contains("aromatic") {
            self = .aromaticity
        } else if text.contains("parse") || text.contains("syntax") || text.contains("nul") || text.contains("utf") {
            self = .syntax
        } else {
            self = .other
        }
    }
}
