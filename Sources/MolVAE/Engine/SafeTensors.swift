import Foundation

/// Errors from reading a safetensors file. Every field is bounds-checked: a truncated, corrupt
/// or foreign file produces one of these, never a crash.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    case fileUnreadable(String)
    case truncated(String)
    case badHeader(String)
    case unsupportedDType(tensor: String, dtype: String)
    case badTensor(tensor: String, reason: String)
    case missingTensor(String)
    case shapeMismatch(tensor: String, expected: [Int], found: [Int])
    case badMetadata(String)
    /// A value that is NaN or infinite where only finite numbers make sense (weights, moments).
    case nonFinite(tensor: String, index: Int, value: Float, count: Int)

    public var description: String {
        switch self {
        case .fileUnreadable(let s): return "cannot read safetensors file: \(s)"
        case .truncated(let s): return "truncated safetensors file: \(s)"
        case .badHeader(let s): return "not a valid safetensors header: \(s)"
        case let .unsupportedDType(t, d): return "tensor \(t): unsupported dtype \(d) (only F32, F64, I32, I64 are read)"
        case let .badTensor(t, r): return "tensor \(t): \(r)"
        case .missingTensor(let t): return "tensor \(t) missing from the file"
        case let .shapeMismatch(t, e, f): return "tensor \(t): expected shape \(e), found \(f)"
        case .badMetadata(let s): return "bad __metadata__: \(s)"
        case let .nonFinite(t, index, value, count):
            return "tensor \(t): element \(index) of \(count) is \(value) (weights must be finite; the file is damaged or was "
                + "saved from a diverged run)"
        }
    }
}

/// A Float32 tensor by name.
public struct NamedTensor: Equatable, Sendable {
    public var shape: [Int]
    public var values: [Float]
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count)
        self.shape = shape
        self.values = values
    }
}

/// The safetensors format (huggingface/safetensors): 8-byte little-endian header length N,
/// N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}},
/// then the raw little-endian tensor bytes. We write F32; we read F32 (and convert F64/I32/I64,
/// which Python tools sometimes produce for inputs, to Float).
public struct SafeTensors: Sendable {
    public var tensors: [String: NamedTensor]
    public var metadata: [String: String]
    /// Names in file order (data offset order) for reading, insertion order for writing.
    public var order: [String]

    public init() {
        tensors = [:]
        metadata = [:]
        order = []
    }

    public mutating func add(_ name: String, shape: [Int], values: [Float]) {
        if tensors[name] == nil { order.append(name) }
        tensors[name] = NamedTensor(shape: shape, values: values)
    }

    public func tensor(_ name: String) throws -> NamedTensor {
        guard let t = tensors[name] else { throw SafeTensorsError.missingTensor(name) }
        return t
    }

    // MARK: writing

