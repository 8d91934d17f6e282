import Foundation

/// An interpolation drawn as a strip: one panel per step, left to right, with RDKit's depiction
/// of the decoded molecule and, under it, t and the Tanimoto similarities to the two endpoints.
/// One self-contained SVG (the depictions are nested `<svg>` elements, not images or links).
public enum InterpolationStripSVG {
    static let panelWidth = 190.0, drawingHeight = 160.0, captionHeight = 44.0, margin = 10.0

    public static func render(_ interpolation: Interpolation) -> String {
        let steps = interpolation.steps
        let width = margin * 2 + panelWidth * Double(max(1, steps.count))
        let height = 34 + drawingHeight + captionHeight + margin
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(fmt(width, 0))\" height=\"\(fmt(height, 0))\" "
            + "viewBox=\"0 0 \(fmt(width, 0)) \(fmt(height, 0))\" font-family=\"sans-serif\" font-size=\"12\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        let title = "\(interpolation.method.rawValue) interpolation: \(interpolation.from) → \(interpolation.to)"
        svg += "<text x=\"\(fmt(margin))\" y=\"20\" font-size=\"14\">\(escapeHTML(title))</text>"
        for (i, step) in steps.enumerated() {
            let x = margin + Double(i) * panelWidth, y = 30.0
            svg += "<g><title>\(escapeHTML(step.smiles.isEmpty ? "(empty)" : step.smiles))</title>"
            svg += "<rect x=\"\(fmt(x + 2))\" y=\"\(fmt(y))\" width=\"\(fmt(panelWidth - 4))\" height=\"\(fmt(drawingHeight + captionHeight))\" "
                + "fill=\"none\" stroke=\"#ddd\"/>"
            if step.valid, let drawing = try? Molecule(smiles: step.smiles).svg(width: Int(panelWidth - 10), height: Int(drawingHeight)) {
                svg += SVGNesting.nested(drawing, x: x + 5, y: y)
            } else {
                svg += "<text x=\"\(fmt(x + panelWidth / 2))\" y=\"\(fmt(y + drawingHeight / 2))\" text-anchor=\"middle\" fill=\"#a00\">"
                    + "invalid SMILES</text>"
            }
            let captionY = y + drawingHeight + 16
            svg += "<text x=\"\(fmt(x + panelWidth / 2))\" y=\"\(fmt(captionY))\" text-anchor=\"middle\">t = \(fmt(step.t, 2))</text>"
            let similarities: String
            if let from = step.similarityFrom, let to = step.similarityTo {
                similarities = "sim from \(fmt(from, 2)) · to \(fmt(to, 2))"
            } else {
                similarities = "no similarity"
            }
            svg += "<text x=\"\(fmt(x + panelWidth / 2))\" y=\"\(fmt(captionY + 18))\" text-anchor=\"middle\" fill=\"#444\">\(similarities)</text>"
            svg += "</g>"
        }
        return svg + "</svg>\n"
    }
}
