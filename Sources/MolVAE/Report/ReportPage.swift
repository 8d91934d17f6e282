import Foundation

/// The self-contained HTML page of a report: inline CSS and SVG only, nothing fetched from the
/// network, so it can be mailed or archived as one file.
public struct ReportPage {
    public let report: QualityReport
    public let generated: EvaluatedSet
    public let test: ReferenceFile?
    /// How many distinct valid molecules to draw.
    public var depictionCount = 24

    public init(report: QualityReport, generated: EvaluatedSet, test: ReferenceFile?) {
        self.report = report
        self.generated = generated
        self.test = test
    }

    public func html() -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>molvae report: \(escapeHTML(fileName(generated.path)))</title>
        <style>\(Self.css)</style></head><body>
        <h1>Generated molecules: \(escapeHTML(fileName(generated.path)))</h1>
        <p class="meta">\(generated.lineCount) lines, \(generated.valid.count) valid · molvae \(escapeHTML(report.version)) · \(String(format: "%.1f", report.seconds)) s</p>
        """
        page += summaryTable()
        page += guacamolTable()
        page += propertyPanels()
        page += depictionGrid()
        page += invalidSection()
        page += inputsTable()
        return page + "</body></html>\n"
    }

    private func summaryTable() -> String {
        var html = "<h2>MOSES metrics</h2><table class=\"metrics\"><tr><th>model</th>"
        let columns = PublishedMosesResults.columns
        for name in columns { html += "<th>\(escapeHTML(name))</th>" }
        html += "</tr><tr class=\"ours\"><td>this file</td>"
        for name in columns { html += "<td>\(cell(report.moses[name] ?? nil))</td>" }
        html += "</tr>"
        for row in PublishedMosesResults.rows {
            html += "<tr><td>\(escapeHTML(row.model))</td>"
            for name in columns { html += "<td>\(cell(row.values[name]))</td>" }
            html += "</tr>"
        }
        html += "</table><p class=\"note\">Published rows: MOSES benchmark (models trained on 1.58M molecules, mean of 3 runs). Blank: not computed (no such input) or undefined. FCD: Fréchet ChemNet Distance, lower is better.</p>"
        if !report.uniqueShortfalls.isEmpty {
            let notes = report.uniqueShortfalls.sorted { $0.key < $1.key }.map { "unique@\(Int($0.key)! / 1000)k on only \($0.value) valid molecules" }
            html += "<p class=\"note\">\(escapeHTML(notes.joined(separator: "; ")))</p>"
        }
        html += "<h3>Property distances to the test set (Wasserstein-1, lower is better)</h3><table class=\"metrics\"><tr>"
        let properties = ["logP", "SA", "QED", "weight"]
        for name in properties { html += "<th>\(name)</th>" }
        html += "</tr><tr class=\"ours\">"
        for name in properties { html += "<td>\(cell(report.moses[name] ?? nil))</td>" }
        html += "</tr></table>"
        return html
    }

    private func guacamolTable() -> String {
        let g = report.guacamol
        return "<h2>GuacaMol definitions</h2><table class=\"metrics\"><tr><th>validity</th><th>uniqueness</th><th>novelty</th></tr>"
            + "<tr class=\"ours\"><td>\(cell(g.validity))</td><td>\(cell(g.uniqueness))</td><td>\(cell(g.novelty))</td></tr></table>"
            + klTable() + fcdTable()
    }

    /// GuacaMol's FCD benchmark (only with a training set, unless --no-fcd).
    private func fcdTable() -> String {
        guard let fcd = report.guacamol.fcd else { return "" }
        return "<h3>FCD benchmark (score = exp(&minus;0.2&middot;FCD), higher is closer)</h3><table class=\"metrics\"><tr><th>score</th><th>FCD</th></tr>"
            + "<tr class=\"ours\"><td>\(cell(fcd.score))</td><td>\(cell(fcd.fcd))</td></tr></table><p class=\"note\">First "
            + "\(fcd.generatedMolecules) valid generated molecules against \(fcd.referenceMolecules) training molecules (GuacaMol's seeded draw), "
            + "with fcd_torch's ChemNet\(fcd.reason.map { "; undefined: " + $0 } ?? "").</p>"
    }

    /// GuacaMol's KL-divergence score with its ten divergences (only with a training set).
    private func klTable() -> String {
        guard let kl = report.guacamol.klDivergence else { return "" }
        let names = GuacaMolDescriptors.names + [GuacaMolKLDivergence.internalSimilarityName]
        var html = "<h3>KL-divergence benchmark (score = mean of exp(&minus;KL), higher is closer)</h3><table class=\"metrics\"><tr><th>score</th>"
        for name in names { html += "<th>\(escapeHTML(name))</th>" }
        html += "</tr><tr class=\"ours\"><td>\(cell(kl.score))</td>"
        for name in names { html += "<td>\(cell(kl.klDivergences[name]))</td>" }
        return html + "</tr></table><p class=\"note\">KL divergences of \(kl.generatedMolecules) distinct generated molecules from "
            + "\(kl.referenceMolecules) training molecules (GuacaMol's draw of \(kl.numberSamples), seed \(kl.seed)), stereo removed.</p>"
    }

    private func propertyPanels() -> String {
        let ours = PropertySamples(features: generated.valid)
        let theirs = test?.statistics.properties
        var html = "<h2>Properties: generated <span class=\"swatch gen\"></span> vs test <span class=\"swatch ref\"></span></h2><div class=\"panels\">"
        for (index, (name, values)) in ours.named.enumerated() {
            html += histogramSVG(title: name, generated: values, reference: theirs?.named[index].values)
        }
        return html + "</div>"
    }

    private func depictionGrid() -> String {
        var seen = Set<String>(), cards = ""
        for features in generated.valid where seen.count < depictionCount {
            guard seen.insert(features.canonicalSMILES).inserted,
                  let molecule = try? Molecule(smiles: features.canonicalSMILES) else { continue }
            let svg = stripXMLDeclaration((try? molecule.svg(width: 200, height: 160)) ?? "")
            cards += "<figure>\(svg)<figcaption>\(escapeHTML(features.canonicalSMILES))<br>QED \(String(format: "%.2f", features.qed)) · SA \(String(format: "%.2f", features.sa))</figcaption></figure>"
        }
        return "<h2>Valid samples (first \(seen.count) distinct)</h2><div class=\"grid\">\(cards)</div>"
    }

    private func invalidSection() -> String {
        let summary = report.invalid
        guard summary.total > 0 else { return "<h2>Invalid lines</h2><p>None.</p>" }
        var html = "<h2>Invalid lines: \(summary.total)</h2><table class=\"metrics\"><tr><th>reason</th><th>count</th><th class=\"ex\">examples (line: SMILES — RDKit's message)</th></tr>"
        for (reason, count) in summary.byReason.sorted(by: { $0.value > $1.value }) {
            let examples = (summary.examples[reason] ?? []).map {
                "<div><code>\($0.line): \(escapeHTML(String($0.smiles.prefix(120))))</code> — \(escapeHTML($0.message))</div>"
            }.joined()
            html += "<tr><td>\(escapeHTML(reason))</td><td>\(count)</td><td class=\"ex\">\(examples)</td></tr>"
        }
        return html + "</table>"
    }

    private func inputsTable() -> String {
        var html = "<h2>Inputs</h2><table class=\"metrics\"><tr><th>role</th><th>file</th><th>lines</th><th>valid</th><th>sha256</th></tr>"
        for input in report.inputs {
            html += "<tr><td>\(input.role)</td><td>\(escapeHTML(input.path))</td><td>\(input.lines)</td><td>\(input.valid)</td><td><code>\(input.sha256.prefix(16))…</code></td></tr>"
        }
        return html + "</table>"
    }

    private func cell(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "" }
        return String(format: "%.4f", value)
    }

    private func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    private func stripXMLDeclaration(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
        return String(svg[end.upperBound...])
    }

    static let css = """
    body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#222;max-width:1200px}
    h1{font-size:22px}h2{font-size:17px;margin-top:28px}h3{font-size:14px;margin-top:16px}
    .meta,.note{color:#666;font-size:13px}
    table.metrics{border-collapse:collapse;font-size:13px}
    table.metrics th,table.metrics td{border:1px solid #ddd;padding:4px 7px;text-align:right}
    table.metrics td:first-child,table.metrics th:first-child{text-align:left}
    tr.ours{background:#eef5ff;font-weight:600}
    td.ex,th.ex{text-align:left!important;font-size:12px}
    .panels{display:flex;flex-wrap:wrap;gap:12px}
    .panels svg{border:1px solid #eee}
    rect.gen{fill:#2f6fdf;fill-opacity:.55}rect.ref{fill:#e07b39;fill-opacity:.45}
    .axis{stroke:#999}.t{font-size:13px;font-weight:600}.l{font-size:11px;fill:#555}
    .swatch{display:inline-block;width:12px;height:12px;vertical-align:middle}
    .swatch.gen{background:#2f6fdf}.swatch.ref{background:#e07b39}
    .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px}
    figure{margin:0;border:1px solid #eee;padding:4px}
    figcaption{font-size:11px;word-break:break-all;color:#444}
    """
}
