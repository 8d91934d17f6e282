import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// Feeds `tokens` to a fresh syntax state: the position of the first token it forbids
/// (`tokens.count` when it is the final `<eos>`), or nil when every token and `<eos>` are allowed.
/// With `exactBudget` each token is also judged with exactly the steps the string still takes
/// (the token, those after it and `<eos>`), as if the decoder's step limit were this string's
/// length: the tightest limit under which it must still be allowed. With `canonicalForm` the
/// form rules apply too (`SMILESSyntaxState+CanonicalForm`).
func firstForbidden(_ tokens: [String], exactBudget: Bool = false, canonicalForm: Bool = false) -> Int? {
    var state = SMILESSyntaxState(followsCanonicalForm: canonicalForm)
    for (i, token) in tokens.enumerated() {
        let kind = SMILESTokenClass(token: token)
        let steps = exactBudget ? tokens.count + 1 - i : Int.max
        guard state.allows(kind, within: steps) else { return i }
        state.advance(kind)
    }
    return state.allows(.end, within: 1) ? nil : tokens.count
}

@Suite struct SMILESTokenClassTests {
    @Test func tokensAreClassedByWhatTheyAreToTheGrammar() {
        let expected: [(String, SMILESTokenClass)] = [
            ("C", .atom), ("Cl", .atom), ("Br", .atom), ("c", .atom), ("n", .atom), ("*", .atom), ("I", .atom),
            ("[nH]", .atom), ("[C@@H]", .atom), ("[NH3+]", .atom), ("[O-]", .atom), ("[13CH4]", .atom), ("[H]", .atom),
            ("-", .bond), ("=", .bond), ("#", .bond), ("$", .bond), (":", .bond), ("/", .bond), ("\\", .bond),
            ("(", .branchOpen), (")", .branchClose), (".", .dot),
            ("0", .ringLabel(0)), ("1", .ringLabel(1)), ("9", .ringLabel(9)), ("%10", .ringLabel(10)), ("%99", .ringLabel(99)),
            // RDKit 2022.09 rejects %00-%09; malformed pieces the tokenizer can produce are never valid.
            ("%05", .never), ("%", .never), ("[", .never), ("]", .never), ("[]", .never), ("l", .never), ("X", .never),
            ("<pad>", .never), ("<unk>", .never), ("", .never),
        ]
        for (token, kind) in expected { #expect(SMILESTokenClass(token: token) == kind, "\(token)") }
    }

    @Test func maskClassesSpecialTokensByTheirIDs() throws {
        let vocabulary = try Vocabulary(tokens: Vocabulary.specialTokenStrings + ["(", ")", "1", "=", "C"])
        let mask = try #require(SMILESSyntaxMask(vocabulary: vocabulary))
        #expect(mask.classes == [.never, .never, .end, .never, .branchOpen, .branchClose, .ringLabel(1), .bond, .atom])
        // A vocabulary without an atom has nothing to constrain.
        #expect(SMILESSyntaxMask(vocabulary: try Vocabulary(tokens: Vocabulary.specialTokenStrings + ["(", "1"])) == nil)
        // Forbidden tokens get −infinity, allowed ones keep their logits.
        var logits = [Float](repeating: 1, count: mask.count)
        var state = SMILESSyntaxState()
        mask.advance(&state, by: 8)     // C
        logits.withUnsafeMutableBufferPointer { mask.forbidDisallowed($0.baseAddress!, in: state) }
        let forbidden = Float.infinity * -1
        let expected: [Float] = [forbidden, forbidden, 1, forbidden, 1, forbidden, 1, 1, 1]
        #expect(logits == expected)
    }
}

@Suite struct SMILESSyntaxStateTests {
    /// Every RDKit-canonical molecule of the bundled sets (the first 2,000 of each) is allowed
    /// token by token, and `<eos>` after it, even with a step limit of exactly its length, and
    /// with the valence counts on: the mask never excludes the model's training data. RDKit
    /// 2022.09's canonical SMILES of each (what `molvae train` learns from) also passes the form
    /// rules (`SMILESSyntaxState+CanonicalForm`), within the same exact limit.
    @Test(arguments: ["moses-test-10k.smi.gz", "moses-train-250k.smi.gz"])
    func bundledMoleculesAreAllowedAtEveryStep(file: String) throws {
        let reader = try SMILESReader(path: TestPaths.bundledData(file))
        var checked = 0
        while checked < 2_000, let record = try reader.next() {
            let tokens = SMILESTokenizer.tokenize(record.smiles)
            let forbidden = firstForbidden(tokens), forbiddenInBudget = firstForbidden(tokens, exactBudget: true)
            let forbiddenByValence = firstForbiddenByValence(tokens)
            #expect(forbidden == nil, "\(file):\(record.lineNumber) \(record.smiles): token \(forbidden ?? -1) forbidden")
            #expect(forbiddenInBudget == nil, "\(file):\(record.lineNumber) \(record.smiles): token \(forbiddenInBudget ?? -1) over budget")
            #expect(forbiddenByValence == nil,
                    "\(file):\(record.lineNumber) \(record.smiles): token \(forbiddenByValence ?? -1) forbidden by valence")
            let canonical = try Molecule(smiles: record.smiles).canonicalSMILES
            let canonicalTokens = SMILESTokenizer.tokenize(canonical)
            let outOfForm = firstForbidden(canonicalTokens, canonicalForm: true)
            let outOfFormInBudget = firstForbidden(canonicalTokens, exactBudget: true, canonicalForm: true)
            #expect(outOfForm == nil, "\(file):\(record.lineNumber) \(canonical): token \(outOfForm ?? -1) out of form")
            #expect(outOfFormInBudget == nil, "\(file):\(record.lineNumber) \(canonical): token \(outOfFormInBudget ?? -1) out of form in budget")
            checked += 1
        }
        #expect(checked == 2_000)
    }

