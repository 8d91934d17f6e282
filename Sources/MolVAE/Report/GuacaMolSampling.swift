/// Which molecules GuacaMol's KL benchmark compares, as `KLDivBenchmark` picks them, with a
/// file of generated SMILES standing in for the model.
public enum GuacaMolSampling {
    /// The generated side. `sample_unique_molecules` keeps the first `count` distinct canonical
    /// (isomeric) valid molecules in generation order; `assess_model` then canonicalizes them
    /// without stereo and keeps the distinct ones. `canonical` is the file's valid molecules'
    /// canonical SMILES in file order, so a file replayed as the model gives the same molecules.
    /// (GuacaMol also stops after 2 · count draws; a file is what was drawn, so it is read to the
    /// end if needed: the two differ only when the first `count` distinct molecules need more
    /// than 2 · count lines.)
    public static func generated(canonical: [String], count: Int, threads: Int) -> [String] {
        flatDistinct(firstDistinct(canonical, count: count), threads: threads)
    }

    /// The first `count` distinct strings, in order.
    static func firstDistinct(_ canonical: [String], count: Int) -> [String] {
        var seen = Set<String>(), first: [String] = []
        for smiles in canonical where first.count < count && seen.insert(smiles).inserted {
            first.append(smiles)
        }
        return first
    }

    /// The reference side: `canonicalize_list(get_random_subset(training, count, seed=42),
    /// include_stereocenters=False)`, i.e. NumPy's seeded draw of `count` lines without
    /// replacement, canonicalized without stereo, invalid ones dropped, first occurrences kept.
    /// With fewer than `count` lines (where GuacaMol raises) every line is used, in file order.
    public static func reference(training: [String], count: Int, seed: UInt32, threads: Int) -> [String] {
        flatDistinct(draw(training, count: count, seed: seed), threads: threads)
    }

    /// NumPy's seeded draw of `count` lines without replacement (every line when fewer).
    static func draw(_ training: [String], count: Int, seed: UInt32) -> [String] {
        training.count >= count
            ? NumPyLegacyRandom.choiceWithoutReplacement(from: training.count, count: count, seed: seed).map { training[$0] }
            : training
    }

    /// `canonicalize(s, include_stereocenters=False)` of each string (nil when RDKit rejects it),
    /// then GuacaMol's `remove_duplicates`: the valid forms, first occurrence kept, in order.
    static func flatDistinct(_ smiles: [String], threads: Int) -> [String] {
        distinct(flatForms(smiles, threads: threads))
    }

    /// Each string's canonical SMILES without stereo, nil where RDKit rejects it.
    static func flatForms(_ smiles: [String], threads: Int) -> [String?] {
        var forms = [String?](repeating: nil, count: smiles.count)
        forms.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            parallelChunks(count: smiles.count, threads: threads, maxChunk: 256) { range in
                for i in range { base[i] = try? Molecule(smiles: smiles[i]).flatCanonicalSMILES }
            }
        }
        return forms
    }

    /// The valid forms, first occurrence kept, in order (GuacaMol's `remove_duplicates`).
    static func distinct(_ forms: [String?]) -> [String] {
        var seen = Set<String>(), distinct: [String] = []
        for case let form? in forms where seen.insert(form).inserted { distinct.append(form) }
        return distinct
    }
}
