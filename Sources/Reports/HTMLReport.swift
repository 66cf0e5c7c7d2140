import Analytics
import Foundation

/// The language of a report's labels (data text such as unit names stays as stored).
public enum ReportLanguage: String, Sendable, CaseIterable {
    case vi, en
}

/// Self-contained HTML reports: inline CSS and SVG, no script, nothing fetched; every string from data escaped.
///
/// The national report has an overview of every target, the units x targets matrix, a trend chart per target,
/// maps of the 34 provinces (and of the 63 before the reorganisation), the scenarios, the appendix tasks by
/// lead agency, data freshness and quality, and the methods. A unit's page has its own targets and charts.
public enum HTMLReport {
    /// Escapes text for HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// The national report. `unitPages` maps unit codes to the relative paths of their pages, linked from the
    /// matrix and listed at the end.
    public static func national(_ data: ReportData, unitPages: [String: String] = [:]) -> String {
        let l = Labels(data.language)
        var html = head(data, title: data.title)
        let headline = headlineRows(data.scorecard)
        html += summary(data, headline: headline, l)
        html += section("overview", l.overview) { overview(headline, data, l) }
        html += matrix(data, l, unitPages: unitPages)
        html += section("trends", l.trends) {
            headline.compactMap { row -> String? in
                guard let chart = data.charts[TrendChart.key(target: row.targetID, unit: row.unitCode)] else { return nil }
                let unit = row.unitCode == "*" ? l.nationAddedUp : row.unitName
                return figure(SVG.trend(chart, row: row, labels: l), caption: row.clause + " – " + l.indicator(row, data) + " (" + unit + ")",
                              cls: row.basis == "observed" ? "judged" : nil)
            }.joined().wrapped(in: "div", cls: "charts") + "<p class=\"legend\">" + escape(l.chartLegend) + "</p>"
                + "<p class=\"legend print-only\">" + escape(l.chartsOnPaper) + "</p>"
        }
        html += maps(data, l)
        html += scenarios(data, l, units: ["VN"], changedOnly: true)
        html += tasks(data, l)
        html += quality(data, l)
        html += methods(l)
        if !unitPages.isEmpty {
            html += section("units", l.unitPages) {
                "<ul class=\"units\">" + unitPages.sorted { $0.key < $1.key }.map { code, path in
                    "<li><a href=\"\(escape(path))\">\(escape(unitName(code, data)))</a></li>"
                }.joined() + "</ul>"
            }
        }
        return html + "</body>\n</html>\n"
    }

    /// The page of one unit: its targets with a sentence each, their trend charts, and its scenario results.
    public static func unit(_ data: ReportData, code: String, indexPath: String? = nil) -> String {
        let l = Labels(data.language)
        let rows = data.scorecard.filter { $0.unitCode == code }
        let name = rows.first?.unitName ?? code
        var html = head(data, title: data.title + " – " + name)
        if let indexPath { html += "<p><a href=\"\(escape(indexPath))\">\(escape(l.backToIndex))</a></p>\n" }
        html += section("overview", l.overview) {
            rows.isEmpty ? "<p>\(escape(l.noRows))</p>" : overview(rows, data, l)
        }
        html += section("trends", l.trends) {
            rows.compactMap { row -> String? in
                guard let chart = data.charts[TrendChart.key(target: row.targetID, unit: code)] else { return nil }
                return figure(SVG.trend(chart, row: row, labels: l), caption: row.clause + " – " + l.indicator(row, data))
            }.joined().wrapped(in: "div", cls: "charts") + "<p class=\"legend\">" + escape(l.chartLegend) + "</p>"
        }
        html += scenarios(data, l, units: [code], changedOnly: false)
        html += methods(l)
        return html + "</body>\n</html>\n"
    }

