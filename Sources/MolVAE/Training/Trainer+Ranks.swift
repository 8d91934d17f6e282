import Foundation

/// What data-parallel training adds to the trainer: one allreduce of every gradient per step,
/// and a check that the ranks still hold the same parameters.
extension Trainer {
    /// Packs every parameter's gradient into one buffer, sums it over the ranks in a single
    /// MPI_Allreduce (one call: latency is paid once per step), and unpacks the sums.
    func sumGradientsOverRanks() {
        let parameters = allParameters
        let buffer = gradientSums.reserve(parameters.scalarCount)
        var offset = 0
        for p in parameters { (buffer + offset).update(from: p.grad, count: p.count); offset += p.count }
        group.sum(buffer, count: offset)
        offset = 0
        for p in parameters { p.grad.update(from: buffer + offset, count: p.count); offset += p.count }
    }

    /// Bytes of gradient summed per step (Float32): what the allreduce moves.
    public var gradientBytesPerStep: Int { allParameters.scalarCount * MemoryLayout<Float>.size }

    /// SHA-256 of every parameter's values and Adam's moments, in parameter order.
    public func parameterDigest() -> String {
        var hasher = SHA256()
        for (k, p) in optimizer.parameters.enumerated() {
            hasher.update(UnsafeRawBufferPointer(start: p.value, count: p.count * 4))
            let (m, v) = optimizer.moments(of: k)
            hasher.update(UnsafeRawBufferPointer(start: m, count: p.count * 4))
            hasher.update(UnsafeRawBufferPointer(start: v, count: p.count * 4))
        }
        return hasher.hexDigest()
    }

    /// Every rank's digest against rank 0's; throws the same error on every rank when any
    /// differs (training on would silently average different models).
    func checkRanksHoldSameParameters() throws {
        guard group.isParallel else { return }
        let digests = group.allGather(Array(parameterDigest().utf8))
        let differing = digests.indices.filter { digests[$0] != digests[0] }
        if !differing.isEmpty { throw ParameterDivergenceError(step: state.step, ranks: differing) }
    }
}

extension TrainingDivergedError: CollectiveError {}
