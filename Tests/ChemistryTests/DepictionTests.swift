import Testing
@testable import MolVAE

@Suite struct DepictionTests {
    @Test func svgHasRequestedSizeAndAtoms() throws {
        let svg = try Molecule(smiles: "OC(=O)c1ccccc1N").svg(width: 250, height: 180)
        #expect(svg.contains("<svg"))
        #expect(svg.contains("width='250px'") && svg.contains("height='180px'"))
        #expect(svg.contains("</svg>"))
        #expect(svg.contains("class='atom-")) // heteroatom labels are drawn
    }

    @Test func rejectsSillySizes() throws {
        let m = try Molecule(smiles: "C")
        #expect(throws: PropertyError.self) { try m.svg(width: 0, height: 10) }
    }
}
