/// Why one input molecule has no place in a model's latent space. Every input that cannot be
/// encoded gets one of these, so callers can list it with its line instead of dropping it.
public enum EncodingFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// RDKit rejected the SMILES (syntax, valence, aromaticity, empty); its own reason.
    case invalidSMILES(reason: String)
    /// The line's bytes cannot hold a SMILES at all (a NUL byte, invalid UTF-8).
    case unreadableInput(reason: String)
    /// The canonical SMILES has a token the model's vocabulary lacks.
    case unknownToken(token: String, canonical: String)
    /// The canonical SMILES has more tokens than the model was trained on.
    case tooLong(tokens: Int, limit: Int)
    /// The input has more atoms than the model has tokens, so its canonical SMILES cannot fit:
    /// found by counting, before RDKit spends time on it.
    case tooManyAtoms(atoms: Int, limit: Int)

    public var description: String {
        switch self {
        case .invalidSMILES(let reason): return "invalid SMILES: \(reason)"
        case .unreadableInput(let reason): return reason
        case let .unknownToken(token, canonical):
            return "unknown token \"\(token)\" (not in the model's vocabulary) in canonical SMILES \(canonical.prefix(120))"
        case let .tooLong(tokens, limit):
            return "too long: \(tokens) tokens, the model allows at most \(limit)"
        case let .tooManyAtoms(atoms, limit):
            return "too long: \(atoms) atoms, so at least \(atoms) tokens; the model allows at most \(limit)"
        }
    }

    /// A short machine-friendly name for tables and summaries.
    public var kind: String {
        switch self {
        case .invalidSMILES: return "invalid_smiles"
        case .unreadableInput: return "unreadable_input"
        case .unknownToken: return "unknown_token"
        case .tooLong, .tooManyAtoms: return "too_long"
        }
    }
}
