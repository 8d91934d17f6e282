import Foundation
import Testing
@testable import MolVAE

/// Rule: the whole SMILES field reaches RDKit unchanged; a character RDKit would skip or stop at
/// makes the line invalid with a reason, never another molecule (issue 18, part 1).
@Suite struct WholeSMILESTests {
    /// Characters that are not SMILES: accented letters, symbols, arrows, CJK, emoji, invisible
    /// and control characters, every kind of whitespace.
    static let foreign: [Character] = ["é", "ñ", "€", "→", "°", "µ", "中", "🧪", "\u{00A0}", "\u{200B}", "\u{FEFF}",
                                       " ", "\t", "\u{7F}", "\u{1B}", "\u{0B}", "\u{2028}"]
    /// Valid molecules to hide them in.
    static let hosts = ["CCO", "c1ccccc1", "CC(=O)Nc1ccc(O)cc1", "C[C@@H](N)C(=O)O", "[NH4+]"]

    /// Every host with every foreign character at its start, middle and end, and the 1-based
    /// character position the reason must name.
    static var corrupted: [(smiles: String, position: Int)] {
        var out: [(String, Int)] = []
        for host in hosts {
            for character in foreign {
                for offset in [0, host.count / 2, host.count] {
                    var text = host
                    text.insert(character, at: text.index(text.startIndex, offsetBy: offset))
                    out.append((text, offset + 1))
                }
            }
        }
        return out
    }

    @Test func foreignCharactersMakeTheMoleculeInvalidWithTheirPosition() {
        for (smiles, position) in Self.corrupted {
            do {
                let molecule = try Molecule(smiles: smiles)
                Issue.record("\(smiles.debugDescription) parsed as \(molecule.canonicalSMILES)")
            } catch {
                #expect(error.reason.contains("at position \(position) is not SMILES syntax"), "\(smiles.debugDescription): \(error.reason)")
            }
        }
    }

    @Test func batchScoringReportsTheCharacterNotAnotherMolecule() {
        // Leading and trailing whitespace is not part of the field; anything inside is.
        let inputs = Self.corrupted.map(\.smiles).filter { $0.trimmingCharacters(in: .whitespaces) == $0 }
        let results = BatchScoring.score(inputs, threads: 2)
        for (smiles, result) in zip(inputs, results) {
            #expect(!result.isValid, "\(smiles.debugDescription) scored as \(result.canonicalSMILES ?? "")")
            let reason = result.error ?? ""
            #expect(reason.contains("not SMILES syntax"), "\(smiles.debugDescription): \(reason)")
        }
        #expect(BatchScoring.score(Self.hosts, threads: 2).allSatisfy { $0.isValid })
    }

    @Test func propsKeepsEveryLineAndMarksForeignOnesInvalid() throws {
        let input = NSTemporaryDirectory() + "molvae-whole-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).csv"
        let output = input + ".out.csv"
        defer { unlink(input); unlink(output) }
        // A CSV field with a space, a tab or a foreign letter inside, next to clean ones.
        let fields = ["CC O", "CC\tO", "CéC", "c1ccccc1 C", "CCO", "C C(=O)O", "c1ccccc1"]
        let text = "smiles,name\n" + fields.enumerated().map { "\"\($1)\",m\($0)" }.joined(separator: "\n") + "\n"
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let summary = try PropsRunner.run(inputPath: input, outputPath: output, threads: 2)
        #expect(summary.rows == fields.count)
        #expect(summary.validRows == 2)
        let rows = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").dropFirst().map { CSVFields.split($0) }
        let valid = PropertyCSV.columns.firstIndex(of: "valid")!, canonical = PropertyCSV.columns.firstIndex(of: "canonical")!
        let error = PropertyCSV.columns.firstIndex(of: "error")!
        for (field, row) in zip(fields, rows) {
            #expect(row[0] == field)
            if field == "CCO" || field == "c1ccccc1" {
                #expect(row[valid] == "1" && row[canonical] == field)
            } else {
                #expect(row[valid] == "0" && row[canonical].isEmpty, "\(field.debugDescription) → \(row)")
                #expect(row[error].contains("not SMILES syntax"), "\(row[error])")
            }
        }
    }

    @Test func theAtomCountIsALowerBoundOfTheCanonicalTokens() throws {
        let cases: [(String, Int)] = [("CCO", 3), ("[H]C([H])([H])[H]", 1), ("c1ccccc1Cl", 7), ("BrC(Br)I", 4), ("[2H]C", 1),
                                      ("[Hg+2].[Cl-].[Cl-]", 3), ("C[C@@H](N)C(=O)O", 6), ("*C", 2), ("[nH]1cccc1", 5)]
        for (smiles, atoms) in cases {
            #expect(SMILESScreen.atomCount(smiles) == atoms, "\(smiles)")
            let canonical = try Molecule(smiles: smiles).canonicalSMILES
            #expect(SMILESTokenizer.tokenCount(canonical) >= atoms, "\(smiles) → \(canonical)")
        }
    }
}