    public func encoded() throws -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for name in order {
            let t = tensors[name]!
            let bytes = t.values.count * 4
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the tensor data starts 8-byte aligned (as the reference writer does).
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        var n = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out.append(json)
        for name in order {
            let values = tensors[name]!.values
            values.withUnsafeBufferPointer { buf in
                // Float storage is little-endian on every platform Swift runs on here (x86-64, arm64).
                out.append(UnsafeBufferPointer(start: UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: UInt8.self), count: buf.count * 4))
            }
        }
        return out
    }

    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }

    // MARK: reading

    public static func read(from path: String) throws -> SafeTensors {
        let data: Data
        do { data = try FileBytes.read(path, options: [.mappedIfSafe]) }
        catch { throw SafeTensorsError.fileUnreadable("\(path): \(error.localizedDescription)") }
        return try decode(data)
    }

    public static func decode(_ data: Data) throws -> SafeTensors {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else { throw SafeTensorsError.truncated("\(bytes.count) bytes, need at least 8 for the header length") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= 100_000_000 else { throw SafeTensorsError.badHeader("header length \(n) is implausible") }
        guard n >= 2 else { throw SafeTensorsError.badHeader("header length \(n) too small") }
        guard UInt64(bytes.count - 8) >= n else { throw SafeTensorsError.truncated("header needs \(n) bytes, file has \(bytes.count - 8)") }
        let headerLength = Int(n)
        let headerData = Data(bytes[8..<(8 + headerLength)])
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: headerData, options: []) }
        catch { throw SafeTensorsError.badHeader("JSON does not parse") }
        guard let header = object as? [String: Any] else { throw SafeTensorsError.badHeader("JSON is not an object") }
        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart
        var result = SafeTensors()
        if let meta = header["__metadata__"] {
            guard let dict = meta as? [String: Any] else { throw SafeTensorsError.badMetadata("not an object") }
            for (k, v) in dict {
                guard let s = v as? String else { throw SafeTensorsError.badMetadata("value of \(k) is not a string") }
                result.metadata[k] = s
            }
        }
        var entries: [(name: String, begin: Int, end: Int, dtype: String, shape: [Int])] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any] else { throw SafeTensorsError.badTensor(tensor: name, reason: "entry is not an object") }
            guard let dtype = info["dtype"] as? String else { throw SafeTensorsError.badTensor(tensor: name, reason: "no dtype") }
            guard let shapeAny = info["shape"] as? [Any], let offsAny = info["data_offsets"] as? [Any], offsAny.count == 2 else {
                throw SafeTensorsError.badTensor(tensor: name, reason: "no shape or data_offsets")
            }
            var shape: [Int] = []
            var elements = 1
            for s in shapeAny {
                guard let d = integer(s), d >= 0, d <= Int(Int32.max) else { throw SafeTensorsError.badTensor(tensor: name, reason: "bad dimension") }
                let (p, overflow) = elements.multipliedReportingOverflow(by: d)
                guard !overflow, p <= Int(Int32.max) else { throw SafeTensorsError.badTensor(tensor: name, reason: "too many elements") }
                elements = p
                shape.append(d)
            }
            guard let begin = integer(offsAny[0]), let end = integer(offsAny[1]), begin >= 0, end >= begin, end <= dataSize else {
                throw SafeTensorsError.truncated("tensor \(name): data offsets outside the \(dataSize) data bytes")
            }
            let width: Int
            switch dtype {
            case "F32", "I32": width = 4
            case "F64", "I64": width = 8
            default: throw SafeTensorsError.unsupportedDType(tensor: name, dtype: dtype)
            }
            guard end - begin == elements * width else {
                throw SafeTensorsError.badTensor(tensor: name, reason: "\(end - begin) bytes for \(elements) elements of \(dtype)")
            }
            entries.append((name, begin, end, dtype, shape))
        }
        entries.sort { $0.begin < $1.begin }
        for e in entries {
            let count = (e.end - e.begin) / (e.dtype.hasSuffix("64") ? 8 : 4)
            var values = [Float](repeating: 0, count: count)
            bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress! + dataStart + e.begin
                for i in 0..<count {
                    switch e.dtype {
                    case "F32": values[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                    case "I32": values[i] = Float(Int32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
                    case "F64": values[i] = Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self))))
                    default: values[i] = Float(Int64(littleEndian: base.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
                    }
                }
            }
            result.tensors[e.name] = NamedTensor(shape: e.shape, values: values)
            result.order.append(e.name)
        }
        return result
    }

    private static func integer(_ v: Any) -> Int? {
        if let n = v as? NSNumber {
            let d = n.doubleValue
            guard d.rounded() == d, abs(d) < 9e15 else { return nil }
            return Int(d)
        }
        return nil
    }

    /// Copies tensors into parameters by name, checking shapes and that every value is finite:
    /// a NaN weight used to load silently and turn every latent and score into NaN downstream.
    public func load(into parameters: [Parameter]) throws {
        for p in parameters {
            let t = try finiteTensor(p.name)
            guard t.shape == p.shape else { throw SafeTensorsError.shapeMismatch(tensor: p.name, expected: p.shape, found: t.shape) }
            p.values = t.values
        }
    }

    /// The tensor `name`, or `nonFinite` naming the first NaN or infinite element.
    public func finiteTensor(_ name: String) throws -> NamedTensor {
        let t = try tensor(name)
        if let bad = t.values.firstIndex(where: { !$0.isFinite }) {
            throw SafeTensorsError.nonFinite(tensor: name, index: bad, value: t.values[bad], count: t.values.count)
        }
        return t
    }

    public static func from(parameters: [Parameter], metadata: [String: String] = [:]) -> SafeTensors {
        var s = SafeTensors()
        for p in parameters { s.add(p.name, shape: p.shape, values: p.values) }
        s.metadata = metadata
        return s
    }
}
