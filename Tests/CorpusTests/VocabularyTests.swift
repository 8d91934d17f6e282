import Foundation
import Testing
@testable import MolVAE

@Suite struct VocabularyTests {
    static let counts = ["C": 10, "c": 6, "(": 2, ")": 2, "Cl": 1, "[nH]": 3, "1": 4, "=": 1, "O": 2, "%10": 2]

    @Test func specialTokensFirstThenCorpusTokensSortedByBytes() {
        let vocabulary = Vocabulary(tokenCounts: Self.counts, source: nil)
        #expect(vocabulary.tokens == ["<pad>", "<bos>", "<eos>", "<unk>", "%10", "(", ")", "1", "=", "C", "Cl", "O", "[nH]", "c"])
        #expect(vocabulary.count == 14)
        #expect(vocabulary.specialTokens.pad == 0 && vocabulary.specialTokens.bos == 1)
        #expect(vocabulary.specialTokens.eos == 2 && vocabulary.specialTokens.unk == 3)
        #expect(vocabulary.id(of: "C") == 9)
        #expect(vocabulary.token(for: 12) == "[nH]")
        #expect(vocabulary.token(for: 14) == nil)
    }

    @Test func encodesAndDecodes() throws {
        let vocabulary = Vocabulary(tokenCounts: Self.counts, source: nil)
        let ids = try vocabulary.encode("c1cc[nH]c1Cl")
        #expect(ids == [13, 7, 13, 13, 12, 13, 7, 10])
        #expect(try vocabulary.decode(ids) == "c1cc[nH]c1Cl")
        // framing: <bos> and <pad> are skipped, decoding stops at <eos>
        #expect(try vocabulary.decode([1] + ids + [2, 9, 0, 0]) == "c1cc[nH]c1Cl")
        #expect(try vocabulary.decode([9, 3, 9]) == "C<unk>C")
        #expect(try vocabulary.encodeFramed("c1cc[nH]c1Cl") == [1] + ids + [2])
        #expect(throws: Vocabulary.InvalidIDError(id: 99, count: 14)) { try vocabulary.decode([9, 99]) }
    }

    @Test func unknownTokenIsATypedErrorNamingTheToken() {
        let vocabulary = Vocabulary(tokenCounts: Self.counts, source: nil)
        let error = #expect(throws: Vocabulary.UnknownTokenError.self) { try vocabulary.encode("CC[Se]CBr") }
        #expect(error?.token == "[Se]")
        #expect(error?.description.contains("[Se]") == true)
        // a special token's spelling is not a token: it splits into characters, and '<' is unknown
        #expect(throws: Vocabulary.UnknownTokenError.self) { try vocabulary.encode("C<pad>") }
    }

    @Test func jsonRoundTripsAndIsStable() throws {
        let vocabulary = Vocabulary(tokenCounts: Self.counts, source: .init(path: "x.smi", sha256: "ab", molecules: 7))
        let json = try vocabulary.jsonString()
        let decoded = try Vocabulary(jsonString: json)
        #expect(decoded == vocabulary)
        #expect(try decoded.jsonString() == json)
        #expect(try decoded.encode("C(=O)Cl") == vocabulary.encode("C(=O)Cl"))

        let path = try TestPaths.temporaryFolder() + "/v.json"
        try vocabulary.write(to: path)
        #expect(try Vocabulary.load(path: path) == vocabulary)
    }

    /// A model stores only the token list; rebuilding from it gives the same ids.
    @Test func rebuildsFromABareTokenList() throws {
        let vocabulary = Vocabulary(tokenCounts: Self.counts, source: nil)
        let rebuilt = try Vocabulary(tokens: vocabulary.tokens)
        #expect(rebuilt.tokens == vocabulary.tokens)
        #expect(try rebuilt.encode("c1cc[nH]c1Cl") == vocabulary.encode("c1cc[nH]c1Cl"))
        #expect(throws: Vocabulary.FormatError.self) { try Vocabulary(tokens: ["C", "<pad>", "<bos>", "<eos>", "<unk>"]) }
        #expect(throws: Vocabulary.FormatError.self) { try Vocabulary(tokens: Vocabulary.specialTokenStrings + ["C", "C"]) }
    }

    @Test func rejectsInconsistentJSON() throws {
        let json = try Vocabulary(tokenCounts: Self.counts, source: nil).jsonString()
        let swapped = json.replacingOccurrences(of: "\"<pad>\"", with: "\"<PAD>\"")
        #expect(throws: Vocabulary.FormatError.self) { try Vocabulary(jsonString: swapped) }
        let future = json.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 2")
        #expect(throws: Vocabulary.FormatError.self) { try Vocabulary(jsonString: future) }
        #expect(throws: Vocabulary.FormatError.self) { try Vocabulary.load(path: "/nonexistent/v.json") }
    }

    @Test func buildsFromAFileRecordingItsHash() throws {
        let path = TestPaths.fixture("quoted.csv.gz")
        let vocabulary = try Vocabulary.build(fromCorpusAt: path)
        #expect(vocabulary.tokens == ["<pad>", "<bos>", "<eos>", "<unk>", ".", "/", "1", "=", "Br", "C", "Cl", "O", "[Cl-]", "[NH4+]", "c"])
        #expect(vocabulary.tokenCounts["c"] == 6)
        #expect(vocabulary.tokenCounts["C"] == 4)
        #expect(vocabulary.source?.molecules == 4)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(vocabulary.source?.sha256 == SHA256.hexDigest(of: bytes))
    }

    /// The committed default vocabulary is what `molvae vocab` makes from the bundled train file.
    @Test func defaultVocabularyMatchesBundledCorpus() throws {
        let stored = try Vocabulary.load(path: TestPaths.repositoryRoot.appendingPathComponent("Vocab/moses.json").path)
        let train = TestPaths.bundledData("moses-train-250k.smi.gz")
        #expect(stored.source?.sha256 == (try SHA256.hexDigest(ofFileAt: train)))
        #expect(stored.source?.molecules == 250_000)
        let rebuilt = try Vocabulary.build(fromCorpusAt: train)
        #expect(rebuilt.tokens == stored.tokens)
        #expect(rebuilt.tokenCounts == stored.tokenCounts)
    }
}

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func knownVectors(message: String, digest: String) {
        #expect(SHA256.hexDigest(of: Array(message.utf8)) == digest)
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let message = Array((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var hasher = SHA256()
        for chunk in stride(from: 0, to: message.count, by: 37) {
            hasher.update(message[chunk..<min(chunk + 37, message.count)])
        }
        #expect(hasher.hexDigest() == SHA256.hexDigest(of: message))
        // one million 'a': the FIPS 180-2 long-message vector
        #expect(SHA256.hexDigest(of: [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