    /// Valid SMILES that canonical output rarely or never has; each is checked against RDKit too.
    @Test func handWrittenValidSMILESAreAllowed() {
        let valid = [
            "C1CCCCC1(C)", "C1CC(C1)C", "c1ccc2c(c1)CCC2", "C12(CCC1)CC2", "C1CC2CCC1C2",  // branches after ring labels
            "C%10CCCCC%10", "C%10CC%11CC%10CC%11", "C1CCC%11CC1CC%11", "C0CC0",            // %nn and 0 labels
            "C=1CCCCC=1", "C=1CCCCC1", "C1CCCCC=1", "C=1CCCCC-1", "C1=CC=1", "C=12CC1C2",   // bonds before ring labels
            "C[NH3+]", "C[N+](=O)[O-]", "[O-]C(=O)CC[NH3+]", "[2H]C([2H])([2H])Cl", "[Na+].[Cl-]",
            "F/C=C/F", "F/C=C\\F", "C/C=C/1CCCC1", "C(/F)=C/F",                              // stereo bonds
            "C(C)1CC1", "C(C)=1CC1", "C(C(C))C", "C(C.C)", "C(C).C", "C1.C1", "CC(C)",       // what RDKit also accepts
            "C#N", "C$C", "C:C", "*C", "C(C)(C)(C)C", "C(=O)(O)O", "c1ccccc1-c1ccccc1", "[H][H]",
        ]
        for smiles in valid {
            let tokens = SMILESTokenizer.tokenize(smiles)
            #expect(firstForbidden(tokens) == nil, "\(smiles): token \(firstForbidden(tokens) ?? -1) forbidden")
            #expect(firstForbidden(tokens, exactBudget: true) == nil, "\(smiles): over budget at \(firstForbidden(tokens, exactBudget: true) ?? -1)")
            #expect(!failsRDKitSyntax(smiles), "\(smiles) should parse in RDKit")
        }
    }

