import Foundation

/// An input molecule made ready for the encoder: parsed and canonicalised by RDKit (the model was
/// trained on RDKit canonical SMILES, so a differently written input would look foreign to it),
/// tokenised, and checked against the model's vocabulary and length limit.
public struct PreparedMolecule: Sendable, Equatable {
    /// The SMILES as given.
    public let input: String
    /// RDKit's canonical isomeric SMILES of the input: what the model sees.
    public let canonical: String
    /// Token ids of `canonical`, without <bos>/<eos>.
    public let tokens: [Int32]

    /// Prepares `smiles` for a model with `vocabulary` that accepts at most `maxTokens` tokens.
    /// Runs on the calling thread (RDKit parsing is thread-safe per molecule).
    public static func prepare(_ smiles: String, vocabulary: Vocabulary, maxTokens: Int) -> Result<PreparedMolecule, EncodingFailure> {
        let trimmed = smiles.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .failure(.invalidSMILES(reason: "empty SMILES")) }
        if trimmed.utf8.contains(0) { return .failure(.unreadableInput(reason: "input contains a NUL byte")) }
        if trimmed.contains("\u{FFFD}") { return .failure(.unreadableInput(reason: "input is not valid UTF-8")) }
        // Each atom is at least one token of the canonical SMILES, so a string with more atoms than
        // the model has tokens can never fit: say so by counting, before RDKit spends seconds on it.
        let atoms = SMILESScreen.atomCount(trimmed)
        if atoms > maxTokens { return .failure(.tooManyAtoms(atoms: atoms, limit: maxTokens)) }
        if trimmed.utf8.count > BatchScoring.maximumSMILESLength {
            return .failure(.tooLong(tokens: SMILESTokenizer.tokenCount(trimmed), limit: maxTokens))
        }
        let canonical: String
        do {
            canonical = try Molecule(smiles: trimmed).canonicalSMILES
        } catch {
            return .failure(.invalidSMILES(reason: error.reason))
        }
        let tokens: [Int32]
        do {
            tokens = try vocabulary.encode(canonical)
        } catch {
            return .failure(.unknownToken(token: error.token, canonical: canonical))
        }
        guard tokens.count <= maxTokens else { return .failure(.tooLong(tokens: tokens.count, limit: maxTokens)) }
        return .success(PreparedMolecule(input: smiles, canonical: canonical, tokens: tokens))
    }
}
