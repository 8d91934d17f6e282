/// A grow-only, zero-initialised Float32 buffer. Layers keep their activations and caches in
/// these so that, once a step of the largest batch has run, later steps reuse the memory and
/// allocate nothing.
public final class FloatBuffer {
    public private(set) var pointer: UnsafeMutablePointer<Float>
    public private(set) var capacity: Int

    public init(_ count: Int = 0) {
        capacity = max(count, 1)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit { pointer.deallocate() }

    /// Returns a pointer to at least `count` floats; contents are kept only if no growth happened.
    @discardableResult
    public func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
        }
        return pointer
    }

    public func zero(_ count: Int) {
        reserve(count).update(repeating: 0, count: count)
    }

    public func toArray(_ count: Int) -> [Float] {
        Array(UnsafeBufferPointer(start: pointer, count: count))
    }
}

/// Same idea for Int32 token ids and targets.
public final class IntBuffer {
    public private(set) var pointer: UnsafeMutablePointer<Int32>
    public private(set) var capacity: Int

    public init(_ count: Int = 0) {
        capacity = max(count, 1)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit { pointer.deallocate() }

    @discardableResult
    public func reserve(_ count: Int) -> UnsafeMutablePointer<Int32> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
        }
        return pointer
    }
}
