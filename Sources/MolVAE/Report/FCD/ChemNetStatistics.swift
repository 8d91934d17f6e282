import CBLAS

/// The mean and covariance of a set's ChemNet features: what the Fréchet ChemNet Distance
/// compares (fcd_torch's `precalc`: `mean(0)` and `np.cov(activations.T)`, divisor N − 1).
public struct ChemNetStatistics: Sendable, Equatable {
    public let count: Int
    /// [512].
    public let mean: [Double]
    /// [512 × 512], row-major, symmetric.
    public let covariance: [Double]

    public var dimension: Int { mean.count }

    public init(count: Int, mean: [Double], covariance: [Double]) {
        precondition(covariance.count == mean.count * mean.count)
        self.count = count
        self.mean = mean
        self.covariance = covariance
    }
}

/// Accumulates feature rows into ChemNetStatistics without keeping them: sums of the rows and of
/// their outer products (BLAS dsyrk), both in Double and taken about a shift (the first block's
/// mean) so that the covariance does not lose digits to a large mean.
public struct ChemNetStatisticsAccumulator {
    public let dimension: Int
    public private(set) var count = 0
    private var shift: [Double]?
    private var sum: [Double]
    /// Upper triangle of Σ (x − shift)(x − shift)ᵀ, row-major.
    private var outer: [Double]
    private var block: [Double] = []

    public init(dimension: Int = ChemNet.featureCount) {
        self.dimension = dimension
        sum = [Double](repeating: 0, count: dimension)
        outer = [Double](repeating: 0, count: dimension * dimension)
    }

    /// Adds `rows` rows of `features` [rows, dimension].
    public mutating func add(_ features: [Float], rows: Int) {
        precondition(features.count == rows * dimension)
        guard rows > 0 else { return }
        let d = dimension
        if shift == nil {
            var mean = [Double](repeating: 0, count: d)
            for r in 0..<rows { for j in 0..<d { mean[j] += Double(features[r * d + j]) } }
            shift = mean.map { $0 / Double(rows) }
        }
        let shift = self.shift!
        block.removeAll(keepingCapacity: true)
        block.reserveCapacity(rows * d)
        for r in 0..<rows {
            for j in 0..<d {
                let v = Double(features[r * d + j]) - shift[j]
                block.append(v)
                sum[j] += v
            }
        }
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(d), Int32(rows), 1, block, Int32(d), 1, &outer, Int32(d))
        count += rows
    }

    /// The statistics, or nil below two rows (a covariance needs N − 1 > 0).
    public func statistics() -> ChemNetStatistics? {
        guard count >= 2, let shift else { return nil }
        let d = dimension, n = Double(count)
        let centredSum = sum.map { $0 / n }
        var covariance = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in i..<d {
                let value = (outer[i * d + j] - n * centredSum[i] * centredSum[j]) / (n - 1)
                covariance[i * d + j] = value
                covariance[j * d + i] = value
            }
        }
        return ChemNetStatistics(count: count, mean: zip(shift, centredSum).map { $0 + $1 }, covariance: covariance)
    }
}

extension ChemNet {
    /// Molecules per block: bounds memory to one block of features (about 16 MB).
    static let statisticsBlock = 8192

    /// The statistics of a set of SMILES (pass canonical SMILES), in blocks so that memory does
    /// not grow with the set; nil below two molecules. `progress` gets the molecules done.
    public func statistics(of smiles: [String], threads: Int) -> ChemNetStatistics? {
        statistics(of: smiles, threads: threads, prefix: 0).all
    }

    /// The statistics of all of `smiles` and, from the same features, of its first `prefix`
    /// (GuacaMol's FCD reads the first N valid molecules of a set MOSES's FCD reads whole).
    public func statistics(of smiles: [String], threads: Int, prefix: Int) -> (all: ChemNetStatistics?, prefix: ChemNetStatistics?) {
        accumulate(smiles, prefix: prefix) { activations($0, threads: threads) }!
    }

    /// The statistics of blocks of `statisticsBlock` molecules whose features `features` gives
    /// (nil on a rank that only helped compute them: then the result is nil too).
    func accumulate(_ smiles: [String], prefix: Int,
                    features: ([String]) -> [Float]?) -> (all: ChemNetStatistics?, prefix: ChemNetStatistics?)? {
        var all = ChemNetStatisticsAccumulator(), first = ChemNetStatisticsAccumulator()
        var start = 0, helper = false
        while start < smiles.count {
            let end = min(smiles.count, start + Self.statisticsBlock)
            defer { start = end }
            guard let features = features(Array(smiles[start..<end])) else { helper = true; continue }
            all.add(features, rows: end - start)
            if start < prefix {
                let rows = min(end, prefix) - start
                first.add(Array(features[0..<(rows * Self.featureCount)]), rows: rows)
            }
        }
        return helper ? nil : (all.statistics(), first.statistics())
    }
}
