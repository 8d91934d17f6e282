import Foundation

/// DIR/metrics.jsonl, DIR/metrics.csv and DIR/curves.svg: every row is kept in memory and the
/// three files are rewritten atomically after each evaluation (so an interruption never
/// leaves a half-written line). On resume, rows after the resumed step are dropped.
public final class MetricsLog {
    public let directory: String
    public private(set) var rows: [EvaluationMetrics] = []

    public init(directory: String, resumingAt step: Int? = nil) {
        self.directory = directory
        if let step, let text = try? String(contentsOfFile: jsonlPath, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                if let row = try? JSONDecoder().decode(EvaluationMetrics.self, from: Data(line.utf8)), row.step <= step { rows.append(row) }
            }
        }
    }

    public var jsonlPath: String { directory + "/metrics.jsonl" }
    public var csvPath: String { directory + "/metrics.csv" }
    public var svgPath: String { directory + "/curves.svg" }

    public func append(_ row: EvaluationMetrics) throws {
        rows.append(row)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var jsonl = ""
        for r in rows { jsonl += String(decoding: try encoder.encode(r), as: UTF8.self) + "\n" }
        try AtomicFile.write(jsonl, to: jsonlPath)
        var csv = EvaluationMetrics.csvColumns.joined(separator: ",") + "\n"
        for r in rows { csv += r.csvRow.joined(separator: ",") + "\n" }
        try AtomicFile.write(csv, to: csvPath)
        try AtomicFile.write(CurvesSVG.render(rows), to: svgPath)
    }
}

/// Self-contained SVG line charts of the metrics against the step: loss parts, prior validity
/// and uniqueness, active units.
public enum CurvesSVG {
    struct Series { var name: String; var color: String; var values: [(Double, Double)] }

    public static func render(_ rows: [EvaluationMetrics]) -> String {
        let w = 460.0, h = 260.0
        func s(_ name: String, _ color: String, _ f: (EvaluationMetrics) -> Double) -> Series {
            Series(name: name, color: color, values: rows.compactMap { r in let v = f(r); return v.isFinite ? (Double(r.step), v) : nil })
        }
        let charts: [(String, [Series])] = [
            ("Loss per molecule", [s("train loss", "#1f77b4") { $0.trainLoss }, s("valid ELBO", "#d62728") { $0.validELBO },
                                   s("valid recon", "#ff7f0e") { $0.validRecon }, s("valid KL", "#2ca02c") { $0.validKL }]),
            ("Prior samples (fraction)", [s("validity", "#9467bd") { $0.validity }, s("uniqueness", "#8c564b") { $0.uniqueness },
                                          s("token accuracy", "#17becf") { $0.tokenAccuracy }]),
            ("Active latent units", [s("active units", "#e377c2") { Double($0.activeUnits) }]),
        ] + (rows.contains { $0.fcd != nil } ? [("FCD of prior samples vs validation", [s("FCD", "#d62728") { $0.fcd ?? .nan }])] : [])
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w * Double(charts.count)))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        for (c, chart) in charts.enumerated() {
            out += chartSVG(title: chart.0, series: chart.1, x0: Double(c) * w, width: w, height: h)
        }
        return out + "</svg>\n"
    }

    static func chartSVG(title: String, series: [Series], x0: Double, width: Double, height: Double) -> String {
        let left = x0 + 55, right = x0 + width - 15, top = 30.0, bottom = height - 55
        let all = series.flatMap(\.values)
        var out = "<text x=\"\(x0 + width / 2)\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">\(title)</text>\n"
        out += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(right - left)\" height=\"\(bottom - top)\" fill=\"none\" stroke=\"#888\"/>\n"
        guard !all.isEmpty else { return out + "<text x=\"\(x0 + width / 2)\" y=\"\(height / 2)\" text-anchor=\"middle\">no data yet</text>\n" }
        var xMin = all.map(\.0).min()!, xMax = all.map(\.0).max()!
        var yMin = min(0, all.map(\.1).min()!), yMax = all.map(\.1).max()!
        // Steps are whole numbers: tick at distinct whole steps (one tick for a single evaluation).
        let xTicks = xMax > xMin ? Array(Set((0...4).map { (xMin + (xMax - xMin) * Double($0) / 4).rounded() })).sorted() : [xMin]
        if xMax <= xMin { xMin -= 1; xMax += 1 }
        if yMax <= yMin { yMax = yMin + 1 }
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * (right - left) }
        func py(_ y: Double) -> Double { bottom - (y - yMin) / (yMax - yMin) * (bottom - top) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        func label(_ v: Double) -> String { abs(v) >= 1000 ? String(format: "%.0f", v) : String(format: "%.3g", v) }
        for i in 0...4 {
            let y = yMin + (yMax - yMin) * Double(i) / 4
            out += "<line x1=\"\(f(left))\" x2=\"\(f(right))\" y1=\"\(f(py(y)))\" y2=\"\(f(py(y)))\" stroke=\"#eee\"/>"
            out += "<text x=\"\(f(left - 4))\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(label(y))</text>\n"
        }
        for x in xTicks {
            out += "<text class=\"xtick\" x=\"\(f(px(x)))\" y=\"\(f(bottom + 14))\" text-anchor=\"middle\">\(label(x))</text>\n"
        }
        out += "<text x=\"\(f((left + right) / 2))\" y=\"\(f(bottom + 28))\" text-anchor=\"middle\">step</text>\n"
        for (k, s) in series.enumerated() where !s.values.isEmpty {
            let points = s.values.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
            out += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.8\" points=\"\(points)\"/>\n"
            for v in s.values { out += "<circle cx=\"\(f(px(v.0)))\" cy=\"\(f(py(v.1)))\" r=\"2\" fill=\"\(s.color)\"/>" }
            let lx = left + Double(k) * 95, ly = bottom + 42
            out += "\n<rect x=\"\(f(lx))\" y=\"\(f(ly - 8))\" width=\"10\" height=\"3\" fill=\"\(s.color)\"/>"
            out += "<text x=\"\(f(lx + 14))\" y=\"\(f(ly - 4))\">\(s.name)</text>\n"
        }
        return out
    }
}
