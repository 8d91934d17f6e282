extension GuacaMolProfile.Row: RankPayload {
    func write(to writer: inout BinaryWriter) {
        writer.f64s(descriptors.values)
        writer.u8(bits == nil ? 0 : 1)
        if let bits { writer.u64s(bits) }
    }

    init(from reader: inout BinaryReader) throws(CacheFileError) {
        let values = try reader.f64s("descriptors")
        guard values.count == GuacaMolDescriptors.names.count else { throw .corrupt("\(values.count) descriptors") }
        // Values that went through GuacaMolDescriptors.init once are finite, so it keeps them as they are.
        descriptors = GuacaMolDescriptors(values: values)
        bits = try reader.u8("fingerprint tag") == 1 ? try reader.u64s("fingerprint") : nil
    }
}

extension GuacaMolKLDivergence {
    /// `init(generatedCanonical:training:samples:seed:threads:)` with its RDKit work shared over
    /// the ranks of `group`: rank 0 picks GuacaMol's molecules (the first distinct generated ones,
    /// the seeded training draw) and sends them to every rank; the ranks canonicalise them without
    /// stereo in interleaved shares (all-gathered: every rank needs the distinct lists) and
    /// compute the descriptors and fingerprints of an interleaved share, which rank 0 gathers in
    /// order. Each molecule's values depend on it alone, so rank 0's benchmark is a single
    /// process's; the KDEs and the nearest-neighbour similarities then run on rank 0, on
    /// `rootThreads` (their results do not depend on it: sums per point, maxima). The arguments
    /// matter on rank 0 only; the other ranks get nil. Without MPI: the plain init.
    public static func measure(generatedCanonical: [String], training: [String], samples: Int = defaultSamples,
                               seed: UInt32 = defaultSeed, threads: Int, rootThreads: Int, group: ProcessGroup) -> GuacaMolKLDivergence? {
        guard group.usesMPI else {
            return GuacaMolKLDivergence(generatedCanonical: generatedCanonical, training: training, samples: samples, seed: seed,
                                        threads: threads)
        }
        func distinctForms(_ picked: [String]) -> [String] {
            let mine = group.interleavedShare(of: picked.count).map { picked[$0] }
            return GuacaMolSampling.distinct(group.allGatherInterleaved(GuacaMolSampling.flatForms(mine, threads: threads)))
        }
        func rows(_ smiles: [String]) -> [GuacaMolProfile.Row?]? {
            let mine = group.interleavedShare(of: smiles.count).map { smiles[$0] }
            return group.gatherInterleaved(GuacaMolProfile.rows(mine, threads: threads))
        }
        let root = group.isRoot
        let generated = distinctForms(group.broadcast(root ? GuacaMolSampling.firstDistinct(generatedCanonical, count: samples) : []))
        let reference = distinctForms(group.broadcast(root ? GuacaMolSampling.draw(training, count: samples, seed: seed) : []))
        // Both gathers before rank 0 works alone, so that no rank waits in one meanwhile.
        let generatedRows = rows(generated), referenceRows = rows(reference)
        guard let generatedRows, let referenceRows else { return nil }
        return GuacaMolKLDivergence(generated: GuacaMolProfile(rows: generatedRows, threads: rootThreads),
                                    reference: GuacaMolProfile(rows: referenceRows, threads: rootThreads),
                                    samples: samples, seed: seed, threads: rootThreads)
    }
}
