import Foundation

/// A small inline SVG comparing two samples as overlaid histograms (shared bins), for the
/// HTML report's property panels. No external fonts or scripts.
func histogramSVG(title: String, generated: [Double], reference: [Double]?, bins: Int = 30,
                  width: Int = 320, height: Int = 190) -> String {
    let all = generated + (reference ?? [])
    guard let low = all.min(), let high = all.max(), high > low else {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\"><text x=\"10\" y=\"20\">\(escapeHTML(title)): no data</text></svg>"
    }
    func density(_ values: [Double]) -> [Double] {
        var counts = [Double](repeating: 0, count: bins)
        for v in values { counts[min(bins - 1, Int((v - low) / (high - low) * Double(bins)))] += 1 }
        return counts.map { values.isEmpty ? 0 : $0 / Double(values.count) }
    }
    let ours = density(generated), theirs = reference.map(density)
    let peak = max(ours.max() ?? 0, theirs?.max() ?? 0, 1e-9)
    let left = 8.0, top = 24.0, plotW = Double(width) - 16, plotH = Double(height) - 48
    let barW = plotW / Double(bins)
    var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(escapeHTML(title)) histogram\">"
    svg += "<text x=\"\(left)\" y=\"16\" class=\"t\">\(escapeHTML(title))</text>"
    func bars(_ values: [Double], _ cls: String) -> String {
        values.enumerated().map { i, v in
            let h = v / peak * plotH
            return "<rect class=\"\(cls)\" x=\"\(fmt(left + Double(i) * barW))\" y=\"\(fmt(top + plotH - h))\" width=\"\(fmt(barW))\" height=\"\(fmt(h))\"/>"
        }.joined()
    }
    if let theirs { svg += bars(theirs, "ref") }
    svg += bars(ours, "gen")
    svg += "<line x1=\"\(fmt(left))\" y1=\"\(fmt(top + plotH))\" x2=\"\(fmt(left + plotW))\" y2=\"\(fmt(top + plotH))\" class=\"axis\"/>"
    svg += "<text x=\"\(fmt(left))\" y=\"\(fmt(top + plotH + 16))\" class=\"l\">\(fmt(low, 2))</text>"
    svg += "<text x=\"\(fmt(left + plotW))\" y=\"\(fmt(top + plotH + 16))\" class=\"l\" text-anchor=\"end\">\(fmt(high, 2))</text>"
    return svg + "</svg>"
}

func fmt(_ value: Double, _ digits: Int = 1) -> String {
    String(format: "%.\(digits)f", value)
}

func escapeHTML(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for ch in text {
        switch ch {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.append(ch)
        }
    }
    return out
}
