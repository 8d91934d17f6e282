import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// Feeds `tokens` to a fresh state with the valence counts on: the position of the first token
/// the syntax rules or the counts forbid (`tokens.count` for a refused final `<eos>`), or nil.
func firstForbiddenByValence(_ tokens: [String]) -> Int? {
    var state = SMILESSyntaxState()
    for (i, token) in tokens.enumerated() {
        let kind = SMILESTokenClass(token: token), valence = SMILESTokenValence(token: token)
        guard state.allows(kind, valence) else { return i }
        state.advance(kind, valence: valence)
    }
    return state.allows(.end) ? nil : tokens.count
}

/// Why RDKit rejects `smiles`, nil when it accepts it.
func rdkitFailure(_ smiles: String) -> InvalidReason? {
    do {
        _ = try Molecule(smiles: smiles)
        return nil
    } catch {
        return InvalidReason(smiles: smiles, message: error.reason)
    }
}

@Suite struct SMILESTokenValenceTests {
    @Test func atomsCarryTheirLargestValenceLessHydrogensAndBondsTheirOrder() {
        let expected: [(String, UInt8, UInt8)] = [   // token, capacity, order
            ("C", 4, 1), ("c", 4, 1), ("N", 3, 1), ("n", 3, 1), ("O", 2, 1), ("o", 2, 1), ("S", 6, 1), ("s", 6, 1),
            ("P", 7, 1), ("F", 1, 1), ("Cl", 1, 1), ("Br", 1, 1), ("I", 5, 1), ("B", 3, 1),
            ("[H]", 1, 1), ("[2H]", 1, 1), ("[nH]", 2, 1), ("[C@@H]", 3, 1), ("[C@H]", 3, 1), ("[CH2]", 2, 1), ("[13CH4]", 0, 1),
            ("[N+]", 4, 1), ("[NH+]", 3, 1), ("[NH3+]", 1, 1), ("[n+]", 4, 1), ("[nH+]", 3, 1), ("[O-]", 3, 1), ("[O+]", 3, 1),
            ("[S@@]", 6, 1), ("[C@TH1H]", 3, 1), ("[Se]", 6, 1), ("[se]", 6, 1), ("[Cl-]", 2, 1),
            ("=", SMILESTokenValence.unlimited, 2), ("#", SMILESTokenValence.unlimited, 3), ("$", SMILESTokenValence.unlimited, 4),
            ("-", SMILESTokenValence.unlimited, 1), (":", SMILESTokenValence.unlimited, 1), ("/", SMILESTokenValence.unlimited, 1),
            // Outside the table: never limited.
            ("*", SMILESTokenValence.unlimited, 1), ("[Na+]", SMILESTokenValence.unlimited, 1), ("[Fe]", SMILESTokenValence.unlimited, 1),
            ("(", SMILESTokenValence.unlimited, 1), ("1", SMILESTokenValence.unlimited, 1),
        ]
        for (token, capacity, order) in expected {
            let valence = SMILESTokenValence(token: token)
            #expect(valence.capacity == capacity && valence.order == order, "\(token): \(valence)")
        }
    }
}

@Suite struct SMILESValenceMaskTests {
    // That the counts never refuse the training data is checked with the syntax rules, on the
    // same bundled molecules (`SMILESSyntaxStateTests.bundledMoleculesAreAllowedAtEveryStep`).

    /// Valid molecules at the edge of the counts: hypervalent S, P and I, charges, ring bonds
    /// with orders at one or both ends, exocyclic double bonds on aromatic atoms. Each is checked
    /// against RDKit too.
    @Test func validMoleculesAtTheLimitAreAllowed() {
        let valid = [
            "CS(=O)(=O)C", "OP(=O)(O)O", "FI(F)(F)(F)F", "C[N+](C)(C)C", "O=[N+]([O-])c1ccccc1", "[O-][n+]1ccccc1",
            "C=1CCCCC=1", "C1CCCCC=1", "C=1CCCCC1", "C1=CC=1", "C12(CC1)CC2", "C1CC11CC1", "FC(F)(F)F", "C#N", "N#N",
            "c1ccc2ccccc2c1", "O=c1cc[nH]cc1", "O=c1ccc(=O)[nH][nH]1", "[H]C([H])([H])[H]", "C[C@@H](N)C(=O)O",
            "c1ccc2c(c1)-c1ccccc1-2", "C1CC2(C1)CC2", "S1(=O)(=O)CC1", "C(C)(C)(C)C", "O=S1(=O)C=CC=C1",
        ]
        for smiles in valid {
            let forbidden = firstForbiddenByValence(SMILESTokenizer.tokenize(smiles))
            #expect(forbidden == nil, "\(smiles): token \(forbidden ?? -1) forbidden")
            #expect(rdkitFailure(smiles) == nil, "\(smiles) should be valid in RDKit")
        }
    }