    /// The index of the unit pages.
    public static func index(_ data: ReportData, pages: [(code: String, path: String)], nationalPath: String) -> String {
        let l = Labels(data.language)
        var html = head(data, title: data.title + " – " + l.unitPages)
        html += "<p><a href=\"\(escape(nationalPath))\">\(escape(l.nationalReport))</a></p>\n"
        html += "<ul class=\"units\">" + pages.map { page in
            "<li><a href=\"\(escape(page.path))\">\(escape(unitName(page.code, data)))</a></li>"
        }.joined() + "</ul>\n"
        return html + "</body>\n</html>\n"
    }

    // MARK: - Parts

    static let css = """
        @page { size: A4; margin: 12mm; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem; color: #1b1b1b; line-height: 1.35; }
        h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 2px solid #0072B2; padding-bottom: 0.2rem; margin-top: 2rem; }
        table { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin: 0.5rem 0; }
        th, td { border: 1px solid #c8c8c8; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
        th { background: #f0f0f0; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .chip { display: inline-block; padding: 0.05rem 0.35rem; border-radius: 0.25rem; font-weight: 600; font-size: 0.8rem; white-space: nowrap; }
        .matrix td { text-align: center; padding: 0.15rem; } .matrix th.unit, .matrix td.unit { text-align: left; white-space: nowrap; }
        .matrix .chip { font-size: 0.7rem; }
        .banner { background: #fff3cd; border: 2px solid #b58100; padding: 0.6rem; font-weight: bold; }
        figure { margin: 0.8rem 0; break-inside: avoid; page-break-inside: avoid; }
        figcaption { font-size: 0.85rem; color: #333; }
        svg.chart { width: 100%; max-width: 560px; height: auto; font-size: 10px; }
        svg.map { width: 100%; max-width: 300px; height: auto; }
        svg.map use { stroke: #ffffff; stroke-width: 0.6; }
        svg.map .archipelago { font-size: 7px; fill: #1b1b1b; }
        svg.map .key { font-size: 6px; fill: #1b1b1b; stroke: #ffffff; stroke-width: 1.6px; paint-order: stroke; font-weight: 600; }
        svg.defs { position: absolute; }
        .maps, .charts { display: flex; flex-wrap: wrap; gap: 0 1.5rem; } .maps figure { width: 300px; } .charts figure { width: 560px; }
        .grid { stroke: #e2e2e2; } .tick { fill: #555; } .note { fill: #333; font-size: 9px; }
        .target { stroke: #1b1b1b; stroke-dasharray: 5 3; } .deadline { stroke: #CC79A7; stroke-width: 1.5; }
        .reorg { stroke: #777; stroke-dasharray: 2 2; }
        .fan95 { fill: #56B4E9; fill-opacity: 0.25; } .fan80 { fill: #56B4E9; fill-opacity: 0.45; }
        polyline.history { fill: none; stroke: #0072B2; stroke-width: 2; } circle.history { fill: #0072B2; }
        polyline.forecast { fill: none; stroke: #0072B2; stroke-width: 1.5; stroke-dasharray: 4 3; }
        .legend { font-size: 0.8rem; color: #333; }
        .overdue { color: #D55E00; font-weight: bold; }
        section { break-inside: auto; } tr, .chip { break-inside: avoid; page-break-inside: avoid; }
        thead { display: table-header-group; }
        ul.units { columns: 3; font-size: 0.85rem; }
        td { overflow-wrap: anywhere; } .provenance p { margin: 0.2rem 0; font-size: 0.85rem; color: #333; }
        tr.clause th { background: #e8eef5; font-weight: 600; }
        small.sentence, small.method { color: #333; } small.method { display: block; } ul.items, ol.items { padding-left: 1.2rem; } ul.items li, ol.items li { margin: 0.15rem 0; }
        svg { max-width: 100%; }
        @media (max-width: 640px) {
          body { margin: 0.75rem; } ul.units { columns: 1; }
          table.cards, table.cards tbody, table.cards tr, table.cards td, table.cards th { display: block; width: auto; }
          table.cards thead { display: none; }
          table.cards tr { border: 1px solid #c8c8c8; margin: 0 0 0.5rem; display: flex; flex-direction: column; }
          table.overview.cards td:last-child { order: -1; } table.matrix.cards tr { flex-flow: row wrap; }
          table.cards td, table.cards th { border: none; text-align: left; white-space: normal; }
          table.cards td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: #333; }
          table.matrix.cards td { display: inline-block; } table.matrix.cards td.unit { display: block; font-weight: 600; }
          .charts figure, .maps figure { width: 100%; }
          svg.chart { font-size: 15px; } svg.chart .note { font-size: 13px; }
        }
        .print-only { display: none; }
        @media print { body { margin: 0; font-size: 8.5pt; line-height: 1.25; } h1 { font-size: 14pt; margin: 0 0 4pt; }
          h2 { font-size: 11pt; margin: 8pt 0 3pt; break-after: avoid; page-break-after: avoid; } h3 { font-size: 9pt; margin: 5pt 0 2pt; }
          p { margin: 2pt 0; } table { font-size: 7pt; margin: 2pt 0; line-height: 1.15; } th, td { padding: 0.5pt 2.5pt; } .chip { font-size: 6.5pt; padding: 0 2pt; }
          .banner { padding: 3pt; } small.sentence, small.method { display: none; } .print-only { display: block; }
          table.overview { table-layout: fixed; } table.overview tr.clause th { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
          table.overview thead th:nth-child(1) { width: 37%; } table.overview thead th:nth-child(2) { width: 11%; }
          table.overview thead th:nth-child(3), table.overview thead th:nth-child(4) { width: 10%; }
          table.overview thead th:nth-child(5) { width: 18%; } table.overview thead th:nth-child(6) { width: 14%; }
          table.overview { font-size: 6.6pt; } table.overview .chip { white-space: normal; font-size: 6pt; }
          .charts figure { width: 31%; margin: 2pt 0; } .charts figure.judged { display: none; } .charts, .maps { gap: 0 2%; }
          .maps figure { width: 23%; margin: 2pt 0; } figcaption { font-size: 6.5pt; }
          ul.units { columns: 4; font-size: 7pt; } a { color: inherit; text-decoration: none; } }
        """

