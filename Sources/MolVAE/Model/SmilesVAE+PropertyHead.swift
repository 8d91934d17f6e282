import Foundation

extension SmilesVAE {
    /// Saves the model together with a property head (tensors `property_head.*`) and its
    /// standardisation (metadata `molvae.property_head`), atomically.
    public func save(to path: String, vocabulary: [String], propertyHead: PropertyHead?,
                     standardisation: PropertyStandardisation?, metadata extra: [String: String] = [:]) throws {
        var meta = extra
        if propertyHead != nil, let standardisation { meta[PropertyStandardisation.metadataKey] = standardisation.jsonString() }
        try safeTensors(vocabulary: vocabulary, extraParameters: propertyHead?.parameters ?? [], metadata: meta).write(to: path)
    }

    /// The property head stored in a model file, if it has one.
    public static func propertyHead(in file: SafeTensors, latent: Int) throws -> (PropertyHead, PropertyStandardisation)? {
        guard let text = file.metadata[PropertyStandardisation.metadataKey] else { return nil }
        let standardisation: PropertyStandardisation
        do {
            standardisation = try JSONDecoder().decode(PropertyStandardisation.self, from: Data(text.utf8))
        } catch {
            throw ModelFileError.badConfiguration("\(PropertyStandardisation.metadataKey): \(error)")
        }
        guard standardisation.hidden > 0, !standardisation.names.isEmpty,
              standardisation.means.count == standardisation.names.count, standardisation.sds.count == standardisation.names.count else {
            throw ModelFileError.badConfiguration("\(PropertyStandardisation.metadataKey): inconsistent sizes")
        }
        // The head's outputs are un-standardised with these: a NaN or zero sd would poison every prediction.
        guard standardisation.means.allSatisfy(\.isFinite), standardisation.sds.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ModelFileError.badConfiguration("\(PropertyStandardisation.metadataKey): means and sds must be finite "
                                                  + "and sds positive (means \(standardisation.means), sds \(standardisation.sds))")
        }
        let head = PropertyHead(latent: latent, hidden: standardisation.hidden, outputs: standardisation.names.count)
        try file.load(into: head.parameters)
        return (head, standardisation)
    }

    /// Loads a model file and its property head (nil when the file has none).
    public static func loadWithPropertyHead(from path: String) throws
        -> (model: SmilesVAE, propertyHead: PropertyHead?, standardisation: PropertyStandardisation?, vocabulary: [String], metadata: [String: String]) {
        let file = try SafeTensors.read(from: path)
        let (model, vocabulary, metadata) = try load(file: file)
        let head = try propertyHead(in: file, latent: model.config.latent)
        return (model, head?.0, head?.1, vocabulary, metadata)
    }
}
