import Foundation
import MolVAE

// The tokenizer and the syntax mask on arbitrary text. The invariants checked are the ones the
// decoders rely on: tokens join back to the input, tokenCount agrees with tokenize, and walking
// the mask over any token sequence never traps (indices, the fixed-size state's capacities).
private let vocabulary: Vocabulary = {
    let path = ProcessInfo.processInfo.environment["MOLVAE_FUZZ_VOCAB"] ?? "Vocab/moses.json"
    do { return try Vocabulary.load(path: path) } catch { fatalError("fuzz-tokenizer needs a vocabulary: \(error)") }
}()
private let mask = SMILESSyntaxMask(vocabulary: vocabulary)!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    let tokens = SMILESTokenizer.tokenize(text)
    precondition(SMILESTokenizer.detokenize(tokens) == text, "tokens do not join back to the input")
    precondition(SMILESTokenizer.tokenCount(text) == tokens.count, "tokenCount disagrees with tokenize")
    _ = SMILESTokenizer.spaceSeparatedTokens(text)

    // The grammar state alone, with the class of every token as written.
    var state = SMILESSyntaxState()
    for token in tokens {
        let kind = SMILESTokenClass(token: token)
        _ = state.allows(kind)
        _ = state.allows(kind, within: 8)
        _ = state.minimumTokensToFinish
        state.advance(kind)
    }
    _ = state.isComplete

    // The mask over the bundled vocabulary: the ids a decoder would write for this text (or
    // <unk> where a token is not in the vocabulary), with logits masked at every step.
    var maskState = SMILESSyntaxState()
    var logits = [Float](repeating: 0, count: mask.count)
    let ids = (try? vocabulary.encodeFramed(text)) ?? tokens.map { vocabulary.id(of: $0) ?? vocabulary.specialTokens.unk }
    for (step, id) in ids.enumerated() {
        let left = max(1, 64 - step)
        _ = mask.allows(id, in: maskState)
        _ = mask.allows(id, in: maskState, within: left)
        _ = mask.budget(in: maskState, steps: left)
        logits.withUnsafeMutableBufferPointer { mask.forbidDisallowed($0.baseAddress!, in: maskState, steps: left) }
        mask.advance(&maskState, by: id)
    }
    if let encoded = try? vocabulary.encode(text) {
        precondition((try? vocabulary.decode(encoded)) == text, "vocabulary decode(encode(s)) != s")
    }
    return 0
}
