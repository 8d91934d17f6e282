import Testing
@testable import MolVAE
@Test func corpusPlaceholderBuilds() { #expect(Bool(true)) }
