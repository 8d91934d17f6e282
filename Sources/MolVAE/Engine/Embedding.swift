/// Rows of a table [count, dim] looked up by token id (torch.nn.Embedding).
public final class Embedding {
    public let count: Int
    public let dim: Int
    public let weight: Parameter
    public let output = FloatBuffer()

    public init(name: String, count: Int, dim: Int) {
        self.count = count
        self.dim = dim
        weight = Parameter(name: name + ".weight", shape: [count, dim])
    }

    public var parameters: [Parameter] { [weight] }

    public func initNormal(rng: inout CounterRNG) { weight.initNormal(std: 1, rng: &rng) }

    /// One-hot encoding written as an embedding: the identity table (count == dim).
    public func initIdentity() {
        precondition(count == dim)
        weight.fill(0)
        for i in 0..<count { weight.value[i * dim + i] = 1 }
    }

    @discardableResult
    public func forward(_ ids: UnsafePointer<Int32>, rows: Int) -> UnsafeMutablePointer<Float> {
        let y = output.reserve(rows * dim)
        for r in 0..<rows {
            let id = Int(ids[r])
            precondition(id >= 0 && id < count, "token id \(id) outside the vocabulary")
            (y + r * dim).update(from: weight.value + id * dim, count: dim)
        }
        return y
    }

    public func backward(_ ids: UnsafePointer<Int32>, _ dy: UnsafePointer<Float>, rows: Int) {
        for r in 0..<rows {
            let g = weight.grad + Int(ids[r]) * dim, d = dy + r * dim
            for j in 0..<dim { g[j] += d[j] }
        }
    }
}
