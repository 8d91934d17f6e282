import Testing
@testable import MolVAE
@Test func enginePlaceholderBuilds() { #expect(Bool(true)) }
