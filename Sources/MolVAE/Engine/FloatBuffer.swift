/// A grow-only, zero-initialised buffer of numbers. Layers keep their activations, caches and
/// token ids in these so that, once a step of the largest batch has run, later steps reuse the
/// memory and allocate nothing.
public final class NumericBuffer<Element: Numeric> {
    public private(set) var pointer: UnsafeMutablePointer<Element>
    public private(set) var capacity: Int

    public init(_ count: Int = 0) {
        capacity = max(count, 1)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: .zero, count: capacity)
    }

    deinit { pointer.deallocate() }

    /// Returns a pointer to at least `count` elements; contents are kept only if no growth happened.
    @discardableResult
    public func reserve(_ count: Int) -> UnsafeMutablePointer<Element> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: .zero, count: count)
        }
        return pointer
    }

    public func zero(_ count: Int) {
        reserve(count).update(repeating: .zero, count: count)
    }

    public func toArray(_ count: Int) -> [Element] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}

/// Float32 activations, gradients and caches.
public typealias FloatBuffer = NumericBuffer<Float>
/// Int32 token ids and targets.
public typealias IntBuffer = NumericBuffer<Int32>
