import Foundation

/// The latent map picture: molecules as dots at their first two principal coordinates,
/// coloured by a property (viridis, with a colour bar), axes labelled with the share of the
/// latent variance each component explains, both axes on the same scale. One self-contained
/// SVG (no scripts, no fonts); each dot carries a `<title>` with its SMILES and value, which browsers show on hover.
public struct LatentMapSVG {
    public struct Point: Sendable {
        public var smiles: String
        public var x: Double
        public var y: Double
        /// The colouring property; nil draws the dot grey (RDKit could not compute it).
        public var value: Double?
        public init(smiles: String, x: Double, y: Double, value: Double?) {
            self.smiles = smiles
            self.x = x
            self.y = y
            self.value = value
        }
    }

    public var points: [Point]
    /// Property name shown on the colour bar, e.g. "logP".
    public var propertyName: String
    /// Fraction of the total latent variance along PC1 and PC2.
    public var explained: (Double, Double)
    public var title: String
    public var width = 760
    public var height = 560

    public init(points: [Point], propertyName: String, explained: (Double, Double), title: String) {
        self.points = points
        self.propertyName = propertyName
        self.explained = explained
        self.title = title
    }

    public func render() -> String {
        let left = 70.0, right = 110.0, top = 40.0, bottom = 56.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        let (x0, x1, y0, y1) = Self.equalScaleRanges(x: Self.padded(points.map(\.x)), y: Self.padded(points.map(\.y)),
                                                     width: plotW, height: plotH)
        func px(_ x: Double) -> Double { left + (x - x0) / (x1 - x0) * plotW }
        func py(_ y: Double) -> Double { top + plotH - (y - y0) / (y1 - y0) * plotH }
        let values = points.compactMap(\.value).filter(\.isFinite)
        let v0 = values.min() ?? 0, v1 = values.max() ?? 1
        func colour(_ v: Double?) -> String {
            guard let v, v.isFinite else { return "#b0b0b0" }
            return ColorScale.viridis(v1 > v0 ? (v - v0) / (v1 - v0) : 0.5)
        }

        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"12\" role=\"img\" "
            + "aria-label=\"\(escapeHTML(title))\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        svg += "<text x=\"\(fmt(left))\" y=\"22\" font-size=\"15\">\(escapeHTML(title))</text>"
        // Axes with ticks.
        svg += "<rect x=\"\(fmt(left))\" y=\"\(fmt(top))\" width=\"\(fmt(plotW))\" height=\"\(fmt(plotH))\" fill=\"none\" stroke=\"#888\"/>"
        // About one tick per 90 pixels, so both axes get the same tick spacing for the same scale.
        let xTicks = AxisTicks.values(low: x0, high: x1, target: max(3, Int(plotW / 90)))
        let yTicks = AxisTicks.values(low: y0, high: y1, target: max(3, Int(plotH / 90)))
        for t in xTicks {
            svg += "<line x1=\"\(fmt(px(t)))\" y1=\"\(fmt(top + plotH))\" x2=\"\(fmt(px(t)))\" y2=\"\(fmt(top + plotH + 5))\" stroke=\"#888\"/>"
            svg += "<text x=\"\(fmt(px(t)))\" y=\"\(fmt(top + plotH + 18))\" text-anchor=\"middle\">\(AxisTicks.label(t, ticks: xTicks))</text>"
        }
        for t in yTicks {
            svg += "<line x1=\"\(fmt(left - 5))\" y1=\"\(fmt(py(t)))\" x2=\"\(fmt(left))\" y2=\"\(fmt(py(t)))\" stroke=\"#888\"/>"
            svg += "<text x=\"\(fmt(left - 8))\" y=\"\(fmt(py(t) + 4))\" text-anchor=\"end\">\(AxisTicks.label(t, ticks: yTicks))</text>"
        }
        svg += "<text x=\"\(fmt(left + plotW / 2))\" y=\"\(fmt(Double(height) - 12))\" text-anchor=\"middle\">"
            + "PC1 (\(fmt(explained.0 * 100)) % of latent variance)</text>"
        svg += "<text transform=\"translate(18 \(fmt(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">"
            + "PC2 (\(fmt(explained.1 * 100)) % of latent variance)</text>"
        // Dots: grey (no value) first so coloured ones stay visible.
        svg += "<g class=\"points\" fill-opacity=\"0.8\">"
        for p in points.sorted(by: { ($0.value == nil ? 0 : 1) < ($1.value == nil ? 0 : 1) }) {
            let label = p.value.map { "\(p.smiles) \(propertyName) \(fmt($0, 3))" } ?? "\(p.smiles) (\(propertyName) unavailable)"
            svg += "<circle cx=\"\(fmt(px(p.x), 2))\" cy=\"\(fmt(py(p.y), 2))\" r=\"3\" fill=\"\(colour(p.value))\">"
                + "<title>\(escapeHTML(label))</title></circle>"
        }
        svg += "</g>"
        svg += colourBar(x: left + plotW + 30, y: top, height: plotH, low: v0, high: v1, hasValues: !values.isEmpty)
        return svg + "</svg>\n"
    }

    /// A vertical gradient from low (bottom) to high (top) with tick labels.
    private func colourBar(x: Double, y: Double, height: Double, low: Double, high: Double, hasValues: Bool) -> String {
        var svg = "<text x=\"\(fmt(x))\" y=\"\(fmt(y - 8))\">\(escapeHTML(propertyName))</text>"
        guard hasValues else { return svg + "<text x=\"\(fmt(x))\" y=\"\(fmt(y + 14))\">no values</text>" }
        svg += "<defs><linearGradient id=\"bar\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for i in 0...8 {
            let f = Double(i) / 8
            svg += "<stop offset=\"\(fmt(f, 3))\" stop-color=\"\(ColorScale.viridis(f))\"/>"
        }
        svg += "</linearGradient></defs>"
        svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"16\" height=\"\(fmt(height))\" fill=\"url(#bar)\" stroke=\"#888\"/>"
        let ticks = high > low ? AxisTicks.values(low: low, high: high) : [low]
        for t in ticks {
            let ty = high > low ? y + height - (t - low) / (high - low) * height : y + height / 2
            svg += "<line x1=\"\(fmt(x + 16))\" y1=\"\(fmt(ty))\" x2=\"\(fmt(x + 21))\" y2=\"\(fmt(ty))\" stroke=\"#888\"/>"
            svg += "<text x=\"\(fmt(x + 24))\" y=\"\(fmt(ty + 4))\">\(AxisTicks.label(t, ticks: ticks))</text>"
        }
        return svg
    }

    /// Both ranges widened about their centres so that one unit is as long on either axis: a
    /// projection's distances and spreads are then seen as they are.
    private static func equalScaleRanges(x: (Double, Double), y: (Double, Double), width: Double, height: Double)
        -> (Double, Double, Double, Double) {
        let perPixel = max((x.1 - x.0) / width, (y.1 - y.0) / height)
        let cx = (x.0 + x.1) / 2, cy = (y.0 + y.1) / 2
        return (cx - perPixel * width / 2, cx + perPixel * width / 2, cy - perPixel * height / 2, cy + perPixel * height / 2)
    }

    /// The range of `values` widened by 5 % each side (and to a unit range when flat or empty).
    private static func padded(_ values: [Double]) -> (Double, Double) {
        guard let low = values.min(), let high = values.max() else { return (-1, 1) }
        guard high > low else { return (low - 1, high + 1) }
        let margin = (high - low) * 0.05
        return (low - margin, high + margin)
    }
}
