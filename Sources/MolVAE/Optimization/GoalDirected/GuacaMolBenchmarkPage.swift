import Foundation

/// The self-contained HTML page of a `molvae benchmark guacamol` run (as `ReportPage`: inline CSS
/// and SVG, nothing fetched): the per-task scores beside the published GuacaMol v2 baselines,
/// then each task's best molecule and its oracle calls.
public struct GuacaMolBenchmarkPage {
    public let report: GuacaMolBenchmarkReport

    public init(report: GuacaMolBenchmarkReport) { self.report = report }

    public func html() -> String {
        var page = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <title>molvae GuacaMol goal-directed benchmark</title>
        <style>\(ReportPage.css)td.ours{background:#eef5ff;font-weight:600}</style></head><body>
        <h1>GuacaMol goal-directed benchmark: molvae latent search</h1>
        <p class="meta">method \(escapeHTML(report.method)) · budget \(report.budget) oracle calls per task · seed \(report.seed) · \
        model \(escapeHTML(report.model.path)) (<code>\(report.model.sha256.prefix(16))…</code>) · molvae \(escapeHTML(report.molvaeVersion)) · \
        \(String(format: "%.1f", report.seconds)) s</p>
        """
        page += scoreTable()
        page += taskDetails()
        return page + "</body></html>\n"
    }

    private func scoreTable() -> String {
        let models = PublishedGuacaMolResults.models
        var html = "<h2>Scores</h2><table class=\"metrics\"><tr><th>task</th><th>molvae</th>"
        for m in models { html += "<th>\(escapeHTML(m))</th>" }
        html += "</tr>"
        var shown = Set<String>()
        // Published tasks in the paper's order, then any task of this run without a published row.
        for row in PublishedGuacaMolResults.rows {
            let ours = report.tasks.first { PublishedGuacaMolResults.row(name: $0.name, key: $0.key)?.name == row.name }
            if let ours { shown.insert(ours.key) }
            html += "<tr><td>\(escapeHTML(row.name))</td><td class=\"ours\">\(ours.map(oursCell) ?? "")</td>"
            for s in row.scores { html += "<td>\(String(format: "%.3f", s))</td>" }
            html += "</tr>"
        }
        for task in report.tasks where !shown.contains(task.key) {
            html += "<tr><td>\(escapeHTML(task.name)) (not in the published table)</td><td class=\"ours\">\(oursCell(task))</td>"
            html += String(repeating: "<td></td>", count: models.count) + "</tr>"
        }
        html += "<tr class=\"ours\"><td>total (\(report.tasks.count) task\(report.tasks.count == 1 ? "" : "s") run)</td><td>\(String(format: "%.3f", report.totalScore))</td>"
        for m in models { html += "<td>\(String(format: "%.3f", PublishedGuacaMolResults.totals[m] ?? 0))</td>" }
        html += "</tr></table><p class=\"note\">molvae: \(report.budget) oracle calls per task (\(escapeHTML(GuacaMolBenchmarkReport.oracleCallDefinition))), "
            + "at most \(report.decodeCap) latent points decoded, the shipped MOSES-trained model. Published columns: Brown et al., "
            + "J. Chem. Inf. Model. 59 (2019) 1096, goal-directed results (GuacaMol v2; ChEMBL training data, no limit on oracle calls), "
            + "totals over all 20 tasks. Blank: not run.</p>"
        return html
    }

    private func oursCell(_ task: GoalDirectedTaskResult) -> String {
        if let score = task.assessment?.score { return String(format: "%.3f", score) }
        return "failed"
    }

    private func taskDetails() -> String {
        var html = "<h2>Tasks</h2><table class=\"metrics\"><tr><th>task</th><th>score</th><th>top means</th><th>oracle calls (training)</th>"
            + "<th>points decoded</th><th>seconds</th><th class=\"ex\">best molecule</th></tr>"
        for task in report.tasks {
            let means = task.topMeans.map { "top-\($0.count) \(String(format: "%.3f", $0.mean))" }.joined(separator: ", ")
            var best = task.error.map { "<b>error:</b> " + escapeHTML($0) } ?? ""
            if let m = task.assessment?.molecules.first {
                let svg = (try? Molecule(smiles: m.smiles).svg(width: 200, height: 160)).map(stripDeclaration) ?? ""
                best += "\(svg)<div><code>\(escapeHTML(m.smiles))</code> \(String(format: "%.3f", m.score))</div>"
            }
            if let note = task.note { best += "<div class=\"note\">\(escapeHTML(note))</div>" }
            html += "<tr><td>\(escapeHTML(task.name))</td><td>\(task.assessment.map { String(format: "%.3f", $0.score) } ?? "")</td>"
                + "<td>\(means)</td><td>\(task.oracleCalls) (\(task.trainingCalls))</td><td>\(task.decoded)</td>"
                + "<td>\(String(format: "%.1f", task.seconds))</td><td class=\"ex\">\(best)</td></tr>"
        }
        return html + "</table>"
    }

    private func stripDeclaration(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
        return String(svg[end.upperBound...])
    }
}
