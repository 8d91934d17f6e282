import Testing
@testable import MolVAE

@Suite struct TokenizedCorpusTests {
    /// A vocabulary of the first three lines of `train-small.smi` only: no `[Se]`.
    static let vocabulary = Vocabulary(tokenCounts: ["C": 1, "O": 1, "c": 1, "1": 1, "(": 1, ")": 1, "=": 1, "N": 1], source: nil)

    @Test func unknownTokenErrorNamesTokenLineAndFile() {
        let path = TestPaths.fixture("train-small.smi")
        let error = #expect(throws: TokenizedCorpus.LoadError.self) {
            try TokenizedCorpus.load(path: path, vocabulary: Self.vocabulary)
        }
        #expect(error == .unknownToken(token: "[Se]", smiles: "C[Se]C", path: path, line: 4))
        let message = error?.description ?? ""
        #expect(message.contains("\(path):4") && message.contains("[Se]"))
    }

    @Test func overLongErrorNamesLengthLineAndFile() {
        let path = TestPaths.fixture("train-small.smi")
        let error = #expect(throws: TokenizedCorpus.LoadError.self) {
            try TokenizedCorpus.load(path: path, vocabulary: Self.vocabulary, maxLength: 10, skipUnknown: true)
        }
        #expect(error == .tooLong(length: 12, maxLength: 10, path: path, line: 5))
        let message = error?.description ?? ""
        #expect(message.contains("\(path):5") && message.contains("12") && message.contains("10"))
    }

    @Test func skippedLinesAreCountedByReason() throws {
        let corpus = try TokenizedCorpus.load(
            path: TestPaths.fixture("train-small.smi"), vocabulary: Self.vocabulary, maxLength: 10, skipUnknown: true, skipTooLong: true)
        #expect(corpus.count == 3)
        #expect(corpus.lineNumbers == [1, 2, 3])
        #expect(corpus.summary.recordsRead == 5)
        #expect(corpus.summary.kept == 3)
        #expect(corpus.summary.skipped == [.unknownToken: 1, .tooLong: 1])
        #expect(corpus.summary.unknownTokens == ["[Se]": 1])
        #expect(corpus.summary.longestKept == 8)
        #expect(Array(corpus[0]) == (try Self.vocabulary.encode("CCO")))
        #expect(try Self.vocabulary.decode(corpus[2]) == "CC(=O)N")
        #expect(corpus.summary.description.contains("skipped 2"))
    }

    @Test func noLimitKeepsLongLines() throws {
        let corpus = try TokenizedCorpus.load(
            path: TestPaths.fixture("train-small.smi"), vocabulary: Self.vocabulary, maxLength: nil, skipUnknown: true)
        #expect(corpus.count == 4)
        #expect(corpus.summary.longestKept == 12)
        #expect(corpus.offsets == [0, 3, 11, 18, 30])
    }

    /// The default vocabulary covers the whole bundled corpus, test sets included.
    @Test(arguments: TestPaths.bundledCorpora)
    func bundledCorpusLoadsWithDefaultVocabulary(file: String) throws {
        let vocabulary = try Vocabulary.load(path: TestPaths.repositoryRoot.appendingPathComponent("Vocab/moses.json").path)
        let corpus = try TokenizedCorpus.load(path: TestPaths.bundledData(file), vocabulary: vocabulary)
        #expect(corpus.count == (file.contains("train") ? 250_000 : 10_000))
        #expect(corpus.summary.skippedTotal == 0)
    }
}