    /// Syntax errors are caught at the token that makes them (the position says which).
    @Test func syntaxErrorsAreForbiddenWhereTheyHappen() {
        let invalid: [(String, Int)] = [
            ("C1CC", 4), ("C(C", 3), ("C)C", 1), ("C(C))", 4), ("C()C", 2), ("C((C))", 2), ("=C", 0), ("(C)", 0),
            ("1CC1", 0), ("C=", 2), ("C=(C)", 2), ("C==C", 2), ("C(=1)CC1", 3), ("C.1CC1", 2), ("C..C", 2), ("C.", 2),
            ("C(.C)", 2), ("C11", 2), ("C1C1", 3), ("C12CC12", 6), ("C(C1)1", 5), ("C1(C)1", 5), ("C1(C)(C)C1", 9),
            ("C1(CCC12)2", 9), ("C%05CC%05", 1), ("C=.C", 2), ("C%11%12CC%11%12", 6),
        ]
        for (smiles, position) in invalid {
            #expect(firstForbidden(SMILESTokenizer.tokenize(smiles)) == position, "\(smiles)")
            #expect(failsRDKitSyntax(smiles), "\(smiles) should be a syntax error in RDKit")
        }
    }

    /// The mask and RDKit agree on every string of up to six tokens over an alphabet with atoms,
    /// a bond, branches, two ring labels and a dot (137,256 strings), and on longer random strings
    /// near the boundary: the mask accepts exactly the strings RDKit parses without a syntax
    /// error, so it neither excludes a valid SMILES nor lets an unparsable one through; with a
    /// step limit of exactly each string's length it still accepts every valid one.
    @Test func agreesWithRDKitOnEveryShortString() throws {
        let alphabet = ["C", "=", "(", ")", "1", "2", "."]
        var strings: [[String]] = [[]]
        var disagreements: [String] = []
        var compared = 0
        for _ in 1...6 {
            strings = strings.flatMap { prefix in alphabet.map { prefix + [$0] } }
            for tokens in strings {
                let smiles = tokens.joined()
                let parses = !failsRDKitSyntax(smiles)
                if (firstForbidden(tokens) == nil) != parses || (firstForbidden(tokens, exactBudget: true) == nil) != parses {
                    disagreements.append(smiles)
                }
                compared += 1
            }
        }
        #expect(compared == (1...6).reduce(0) { $0 + Int(pow(7.0, Double($1))) })
        // Longer strings, where branches and rings interact over more tokens: strings the mask
        // writes (walks among its allowed tokens) and each with one token replaced, inserted or
        // deleted, which puts many of them just across the line between valid and invalid.
        let vocabulary = try Vocabulary(tokens: Vocabulary.specialTokenStrings + alphabet)
        let mask = try #require(SMILESSyntaxMask(vocabulary: vocabulary))
        var rng = CounterRNG(seed: 7, stream: 1)
        var longValid = 0, longInvalid = 0
        for _ in 0..<10_000 {
            guard let walked = SyntaxMaskedRandomDecodingTests.walk(mask, vocabulary: vocabulary, masked: true, limit: 14, rng: &rng)
            else { continue }
            var tokens = SMILESTokenizer.tokenize(walked)
            let position = Int(rng.nextUInt64() % UInt64(tokens.count + 1))
            let token = alphabet[Int(rng.nextUInt64() % UInt64(alphabet.count))]
            switch rng.nextUInt64() % 3 {
            case 0 where position < tokens.count: tokens[position] = token
            case 1 where position < tokens.count && tokens.count > 1: tokens.remove(at: position)
            default: tokens.insert(token, at: position)
            }
            for candidate in [SMILESTokenizer.tokenize(walked), tokens] {
                let smiles = candidate.joined()
                let parses = !failsRDKitSyntax(smiles)
                if parses { longValid += 1 } else { longInvalid += 1 }
                if (firstForbidden(candidate) == nil) != parses || (firstForbidden(candidate, exactBudget: true) == nil) != parses {
                    disagreements.append(smiles)
                }
            }
        }
        #expect(longValid > 3_000 && longInvalid > 2_000, "valid \(longValid), invalid \(longInvalid)")
        #expect(disagreements.isEmpty, "mask and RDKit disagree on \(disagreements.count): \(disagreements.prefix(20))")
    }

