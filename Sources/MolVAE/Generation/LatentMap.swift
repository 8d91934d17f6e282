import Foundation

/// The property a latent map is coloured by (RDKit, computed from the canonical SMILES).
public enum MapProperty: String, Sendable, CaseIterable {
    case logp, qed, sa

    /// The label on the colour bar.
    public var displayName: String {
        switch self {
        case .logp: return "logP"
        case .qed: return "QED"
        case .sa: return "SA score"
        }
    }

    func value(of properties: MolecularProperties) -> Double {
        switch self {
        case .logp: return properties.logP
        case .qed: return properties.qed
        case .sa: return properties.syntheticAccessibility
        }
    }
}

/// Encoded molecules projected onto the first two principal components of their means.
public struct LatentMap: Sendable {
    public struct Entry: Sendable {
        /// Canonical SMILES (what the model encoded).
        public let smiles: String
        public let pc1: Double
        public let pc2: Double
        /// nil when RDKit could not compute the property.
        public let value: Double?
    }

    public let property: MapProperty
    public let entries: [Entry]
    public let components: PrincipalComponents

    /// Projects `molecules` (at least two) by PCA of their means and computes `property` for
    /// each on `threads` workers.
    public init(molecules: [EncodedMolecule], property: MapProperty, threads: Int = EngineThreads.count)
        throws(PrincipalComponents.InputError) {
        guard let d = molecules.first?.latent.dimension else {
            throw PrincipalComponents.InputError(description: "no molecule could be encoded, so there is nothing to map")
        }
        let means = molecules.flatMap(\.latent.mu)
        let pca = try PrincipalComponents(points: means, count: molecules.count, dimension: d, components: min(2, d))
        let coordinates = pca.project(points: means, count: molecules.count)
        let smiles = molecules.map(\.molecule.canonical)
        let values = BatchScoring.parallelMap(smiles.count, threads: threads) { i -> Double? in
            guard let properties = try? Molecule(smiles: smiles[i]).properties() else { return nil }
            return property.value(of: properties)
        }
        self.property = property
        components = pca
        entries = (0..<molecules.count).map { i in
            Entry(smiles: smiles[i], pc1: coordinates[i][0], pc2: coordinates[i].count > 1 ? coordinates[i][1] : 0, value: values[i])
        }
    }

    /// Fractions of the latent variance along PC1 and PC2.
    public var explained: (Double, Double) {
        let f = components.explainedFractions
        return (f[0], f.count > 1 ? f[1] : 0)
    }

    /// `smiles,pc1,pc2,<property>` (the last column named by the property: logp, qed or sa).
    public var csv: String {
        var text = "smiles,pc1,pc2,\(property.rawValue)\n"
        for e in entries {
            text += [CSV.escape(e.smiles), e.pc1.description, e.pc2.description, e.value.map { $0.description } ?? ""]
                .joined(separator: ",") + "\n"
        }
        return text
    }

    public func svg(title: String) -> String {
        LatentMapSVG(points: entries.map { .init(smiles: $0.smiles, x: $0.pc1, y: $0.pc2, value: $0.value) },
                     propertyName: property.displayName, explained: explained, title: title).render()
    }
}
