import Foundation

/// A molecule a search starts from: what was given and where, where the encoder puts it
/// (q(z|x) = N(mu, exp(logvar))), and its RDKit properties.
public struct StartMolecule: Sendable {
    /// The SMILES as given.
    public let input: String
    /// Where it came from, for messages: "--from" or "file.smi:12".
    public let source: String
    /// RDKit's canonical SMILES (the form the model reads and the output's `start` column).
    public let canonical: String
    public let latent: LatentGaussian
    public let properties: MolecularProperties

    public var mu: [Float] { latent.mu }

    /// Encodes every input with the generation core's `LatentEncoder` (canonicalise, tokenise,
    /// check the model's length limit) and scores it with RDKit. Results in input order, each
    /// the start or a message naming its source and the reason.
    public static func prepare(_ inputs: [(smiles: String, source: String)],
                               model: TrainedModel) -> [Result<StartMolecule, OptimizationError>] {
        let encoded = LatentEncoder(model).encode(inputs.map(\.smiles))
        return zip(inputs, encoded).map { input, outcome in
            func fail(_ why: String) -> Result<StartMolecule, OptimizationError> {
                .failure(OptimizationError("\(input.source): start molecule \"\(input.smiles.prefix(120))\" \(why)"))
            }
            let e: EncodedMolecule
            switch outcome {
            case .success(let ok): e = ok
            case .failure(.invalidSMILES(let reason)): return fail("is not a valid molecule: \(reason)")
            case .failure(.unreadableInput(let reason)): return fail("is not readable: \(reason)")
            case .failure(let other): return fail("cannot be encoded by the model: \(other)")
            }
            guard let molecule = try? Molecule(smiles: e.molecule.canonical) else { return fail("is not a valid molecule") }
            let properties: MolecularProperties
            do { properties = try molecule.properties() } catch { return fail("cannot be scored by RDKit: \(error)") }
            return .success(StartMolecule(input: input.smiles, source: input.source, canonical: e.molecule.canonical,
                                          latent: e.latent, properties: properties))
        }
    }

    /// One start; throws the message when it cannot be used.
    public static func prepare(smiles: String, source: String = "--from", model: TrainedModel) throws(OptimizationError) -> StartMolecule {
        try prepare([(smiles, source)], model: model)[0].get()
    }
}
