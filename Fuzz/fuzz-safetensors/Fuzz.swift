import Foundation
import MolVAE

// The model loader on arbitrary bytes: the safetensors header and offsets, then the model
// built from the file's metadata (config and vocabulary JSON) and its tensors checked and
// copied in, as `TrainedModel.load` does for every command that takes --model.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let data = Data(bytes: start, count: count)
    guard let file = try? SafeTensors.decode(data) else { return 0 }
    // What decodes must encode and decode to the same tensors (names, shapes, values).
    if let again = try? SafeTensors.decode(file.encoded()) {
        precondition(Set(again.tensors.keys) == Set(file.tensors.keys), "tensor names change on a round trip")
        for (name, tensor) in file.tensors {
            precondition(again.tensors[name]!.shape == tensor.shape, "shape of \(name) changes on a round trip")
        }
    }
    _ = try? SmilesVAE.load(file: file)
    return 0
}
