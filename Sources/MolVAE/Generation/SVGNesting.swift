/// Placing one SVG document inside another (escaping and number formatting are the report's
/// `escapeHTML` and `fmt`).
enum SVGNesting {
    /// An SVG document (e.g. RDKit's depiction) placed inside another at (x, y): the XML
    /// declaration is dropped (only allowed at the start of a document) and x/y are added to
    /// the root element.
    static func nested(_ svg: String, x: Double, y: Double) -> String {
        var body = Substring(svg)
        if body.hasPrefix("<?xml"), let end = body.range(of: "?>") { body = body[end.upperBound...] }
        guard let open = body.range(of: "<svg") else { return "" }
        return "<svg x=\"\(fmt(x))\" y=\"\(fmt(y))\"" + body[open.upperBound...]
    }
}
