/// A walk through latent space between two molecules and what each point decodes to.
public struct Interpolation: Sendable {
    public struct Step: Sendable {
        /// Fraction of the way from `from` (0) to `to` (1).
        public let t: Double
        /// The latent point decoded.
        public let z: [Float]
        /// The decoded SMILES (canonical when valid; the raw decoding otherwise, possibly empty).
        public let smiles: String
        /// RDKit's view of the decoded molecule; nil when it is not a valid molecule.
        public let profile: MoleculeProfile?
        public let similarityFrom: Double?
        public let similarityTo: Double?
        public var valid: Bool { profile != nil }
    }

    /// The endpoints as given.
    public let from: String
    public let to: String
    public let method: InterpolationMethod
    public let steps: [Step]

    public static let csvHeader = "t,smiles,valid,sim_from,sim_to,logp,qed,sa"

    /// Assembles the steps from the decoded SMILES of each point; similarities are to the
    /// endpoints' own molecules (as given, not as decoded).
    public init(from: MoleculeProfile, fromSMILES: String, to: MoleculeProfile, toSMILES: String,
                method: InterpolationMethod, points: [(t: Double, z: [Float])], decoded: [String]) {
        precondition(points.count == decoded.count, "one decoded SMILES per point")
        self.from = fromSMILES
        self.to = toSMILES
        self.method = method
        steps = zip(points, decoded).map { point, smiles in
            let profile = smiles.isEmpty ? nil : try? MoleculeProfile(smiles: smiles)
            return Step(t: point.t, z: point.z, smiles: profile?.canonicalSMILES ?? smiles, profile: profile,
                        similarityFrom: profile.map { $0.similarity(to: from) }, similarityTo: profile.map { $0.similarity(to: to) })
        }
    }

    /// One CSV row per step (with the header), empty fields where the decoding is invalid.
    public var csv: String {
        var text = Self.csvHeader + "\n"
        for step in steps {
            var fields = [step.t.description, CSV.escape(step.smiles), step.valid ? "1" : "0"]
            fields.append(step.similarityFrom.map { $0.description } ?? "")
            fields.append(step.similarityTo.map { $0.description } ?? "")
            fields += step.profile?.propertyFields ?? ["", "", ""]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// Steps whose decoding is a valid molecule.
    public var validCount: Int { steps.filter(\.valid).count }
}
