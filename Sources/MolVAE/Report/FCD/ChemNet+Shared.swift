import Foundation

extension ChemNet {
    /// `activations(_:threads:)` over the ranks of `group`: of the set's chunks (`chunks(of:)`,
    /// the same on every rank) rank r runs chunks r, r + size, ..., and rank 0 gathers the
    /// features back into input order. Each chunk is the one a single process runs, so rank 0's
    /// features are a single process's bit for bit; the other ranks get nil. Every rank must
    /// pass the same `smiles`.
    public func activations(_ smiles: [String], threads: Int, group: ProcessGroup) -> [Float]? {
        guard group.usesMPI else { return activations(smiles, threads: threads) }
        let symbols = smiles.map(ChemNetInput.symbols)
        let chunks = Self.chunks(of: symbols)
        let mine = group.interleavedShare(of: chunks.count).map { chunks[$0] }
        var packed = [Float](repeating: 0, count: mine.reduce(0) { $0 + $1.count } * Self.featureCount)
        if !mine.isEmpty {
            packed.withUnsafeMutableBufferPointer { buffer in
                forward(chunks: mine, symbols: symbols, threads: threads, placement: .packed, into: buffer.baseAddress!)
            }
        }
        guard let pieces = group.gather(packed.withUnsafeBytes { Array($0) }) else { return nil }
        let rowBytes = Self.featureCount * MemoryLayout<Float>.size
        var out = [Float](repeating: 0, count: smiles.count * Self.featureCount)
        out.withUnsafeMutableBytes { target in
            for (rank, piece) in pieces.enumerated() {
                piece.withUnsafeBytes { source in
                    var row = 0
                    for c in stride(from: rank, to: chunks.count, by: group.size) {
                        for index in chunks[c] {
                            (target.baseAddress! + index * rowBytes).copyMemory(from: source.baseAddress! + row * rowBytes, byteCount: rowBytes)
                            row += 1
                        }
                    }
                    precondition(row * rowBytes == piece.count, "rank \(rank) sent \(piece.count) bytes of features for \(row) molecules")
                }
            }
        }
        return out
    }

    /// `statistics(of:threads:prefix:)` with each block's features computed over the ranks;
    /// rank 0 accumulates them in the single process's order, so its statistics are the same
    /// bit for bit. Nil on the other ranks. Every rank must pass the same `smiles`.
    public func statistics(of smiles: [String], threads: Int, prefix: Int = 0,
                           group: ProcessGroup) -> (all: ChemNetStatistics?, prefix: ChemNetStatistics?)? {
        guard group.usesMPI else { return statistics(of: smiles, threads: threads, prefix: prefix) }
        let result = accumulate(smiles, prefix: prefix) { activations($0, threads: threads, group: group) }
        return group.isRoot ? result : nil
    }
}
