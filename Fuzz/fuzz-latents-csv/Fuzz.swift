import Foundation
import FuzzSupport
import MolVAE

// The latent table reader `molvae decode` uses, on arbitrary files. The first byte picks the
// dimension the model expects (1–8; the seeds are written for 5), the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLatentsCSV(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    let dimension = 1 + Int(bytes[0]) % 8
    let path = FuzzInput.file(UnsafeRawBufferPointer(rebasing: bytes[1...]), name: "latents.csv")
    guard let reader = try? LatentTableReader(path: path, dimension: dimension) else { return 0 }
    while let row = try? reader.next() {
        // A row that reads is exactly one finite value per latent dimension.
        precondition(row.values.count == dimension, "row has \(row.values.count) values, expected \(dimension)")
        precondition(row.values.allSatisfy(\.isFinite), "a non-finite latent value was read")
    }
    return 0
}