    static func head(_ data: ReportData, title: String) -> String {
        let l = Labels(data.language)
        var html = """
            <!DOCTYPE html>
            <html lang="\(data.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            \(css)
            </style>
            </head>
            <body>
            <h1>\(escape(title))</h1>

            """
        if data.synthetic { html += "<p class=\"banner\">\(escape(l.synthetic))</p>\n" }
        for (heading, lines) in [(l.failedSteps, data.failedSteps), (l.stale, data.warnings)] where !lines.isEmpty {
            html += "<div class=\"banner\"><p>\(escape(heading))</p><ul>"
                + lines.map { "<li>\(escape($0))</li>" }.joined() + "</ul></div>\n"
        }
        return html + provenance(data, l)
    }

    /// A section of the page; `id` names it for links and for the print check.
    static func section(_ id: String, _ title: String, _ body: () -> String) -> String {
        "<section id=\"\(id)\">\n<h2>\(escape(title))</h2>\n" + body() + "\n</section>\n"
    }

    static func figure(_ svg: String, caption: String, cls: String? = nil) -> String {
        "<figure" + (cls.map { " class=\"\($0)\"" } ?? "") + ">" + svg + "<figcaption>\(escape(caption))</figcaption></figure>\n"
    }

    /// A table of already-escaped cells; `numeric` columns are right-aligned. On a phone each row is a card
    /// whose cells are labelled with their column.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = [], cls: String = "cards") -> String {
        "<table class=\"\(cls)\"><thead><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            + rows.map { cells in
                "<tr>" + cells.enumerated().map { i, cell in
                    "<td data-label=\"\(escape(i < header.count ? header[i] : ""))\"" + (numeric.contains(i) ? " class=\"num\"" : "") + ">\(cell)</td>"
                }.joined() + "</tr>\n"
            }.joined() + "</tbody></table>\n"
    }
}

extension String {
    /// The text inside an element of class `cls`.
    func wrapped(in element: String, cls: String) -> String { "<\(element) class=\"\(cls)\">" + self + "</\(element)>" }
}
