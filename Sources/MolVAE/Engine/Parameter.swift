/// A trainable tensor: values and gradient, both contiguous row-major Float32, shaped like the
/// corresponding PyTorch parameter so that weights can be exchanged by name.
public final class Parameter {
    public let name: String
    public let shape: [Int]
    public let count: Int
    public let value: UnsafeMutablePointer<Float>
    public let grad: UnsafeMutablePointer<Float>

    public init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
        count = shape.reduce(1, *)
        value = .allocate(capacity: max(count, 1))
        value.initialize(repeating: 0, count: max(count, 1))
        grad = .allocate(capacity: max(count, 1))
        grad.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        value.deallocate()
        grad.deallocate()
    }

    public var values: [Float] {
        get { Array(UnsafeBufferPointer(start: value, count: count)) }
        set {
            precondition(newValue.count == count, "\(name): \(newValue.count) values for \(count)")
            newValue.withUnsafeBufferPointer { value.update(from: $0.baseAddress!, count: count) }
        }
    }

    public var gradients: [Float] { Array(UnsafeBufferPointer(start: grad, count: count)) }

    public func zeroGrad() { grad.update(repeating: 0, count: count) }

    /// Uniform(-bound, bound) from the counter RNG: PyTorch's default for Linear/Conv/GRU
    /// uses bound = 1/sqrt(fan_in).
    public func initUniform(bound: Float, rng: inout CounterRNG) {
        for i in 0..<count { value[i] = (2 * rng.nextFloat() - 1) * bound }
    }

    public func initNormal(std: Float, rng: inout CounterRNG) {
        for i in 0..<count { value[i] = rng.nextNormal() * std }
    }

    public func fill(_ v: Float) { value.update(repeating: v, count: count) }
}

extension Array where Element == Parameter {
    public func zeroGrad() { for p in self { p.zeroGrad() } }
    public var scalarCount: Int { reduce(0) { $0 + $1.count } }
}
