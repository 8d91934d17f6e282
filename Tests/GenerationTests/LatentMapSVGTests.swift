import Foundation
import Testing
@testable import MolVAE

@Suite struct LatentMapSVGTests {
    @Test func drawsOneDotPerPointAndParsesAsXML() {
        var points: [LatentMapSVG.Point] = []
        for i in 0..<25 {
            let smiles = i == 3 ? "C&<\"weird\">" : "C\(i)"
            let value: Double? = i == 7 ? nil : Double(i) / 10
            points.append(LatentMapSVG.Point(smiles: smiles, x: Double(i % 5), y: 0.3 * Double(i / 5), value: value))
        }
        let svg = LatentMapSVG(points: points, propertyName: "logP", explained: (0.31, 0.12), title: "test map").render()
        let parsed = SVGElementCounter.parse(svg)
        #expect(parsed.parseError == nil, "\(String(describing: parsed.parseError))")
        #expect(parsed.counts["circle"] == 25)
        #expect(parsed.texts.contains("PC1 (31.0 % of latent variance)"))
        #expect(parsed.texts.contains("PC2 (12.0 % of latent variance)"))
        #expect(parsed.texts.contains("logP"))
        // The grey dot for the missing value, the colour bar's ends at the value range.
        #expect(svg.contains("#b0b0b0"))
        #expect(svg.contains(ColorScale.viridis(0)) && svg.contains(ColorScale.viridis(1)))
    }

    @Test func copesWithOnePointAndNoValues() {
        let svg = LatentMapSVG(points: [.init(smiles: "C", x: 0, y: 0, value: nil)], propertyName: "QED",
                               explained: (1, 0), title: "one").render()
        let parsed = SVGElementCounter.parse(svg)
        #expect(parsed.parseError == nil)
        #expect(parsed.counts["circle"] == 1)
        #expect(parsed.texts.contains("no values"))
    }

    @Test func ticksAreRoundAndCoverTheRange() {
        let ticks = AxisTicks.values(low: -3.7, high: 12.2)
        #expect(ticks == [0, 5, 10] || ticks == [-2, 0, 2, 4, 6, 8, 10, 12])
        #expect(ticks.allSatisfy { $0 >= -3.7 && $0 <= 12.2 })
        #expect(AxisTicks.values(low: 0.11, high: 0.93).first == 0.2)
    }

    @Test func viridisRunsFromPurpleToYellow() {
        #expect(ColorScale.viridis(0) == "#440154")
        #expect(ColorScale.viridis(1) == "#fde725")
        #expect(ColorScale.viridis(-5) == ColorScale.viridis(0))
        #expect(ColorScale.viridis(.nan) == ColorScale.viridis(0))
    }
}
