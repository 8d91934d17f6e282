import Foundation
import Testing
@testable import MolVAE
import MolVAETestSupport

/// Rule: a molecule given to encode, score or interpolate is the whole string; a character
/// RDKit would skip or stop at is a failure with its reason, never another molecule; and a
/// string that can never fit the model is refused by counting, before RDKit (issue 18, parts 1, 5).
@Suite struct ForeignInputTests {
    /// Memorised molecules with a foreign character inside: the string without it would encode.
    static func corrupted() -> [String] {
        let characters: [Character] = ["é", "€", "→", "ñ", " ", "\t", "\u{00A0}", "\u{200B}", "中", "🧪", "\u{7F}"]
        return characters.enumerated().map { i, character in
            var text = TinyModel.molecules[i % TinyModel.molecules.count]
            text.insert(character, at: text.index(text.startIndex, offsetBy: 1 + i % (text.count - 1)))
            return text
        }
    }

    @Test func encodingAndScoringRefuseForeignCharacters() throws {
        let tiny = try TinyModel.load()
        let inputs = Self.corrupted()
        let outcomes = LatentEncoder(tiny).encode(inputs)
        for (input, outcome) in zip(inputs, outcomes) {
            switch outcome {
            case .success(let m): Issue.record("\(input.debugDescription) encoded as \(m.molecule.canonical)")
            case .failure(let f):
                #expect(f.kind == "invalid_smiles" && f.description.contains("is not SMILES syntax"), "\(input.debugDescription): \(f)")
            }
        }
        // The same strings without the character are encodable: the refusal is the character's.
        let cleaned = inputs.map { String($0.unicodeScalars.filter { $0.isASCII && $0.value > 0x20 && $0.value != 0x7F }.map(Character.init)) }
        #expect(LatentEncoder(tiny).encode(cleaned).allSatisfy { (try? $0.get()) != nil })
    }

    @Test func anInterpolationEndpointWithAForeignCharacterIsNamed() throws {
        let tiny = try TinyModel.load()
        let interpolator = Interpolator(steps: 3, method: .linear, strategy: .greedy)
        for bad in ["CCé", "C C", "CC\u{2192}O"] {
            let error = #expect(throws: UnencodableMoleculeError.self) {
                _ = try interpolator.run(tiny, from: bad, to: TinyModel.molecules[0], fromRole: "--from", toRole: "--to")
            }
            #expect(error?.role == "--from")
            #expect(error?.description.contains("is not SMILES syntax") == true, "\(String(describing: error))")
        }
    }

    /// A string with more atoms than the model has tokens fails by counting: fast for any
    /// length, where RDKit took 11 s on 2,000 atoms.
    @Test func overlongInputsAreRefusedBeforeRDKit() throws {
        let tiny = try TinyModel.load()
        let limit = tiny.model.config.maxTokens
        let inputs = [String(repeating: "C", count: 2_000), String(repeating: "c1ccccc1", count: 300),
                      String(repeating: "C(=O)N", count: 1_000), "[H]" + String(repeating: "C", count: limit + 5)]
        let clock = ContinuousClock()
        let started = clock.now
        let outcomes = LatentEncoder(tiny).encode(inputs)
        let elapsed = clock.now - started
        for (input, outcome) in zip(inputs, outcomes) {
            guard case .failure(.tooManyAtoms(let atoms, let reported)) = outcome else {
                Issue.record("\(input.prefix(20))…: \(outcome)")
                continue
            }
            #expect(atoms == SMILESScreen.atomCount(input) && atoms > limit && reported == limit)
        }
        #expect(elapsed < .seconds(1), "\(elapsed)")
    }
}
