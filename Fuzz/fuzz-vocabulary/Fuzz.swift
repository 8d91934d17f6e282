import Foundation
import FuzzSupport
import MolVAE

// The vocabulary JSON reader (`--vocab`, and the vocabulary embedded in a model), then what is
// built from a vocabulary that loads: the syntax mask, the JSON written back, and encoding and
// decoding of a few SMILES with it.
private let probes = ["CCO", "c1ccccc1", "C(=O)O", "[nH]1cccc1", "CCé", ""]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVocabulary(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let path = FuzzInput.file(UnsafeRawBufferPointer(start: start, count: count), name: "vocab.json")
    guard let vocabulary = try? Vocabulary.load(path: path) else { return 0 }
    if let mask = SMILESSyntaxMask(vocabulary: vocabulary) {
        var state = SMILESSyntaxState()
        for id in 0..<Int32(mask.count) where mask.allows(id, in: state) {
            mask.advance(&state, by: id)
        }
    }
    // Written back, a vocabulary reads as the same vocabulary.
    if let json = try? vocabulary.jsonString() {
        precondition((try? Vocabulary(jsonString: json)) == vocabulary, "vocabulary JSON does not round-trip")
    }
    for smiles in probes {
        if let ids = try? vocabulary.encodeFramed(smiles) { _ = try? vocabulary.decode(ids) }
    }
    for id in Int32(-1)...Int32(vocabulary.count) { _ = vocabulary.token(for: id) }
    return 0
}