    /// Deep nesting and many open rings go past the tracked identities; the mask must still
    /// allow what is valid there.
    @Test func limitsOnlyMakeTheMaskPermissive() {
        let deep = "C" + String(repeating: "(C", count: 40) + String(repeating: ")", count: 40) + "1CC1"
        #expect(firstForbidden(SMILESTokenizer.tokenize(deep)) == nil)
        #expect(!failsRDKitSyntax(deep))
        // Twenty rings open on one atom (past the 16 tracked), closed one by one further on.
        let labels = (10..<30).map { "%\($0)" }
        let spread = "C" + labels.joined() + "C" + labels.map { "C" + $0 }.joined()
        #expect(firstForbidden(SMILESTokenizer.tokenize(spread)) == nil)
        #expect(!failsRDKitSyntax(spread))
    }
}

/// Decoding under the mask, with a "model" that picks uniformly among the allowed tokens: every
/// string that ends parses in RDKit (valence and aromaticity failures are fine: the mask does
/// not judge chemistry), and the step limit makes nearly every walk end. The same walk without
/// the mask mostly writes syntax errors.
@Suite struct SyntaxMaskedRandomDecodingTests {
    /// The shipped vocabulary, and one with the rarer tokens (`%nn`, `.`, stereo bonds, charges).
    static let vocabularies: [[String]] = [
        ["#", "(", ")", "-", "1", "2", "3", "4", "5", "6", "=", "Br", "C", "Cl", "F", "N", "O", "S", "[H]", "[nH]", "c", "n", "o", "s"],
        ["(", ")", "1", "2", "%10", "%11", "=", "#", "/", "\\", ".", "C", "N", "O", "c", "[NH3+]", "[O-]", "[C@@H]"],
    ]

    /// Up to `limit` tokens, `<eos>` included, drawn uniformly: with the mask among the tokens it
    /// allows at each step (the syntax rules and the step limit, as the decoders apply it),
    /// without it among all regular tokens and `<eos>`. nil when no `<eos>` came in time.
    static func walk(_ mask: SMILESSyntaxMask, vocabulary: Vocabulary, masked: Bool, limit: Int = 60,
                     rng: inout CounterRNG) -> String? {
        var state = SMILESSyntaxState()
        var ids: [Int32] = []
        var choices: [Int32] = []
        for step in 0..<limit {
            let budget = mask.budget(in: state, steps: limit - step)
            choices.removeAll(keepingCapacity: true)
            for id in [TokenID.eos] + (TokenID.firstRegularID..<mask.count).map(Int32.init)
            where !masked || mask.allows(id, in: state, within: budget) {
                choices.append(id)
            }
            let id = choices[Int(rng.nextUInt64() % UInt64(choices.count))]
            if id == TokenID.eos { return try? vocabulary.decode(ids) }
            mask.advance(&state, by: id)
            ids.append(id)
        }
        return nil
    }

    @Test(arguments: 0..<2)
    func maskedWalksNeverWriteSyntaxErrors(vocabularyIndex: Int) throws {
        let vocabulary = try Vocabulary(tokens: Vocabulary.specialTokenStrings + Self.vocabularies[vocabularyIndex])
        let mask = try #require(SMILESSyntaxMask(vocabulary: vocabulary))
        var rng = CounterRNG(seed: 3, stream: UInt64(vocabularyIndex))
        var finished: [String] = []
        for _ in 0..<3_000 {
            if let smiles = Self.walk(mask, vocabulary: vocabulary, masked: true, rng: &rng) { finished.append(smiles) }
        }
        let syntaxFailures = finished.filter(failsRDKitSyntax)
        // The step limit makes (nearly) every walk end in time.
        #expect(finished.count > 2_950, "only \(finished.count) of 3,000 walks ended within 60 tokens")
        #expect(syntaxFailures.isEmpty, "\(syntaxFailures.count) syntax failures, e.g. \(syntaxFailures.prefix(5))")
        // Without the mask the same walk is mostly unparsable: the control for the test above.
        var unmasked: [String] = []
        for _ in 0..<3_000 {
            if let smiles = Self.walk(mask, vocabulary: vocabulary, masked: false, rng: &rng) { unmasked.append(smiles) }
        }
        let unmaskedFailures = unmasked.filter { $0.isEmpty || failsRDKitSyntax($0) }.count
        #expect(unmaskedFailures * 2 > unmasked.count, "only \(unmaskedFailures) of \(unmasked.count) unmasked walks failed")
    }
}
