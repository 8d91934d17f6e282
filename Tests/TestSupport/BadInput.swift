import Foundation

/// Lines that must become invalid rows with a reason: no crash, no RDKit output.
public let badLines: [(bytes: [UInt8], reason: String)] = {
    var generator = SystemRandomNumberGenerator()
    let alphabet = Array("CNO()[]=#@123456789%cnos+-".utf8)
    let garbage = (0..<100_000).map { _ in alphabet.randomElement(using: &generator)! }
    let shortGarbage = (0..<15_000).map { _ in alphabet.randomElement(using: &generator)! }
    return [
        (Array("".utf8), "empty"),
        (Array("   \t ".utf8), "empty"),
        (garbage, "longer than"),
        (shortGarbage, ""),
        (Array("CC".utf8) + [0] + Array("O".utf8), "NUL"),
        (Array("C".utf8) + [0xFF, 0xFE] + Array("C".utf8), "UTF-8"),
        (Array("C1CC".utf8), "could not parse the SMILES: unclosed ring"),
        (Array("CC(C".utf8), "could not parse the SMILES: extra open parentheses"),
        (Array("CC)C".utf8), "could not parse the SMILES: extra close parentheses"),
        (Array("C11".utf8), "could not parse the SMILES: duplicated ring closure 1 bonds atom 0 to itself"),
        (Array("C(C)(C)(C)(C)C".utf8), "valence"),
        (Array("c1cccc1".utf8), "kekulize"),
        (Array("[Zz]".utf8), "could not parse the SMILES: syntax error"),
    ]
}()

/// True when `text` holds a line RDKit's logger would print: "[HH:MM:SS] message", or one of
/// its parse/sanitization messages.
public func containsRDKitNoise(_ text: String) -> Bool {
    if text.range(of: #"\[\d\d:\d\d:\d\d\] "#, options: .regularExpression) != nil { return true }
    return ["SMILES Parse Error", "Explicit valence", "Can't kekulize", "unclosed ring"].contains { text.contains($0) }
}