    /// Too many bonds are refused at the token that adds the one too many, and RDKit agrees that
    /// those strings are valence errors.
    @Test func overfilledAtomsAreForbiddenWhereTheyHappen() {
        let invalid: [(String, Int)] = [
            ("CC(C)(C)(C)C", 11),      // a fifth bond on the second carbon
            ("CN(C)(C)C", 8),          // a fourth on nitrogen
            ("F=C", 1), ("FFF", 2), ("CO(C)C", 5), ("O=C=O=C", 5), ("C#C=C", 3),
            ("C1CC(F)(F)(F)1", 13),    // a ring closed on a saturated carbon
            ("C1CCC1(C)(C)C", 12),
            ("c1ccc(=O)(C)cc1", 12),   // an aromatic carbon with =O and a branch: five at least
        ]
        for (smiles, position) in invalid {
            let tokens = SMILESTokenizer.tokenize(smiles)
            #expect(firstForbiddenByValence(tokens) == position, "\(smiles): \(firstForbiddenByValence(tokens) ?? -1)")
            // The syntax rules alone allow them: only valence is wrong.
            #expect(firstForbidden(tokens) == nil, "\(smiles) is a syntax error")
            #expect(rdkitFailure(smiles) == .valence, "\(smiles): RDKit says \(String(describing: rdkitFailure(smiles)))")
        }
    }

    /// Up to `limit` tokens, `<eos>` included, drawn uniformly among those `forbidDisallowed`
    /// leaves, as the decoders draw (the valence counts give way to the syntax rules where they
    /// would leave nothing). nil when no `<eos>` came in time.
    static func walk(_ mask: SMILESSyntaxMask, vocabulary: Vocabulary, limit: Int, rng: inout CounterRNG) -> String? {
        var state = SMILESSyntaxState()
        var ids: [Int32] = []
        var logits = [Float](repeating: 0, count: mask.count)
        for step in 0..<limit {
            for i in logits.indices { logits[i] = 0 }
            logits.withUnsafeMutableBufferPointer { mask.forbidDisallowed($0.baseAddress!, in: state, steps: limit - step) }
            let choices = logits.indices.filter { logits[$0] == 0 }.map(Int32.init)
            let id = choices[Int(rng.nextUInt64() % UInt64(choices.count))]
            if id == TokenID.eos { return try? vocabulary.decode(ids) }
            mask.advance(&state, by: id)
            ids.append(id)
        }
        return nil
    }

    /// Walks that pick uniformly among the allowed tokens of the shipped vocabulary: with the
    /// valence counts far fewer of the strings that end are valence errors than without them
    /// (the control: 1,795 of about 2,000 there, 532 here); neither has syntax errors. Uniform
    /// walks open rings faster than they can close them, so they often reach the corners where
    /// the counts give way (a model's samples rarely do: docs/MODEL.md section 11).
    @Test func maskedWalksRarelyOverfillAnAtom() throws {
        let tokens = SyntaxMaskedRandomDecodingTests.vocabularies[0]
        let vocabulary = try Vocabulary(tokens: Vocabulary.specialTokenStrings + tokens)
        let syntax = try #require(SMILESSyntaxMask(vocabulary: vocabulary))
        let valence = try #require(SMILESSyntaxMask(vocabulary: vocabulary, checksValence: true))
        var counts: [Bool: (ended: Int, valence: Int, syntax: Int)] = [:]
        for checks in [false, true] {
            var rng = CounterRNG(seed: 11, stream: 0)
            var tally = (ended: 0, valence: 0, syntax: 0)
            for _ in 0..<2_000 {
                guard let smiles = Self.walk(checks ? valence : syntax, vocabulary: vocabulary, limit: 30, rng: &rng) else { continue }
                tally.ended += 1
                switch rdkitFailure(smiles) {
                case .valence: tally.valence += 1
                case .syntax: tally.syntax += 1
                default: break
                }
            }
            counts[checks] = tally
        }
        let off = try #require(counts[false]), on = try #require(counts[true])
        #expect(off.ended > 1_900 && on.ended > 1_900, "\(off) \(on)")
        #expect(off.syntax == 0 && on.syntax == 0, "\(off) \(on)")
        #expect(off.valence > 300, "the control: \(off)")
        #expect(on.valence * 3 < off.valence, "with the counts \(on.valence) valence errors, without \(off.valence)")
    }
}
