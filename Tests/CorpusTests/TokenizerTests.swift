import Testing
@testable import MolVAE

@Suite struct TokenizerTests {
    @Test(arguments: [
        // bracket atoms of every form: aromatic with H, chirality, charges, H counts, isotopes
        ("c1cc[nH]c1", ["c", "1", "c", "c", "[nH]", "c", "1"]),
        ("N[C@@H](C)C(=O)O", ["N", "[C@@H]", "(", "C", ")", "C", "(", "=", "O", ")", "O"]),
        ("C[C@H](O)F", ["C", "[C@H]", "(", "O", ")", "F"]),
        ("C[N+](C)(C)C", ["C", "[N+]", "(", "C", ")", "(", "C", ")", "C"]),
        ("CC(=O)[O-]", ["C", "C", "(", "=", "O", ")", "[O-]"]),
        ("[NH3+]CC([O-])=O", ["[NH3+]", "C", "C", "(", "[O-]", ")", "=", "O"]),
        ("[13CH4]", ["[13CH4]"]),
        ("[2H]C([2H])([2H])Cl", ["[2H]", "C", "(", "[2H]", ")", "(", "[2H]", ")", "Cl"]),
        ("[Fe+2]", ["[Fe+2]"]),
        ("[H]", ["[H]"]),
        // Cl and Br are one token; lone B, C and l are not merged with anything else
        ("ClCBr", ["Cl", "C", "Br"]),
        ("BrB(Cl)C", ["Br", "B", "(", "Cl", ")", "C"]),
        ("CCl", ["C", "Cl"]),
        ("Bc1ccccc1", ["B", "c", "1", "c", "c", "c", "c", "c", "1"]),
        // ring closures: single digits are single tokens, %nn is one token
        ("C%10CCCCC%10", ["C", "%10", "C", "C", "C", "C", "C", "%10"]),
        ("C%99C%99", ["C", "%99", "C", "%99"]),
        ("C1%12CC1%12", ["C", "1", "%12", "C", "C", "1", "%12"]),
        ("C%1C", ["C", "%", "1", "C"]),
        // double-bond stereo and other bonds
        ("F/C=C/F", ["F", "/", "C", "=", "C", "/", "F"]),
        ("F/C=C\\F", ["F", "/", "C", "=", "C", "\\", "F"]),
        ("C#N", ["C", "#", "N"]),
        // salts and mixtures
        ("[Na+].[Cl-]", ["[Na+]", ".", "[Cl-]"]),
        ("CC(=O)O.[NH4+]", ["C", "C", "(", "=", "O", ")", "O", ".", "[NH4+]"]),
        // malformed input still splits losslessly
        ("C[C@@H", ["C", "[", "C", "@", "@", "H"]),
        ("[]C", ["[", "]", "C"]),
        ("C[[nH]]", ["C", "[", "[nH]", "]"]),
        ("", []),
    ])
    func splitsIntoExpectedTokens(smiles: String, expected: [String]) {
        #expect(SMILESTokenizer.tokenize(smiles) == expected)
        #expect(SMILESTokenizer.tokenCount(smiles) == expected.count)
        #expect(SMILESTokenizer.spaceSeparatedTokens(smiles) == expected.joined(separator: " "))
        #expect(SMILESTokenizer.detokenize(SMILESTokenizer.tokenize(smiles)) == smiles)
    }

    @Test func nonASCIICharactersStayWhole() {
        let tokens = SMILESTokenizer.tokenize("Cé→[ü]\u{FFFD}")
        #expect(tokens == ["C", "é", "→", "[ü]", "\u{FFFD}"])
    }

    /// Random strings over the SMILES alphabet plus brackets and percent signs, built to hit
    /// unclosed and nested brackets and truncated `%n`.
    @Test func randomStringsRoundTrip() {
        let alphabet = Array("CNOclBrSF[]%0123456789@H+-=#()/\\.é ")
        var generator = SplitMix(seed: 2024)
        for _ in 0..<5000 {
            let length = Int(generator.next() % 24)
            let text = String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
            let tokens = SMILESTokenizer.tokenize(text)
            #expect(tokens.joined() == text)
            #expect(tokens.allSatisfy { !$0.isEmpty })
        }
    }

    /// Every line of every bundled corpus file survives tokenize → detokenize unchanged.
    @Test(arguments: TestPaths.bundledCorpora)
    func bundledCorpusRoundTrips(file: String) throws {
        let reader = try SMILESReader(path: TestPaths.bundledData(file))
        var lines = 0
        var failures: [String] = []
        while let record = try reader.next() {
            lines += 1
            if SMILESTokenizer.tokenize(record.smiles).joined() != record.smiles { failures.append(record.smiles) }
        }
        #expect(lines == (file.contains("train") ? 250_000 : 10_000))
        #expect(failures.isEmpty, "first failures: \(failures.prefix(5))")
    }
}

/// A tiny deterministic generator so random tests are reproducible.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
