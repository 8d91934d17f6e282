import Foundation

/// A molecule a search starts from: what was given and where, its canonical form, where the
/// encoder puts it (q(z|x) = N(mu, exp(logvar))), and its RDKit properties.
public struct StartMolecule: Sendable {
    /// The SMILES as given.
    public let input: String
    /// Where it came from, for messages: "--from" or "file.smi:12".
    public let source: String
    /// RDKit's canonical SMILES (the form the model reads and the output's `start` column).
    public let canonical: String
    public let mu: [Float]
    public let logvar: [Float]
    public let properties: MolecularProperties

    /// Prepares every input (parse, canonicalise, tokenise, check the model's length limit,
    /// score with RDKit), then encodes the usable ones in batches. Results in input order, each
    /// the start or a message naming its source and the reason.
    public static func prepare(_ inputs: [(smiles: String, source: String)], model trained: TrainedModel,
                               chunkSize: Int = 256) -> [Result<StartMolecule, OptimizationError>] {
        struct Prepared { let canonical: String; let tokens: [Int32]; let properties: MolecularProperties }
        let vocabulary = trained.vocabulary, limit = trained.model.config.maxTokens
        let prepared: [Result<Prepared, OptimizationError>] = BatchScoring.parallelMap(inputs.count, threads: EngineThreads.count) { i in
            let (smiles, source) = inputs[i]
            func fail(_ why: String) -> Result<Prepared, OptimizationError> {
                .failure(OptimizationError("\(source): start molecule \"\(smiles.prefix(120))\" \(why)"))
            }
            let trimmed = smiles.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return fail("is empty") }
            if trimmed.utf8.count > BatchScoring.maximumSMILESLength { return fail("is too long to be a molecule the model knows") }
            let molecule: Molecule
            do { molecule = try Molecule(smiles: trimmed) } catch {
                return fail("is not a valid molecule: \((error as? MoleculeParseError)?.reason ?? "\(error)")")
            }
            let canonical = molecule.canonicalSMILES
            let tokens: [Int32]
            do { tokens = try vocabulary.encode(canonical) } catch {
                let token = (error as? Vocabulary.UnknownTokenError)?.token ?? "?"
                return fail("cannot be encoded by the model: its canonical SMILES \(canonical) has the token \"\(token)\", "
                            + "which is not in the model's vocabulary")
            }
            guard tokens.count <= limit else {
                return fail("cannot be encoded by the model: \(tokens.count) tokens, the model reads at most \(limit)")
            }
            let properties: MolecularProperties
            do { properties = try molecule.properties() } catch { return fail("cannot be scored by RDKit: \(error)") }
            return .success(Prepared(canonical: canonical, tokens: tokens, properties: properties))
        }
        let usable = prepared.enumerated().compactMap { i, r in (try? r.get()).map { (i, $0) } }
        let lat = trained.model.config.latent
        var results = prepared.map { $0.map { _ in Optional<StartMolecule>.none } }
        var start = 0
        while start < usable.count {
            let end = min(usable.count, start + chunkSize)
            let (mu, logvar) = trained.model.encode(TokenBatch(sequences: usable[start..<end].map(\.1.tokens)))
            for (k, (i, p)) in usable[start..<end].enumerated() {
                results[i] = .success(StartMolecule(input: inputs[i].smiles, source: inputs[i].source, canonical: p.canonical,
                                                    mu: Array(mu[(k * lat)..<((k + 1) * lat)]),
                                                    logvar: Array(logvar[(k * lat)..<((k + 1) * lat)]), properties: p.properties))
            }
            start = end
        }
        return results.map { $0.map { $0! } }
    }

    /// One start; throws the message when it cannot be used.
    public static func prepare(smiles: String, source: String = "--from", model: TrainedModel) throws(OptimizationError) -> StartMolecule {
        try prepare([(smiles, source)], model: model)[0].get()
    }
}
