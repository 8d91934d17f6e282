import Foundation

extension ReferenceStatisticsStore {
    /// `statistics(forReferenceAt:...)` under mpirun. Rank 0 alone looks for a stored file (a
    /// damaged one is one error on every rank) and tells the others whether it found one; if not,
    /// every rank calls `canonicalSMILES`, which must return the same molecules on every rank,
    /// ChemNet runs over the ranks (`ChemNet.statistics(of:threads:prefix:group:)`) and rank 0
    /// keeps the result. Rank 0 gets the statistics (nil below two molecules), the other ranks
    /// nil; `path` and `sha256` matter on rank 0 only. Without MPI this is the plain call.
    public func statistics(forReferenceAt path: String, sha256: String, lookBeside: Bool = true, canonicalSMILES: () throws -> [String],
                           log: (String) -> Void = { _ in }, group: ProcessGroup) throws -> ChemNetStatistics? {
        guard group.usesMPI else {
            return try statistics(forReferenceAt: path, sha256: sha256, lookBeside: lookBeside, canonicalSMILES: canonicalSMILES, log: log)
        }
        let stored = try group.collectively {
            group.isRoot ? try storedStatistics(forReferenceAt: path, sha256: sha256, lookBeside: lookBeside, log: log) : nil
        }
        if group.broadcast(stored != nil) { return stored }
        let started = ContinuousClock.now
        let smiles = try canonicalSMILES()
        guard let statistics = network.statistics(of: smiles, threads: threads, group: group)?.all else { return nil }
        log(String(format: "ChemNet statistics of %@: %d molecules in %.1f s (%d ranks)", path, smiles.count,
                   MolVAE.seconds(since: started), group.size))
        keep(statistics, sha256: sha256, log: log)
        return statistics
    }

    /// FCD/Test and FCD/TestSF as `mosesFCD(generated:references:...)` computes them, from the
    /// generated molecules' statistics (rank 0's; `generatedCount` on every rank), each
    /// reference's statistics found by rank 0 or computed over the ranks. The values on rank 0,
    /// nothing elsewhere; `sha256` matters on rank 0 only.
    public func mosesFCD(generatedStatistics: ChemNetStatistics?, generatedCount: Int,
                         references: [(suffix: String, path: String, sha256: String)],
                         log: (String) -> Void = { _ in }, group: ProcessGroup) throws -> [String: FCDValue] {
        var values: [String: FCDValue] = [:]
        for (suffix, path, sha256) in references {
            var referenceCount = 0
            let reference = try statistics(forReferenceAt: path, sha256: sha256, canonicalSMILES: {
                let smiles = try CanonicalMolecules.canonicalSMILES(path: path, threads: threads, group: group)
                referenceCount = smiles.count
                return smiles
            }, log: log, group: group)
            values[suffix] = FCDValue(generated: generatedStatistics, generatedCount: generatedCount,
                                      reference: reference, referenceCount: referenceCount)
        }
        return group.isRoot ? values : [:]
    }
}

extension CanonicalMolecules {
    /// `init(path:threads:)`'s `smiles`, each chunk's lines canonicalised over the ranks
    /// (interleaved); every rank gets all of them, in order. Without MPI: the plain reading.
    public static func canonicalSMILES(path: String, threads: Int, chunkSize: Int = 16384, group: ProcessGroup) throws -> [String] {
        guard group.usesMPI else { return try CanonicalMolecules(path: path, threads: threads, chunkSize: chunkSize).smiles }
        let reader = try group.collectively { try SMILESReader(path: path) }
        var smiles: [String] = []
        while true {
            let batch = try group.collectively { try reader.nextBatch(maxCount: chunkSize) }
            if batch.isEmpty { break }
            smiles += MoleculeCanonicaliser.canonical(batch.map(\.smiles), threads: threads, group: group).compactMap { $0 }
        }
        return smiles
    }
}

extension GuacaMolFCD {
    /// `init(generatedStatistics:...)` under mpirun: `training` is rank 0's (nil elsewhere); rank 0
    /// draws GuacaMol's reference lines and, unless their statistics are stored, sends them to
    /// every rank, which canonicalise and run ChemNet on their shares. The benchmark on rank 0,
    /// nil elsewhere. Without MPI this is the plain init.
    public static func measure(generatedStatistics: ChemNetStatistics?, generatedCount: Int, training: TrainingSet?,
                               samples: Int = GuacaMolKLDivergence.defaultSamples, seed: UInt32 = GuacaMolKLDivergence.defaultSeed,
                               store: ReferenceStatisticsStore, log: (String) -> Void = { _ in }, group: ProcessGroup) throws -> GuacaMolFCD? {
        guard group.usesMPI else {
            guard let training else { return nil }
            return try GuacaMolFCD(generatedStatistics: generatedStatistics, generatedCount: generatedCount, training: training.smiles,
                                   trainingSHA256: training.sha256, samples: samples, seed: seed, store: store, log: log)
        }
        let drawn = training.map { draw(from: $0.smiles, samples: samples, seed: seed) } ?? []
        let key = training.map { referenceKey(trainingSHA256: $0.sha256, samples: samples, seed: seed) } ?? ""
        var referenceCount = 0
        let reference = try store.statistics(forReferenceAt: referenceName(samples: samples, seed: seed), sha256: key,
                                             lookBeside: false, canonicalSMILES: {
            let canonical = MoleculeCanonicaliser.canonical(group.broadcast(drawn), threads: store.threads, group: group).compactMap { $0 }
            referenceCount = canonical.count
            return canonical
        }, log: log, group: group)
        guard group.isRoot else { return nil }
        return GuacaMolFCD(FCDValue(generated: generatedStatistics, generatedCount: generatedCount,
                                    reference: reference, referenceCount: referenceCount))
    }
}
