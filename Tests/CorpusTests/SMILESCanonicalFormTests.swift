import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// The form rules of the syntax mask (`SMILESSyntaxState+CanonicalForm`): what RDKit's canonical
/// SMILES always does, so a model trained on canonicalised molecules is kept to it.
@Suite struct SMILESCanonicalFormTests {
    // That RDKit's canonical SMILES of the bundled molecules follow the form, token by token and
    // within an exact step limit, is checked with the syntax rules on the same molecules
    // (`SMILESSyntaxStateTests.bundledMoleculesAreAllowedAtEveryStep`).

    /// Strings in the form, including the edges of each rule.
    @Test func stringsInTheFormAreAllowed() {
        let inForm = [
            "C12CCC1CC2",        // two rings on one atom take 1 and 2
            "C1CC12CCC2",        // the label closed on an atom is not reused there: 2
            "C1CCC1C1CC1",       // a label closed on an earlier atom is free again
            "C1CC(C1)C",         // a ring opened outside a branch may close inside it
            "CC(C1CC1)C",        // a ring opened in a branch closes in it
            "C.C", "c1ccc2ccccc2c1", "O=C(O)c1ccccc1",
        ]
        for smiles in inForm {
            let tokens = SMILESTokenizer.tokenize(smiles)
            #expect(firstForbidden(tokens, canonicalForm: true) == nil, "\(smiles)")
        }
    }

    /// Valid SMILES out of the form are refused at the token that breaks it (and only with the
    /// rules on: RDKit reads every one of them).
    @Test func stringsOutOfTheFormAreForbiddenWhereTheyBreakIt() {
        let outOfForm: [(String, Int)] = [
            ("C2CCC2", 1),        // 2 while 1 is free
            ("C0CC0", 1),         // 0 is never written
            ("C13CCC1CC3", 2),    // the second ring takes 2
            ("C1CC11CC1", 5),     // 1, just closed on this atom, reopened on it
            ("CC(C1)CC1", 5),     // `)` with a ring opened in the branch still open
            ("C(C.C)C", 3),       // a dot inside a branch
            ("C1.C1", 2),         // a dot with a ring open
        ]
        for (smiles, position) in outOfForm {
            let tokens = SMILESTokenizer.tokenize(smiles)
            #expect(firstForbidden(tokens, canonicalForm: true) == position, "\(smiles)")
            #expect(firstForbidden(tokens) == nil, "\(smiles) is valid SMILES")
            #expect(rdkitFailure(smiles) == nil, "\(smiles) should be valid in RDKit")
        }
    }

    /// The mask starts its sequences under the form and refuses an out-of-form label by its logit.
    @Test func maskKeepsTheFormThroughItsLogits() throws {
        let vocabulary = try Vocabulary(tokens: Vocabulary.specialTokenStrings + ["1", "2", "3", "C"])
        let mask = try #require(SMILESSyntaxMask(vocabulary: vocabulary, followsCanonicalForm: true))
        var state = mask.initialState
        #expect(state.followsCanonicalForm)
        mask.advance(&state, by: 7)     // C
        mask.advance(&state, by: 4)     // 1
        var logits = [Float](repeating: 1, count: mask.count)
        logits.withUnsafeMutableBufferPointer { mask.forbidDisallowed($0.baseAddress!, in: state) }
        // After `C1`: 1 would close on its own atom, 2 opens the second ring, 3 is out of form.
        let forbidden = -Float.infinity
        #expect(Array(logits[4...]) == [forbidden, 1, forbidden, 1])
        let plain = try #require(SMILESSyntaxMask(vocabulary: vocabulary))
        #expect(!plain.initialState.followsCanonicalForm)
    }
}
