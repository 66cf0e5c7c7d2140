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
        small.sentence { color: #333; } ul.items, ol.items { padding-left: 1.2rem; } ul.items li, ol.items li { margin: 0.15rem 0; }
        svg { max-width: 100%; }
        @media (max-width: 640px) {
          body { margin: 0.75rem; } ul.units { columns: 1; }
          table.cards, table.cards tbody, table.cards tr, table.cards td, table.cards th { display: block; width: auto; }
          table.cards thead { display: none; }
          table.cards tr { border: 1px solid #c8c8c8; margin: 0 0 0.5rem; display: flex; flex-direction: column; }
          table.overview.cards td:last-child { order: -1; } table.matrix.cards tr { flex-flow: row wrap; }
          table.cards td, table.cards th { border: none; text-align: left; white-space: normal; }
          table.cards td::before { content: attr(data-label) ": "; font-weight: 600; color: #333; }
          table.matrix.cards td { display: inline-block; } table.matrix.cards td.unit { display: block; font-weight: 600; }
          .charts figure, .maps figure { width: 100%; }
        }
        .print-only { display: none; }
        @media print { body { margin: 0; font-size: 8.5pt; line-height: 1.25; } h1 { font-size: 14pt; margin: 0 0 4pt; }
          h2 { font-size: 11pt; margin: 8pt 0 3pt; break-after: avoid; page-break-after: avoid; } h3 { font-size: 9pt; margin: 5pt 0 2pt; }
          p { margin: 2pt 0; } table { font-size: 7pt; margin: 2pt 0; line-height: 1.15; } th, td { padding: 0.5pt 2.5pt; } .chip { font-size: 6.5pt; padding: 0 2pt; }
          .banner { padding: 3pt; } small.sentence { display: none; } .print-only { display: block; }
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
        if !data.warnings.isEmpty {
            html += "<div class=\"banner\"><p>\(escape(l.stale))</p><ul>"
                + data.warnings.map { "<li>\(escape($0))</li>" }.joined() + "</ul></div>\n"
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

    /// What produced the page: when, by which runs with which settings, on data of which dates, by which
    /// program; whether the data is real.
    static func provenance(_ data: ReportData, _ l: Labels) -> String {
        "<div class=\"provenance\">" + l.provenance(data).map { "<p>" + escape($0) + "</p>" }.joined() + "</div>\n"
    }

    /// The first page: the targets counted by headline status, those needing attention, the units furthest
    /// behind, and what moved since the previous report.
    static func summary(_ data: ReportData, headline: [ScorecardRow], _ l: Labels) -> String {
        let year = Int(data.generatedAt.prefix(4)) ?? 0
        let previous = data.previous
        let summary = ReportSummary(headline: headline, rows: data.scorecard, previous: previous?.statuses, currentYear: year)
        func counts(_ counts: [String: Int]) -> String {
            (HeadlineStatus.allCases.map(\.rawValue) + ["no data"]).compactMap { status in
                counts[status].map { chip(status, l) + " " + String($0) }
            }.joined(separator: " · ")
        }
        func item(_ row: ScorecardRow) -> String {
            "<li>" + chip(row.status, l, short: true) + " <strong>" + escape(row.clause) + "</strong> " + escape(l.indicator(row, data))
                + (row.unitCode == "VN" || row.unitCode == "*" ? "" : " (" + escape(row.unitName) + ")") + ": "
                + escape(l.standing(row)) + "</li>"
        }
        func list(_ rows: [ScorecardRow], limit: Int = 6) -> String {
            "<ul class=\"items\">" + rows.prefix(limit).map { item($0) }.joined()
                + (rows.count > limit ? "<li>" + escape(l.andMore(rows.count - limit)) + "</li>" : "") + "</ul>\n"
        }
        return section("summary", l.summary) {
            var html = "<p>" + escape(l.passedTargets(summary.passed.values.reduce(0, +))) + " " + counts(summary.passed) + "</p>\n"
            html += "<p>" + escape(l.aheadTargets(summary.ahead.values.reduce(0, +))) + " " + counts(summary.ahead) + "</p>\n"
            if !summary.attention.isEmpty { html += "<h3>" + escape(l.needsAttention) + "</h3>\n" + list(summary.attention) }
            if !summary.missed.isEmpty { html += "<h3>" + escape(l.missedTargets) + "</h3>\n" + list(summary.missed) }
            if !summary.unitsBehind.isEmpty {
                html += "<h3>" + escape(l.unitsBehind) + "</h3>\n<ol class=\"items\">" + summary.unitsBehind.prefix(5).map { unit in
                    "<li><strong>" + escape(unit.name) + "</strong>: " + escape(l.behind(unit)) + "</li>"
                }.joined() + "</ol>\n"
            }
            html += "<h3>" + escape(l.sincePrevious(previous.map { ($0.runID, l.timestamp($0.writtenAt)) })) + "</h3>\n"
            guard let previous else { return html + "<p>" + escape(l.firstReport) + "</p>\n" }
            let kinds = ReportSummary.StatusChange.Kind.allCases
            html += "<p>" + kinds.map { kind in
                escape(l.changeKind(kind)) + ": " + String(summary.changes.filter { $0.kind == kind }.count)
            }.joined(separator: " · ") + "</p>\n"
            for kind in kinds {
                let changes = summary.changes.filter { $0.kind == kind }
                    .sorted { ($0.row.unitCode == "VN" ? 0 : 1, $0.row.targetID, $0.row.unitCode) < ($1.row.unitCode == "VN" ? 0 : 1, $1.row.targetID, $1.row.unitCode) }
                guard !changes.isEmpty else { continue }
                html += "<p class=\"legend\">" + escape(l.changeKind(kind)) + ": " + changes.prefix(8).map { change in
                    escape(change.row.clause + " " + change.row.unitName + " (" + l.status(change.before) + " → " + l.status(change.row.status) + ")")
                }.joined(separator: "; ") + (changes.count > 8 ? "; " + escape(l.andMore(changes.count - 8)) : "") + "</p>\n"
            }
            // The previous report's forecast for the latest year observed now, beside what was observed.
            let checks = headline.compactMap { row -> [String]? in
                guard let year = row.latestYear, let value = row.latestValue,
                      let forecast = previous.forecasts[TrendChart.key(target: row.targetID, unit: row.unitCode)]?[year] else { return nil }
                let inside = (forecast.lower95 ?? -.infinity) <= value && value <= (forecast.upper95 ?? .infinity)
                return [escape(row.clause), escape(l.indicator(row, data)), String(year),
                        escape(l.number(forecast.value) + (forecast.lower95.map { " [" + l.number($0) + "; " + l.number(forecast.upper95) + "]" } ?? "")),
                        escape(l.number(value)), escape(inside ? l.withinInterval : l.outsideInterval)]
            }
            if !checks.isEmpty {
                html += "<h3>" + escape(l.forecastCheck) + "</h3>\n" + table(l.forecastCheckColumns, checks, numeric: [2, 3, 4])
            }
            return html
        }
    }

    /// The targets grouped under their clause: per row the indicator, the unit (or how the units of a
    /// combination stand), the values, the status and the sentence to read aloud.
    static func overview(_ rows: [ScorecardRow], _ data: ReportData, _ l: Labels) -> String {
        var html = "<table class=\"overview cards\"><thead><tr>" + l.overviewColumns.map { "<th>\(escape($0))</th>" }.joined()
            + "</tr></thead><tbody>\n"
        var clause: String?, clauseText: String?
        for row in rows {
            if row.clause != clause {
                clause = row.clause
                clauseText = l.text(row)
                html += "<tr class=\"clause\"><th colspan=\"\(l.overviewColumns.count)\">" + escape(row.clause + " – " + l.text(row)) + "</th></tr>\n"
            }
            let unit = row.unitCode == "*"
                ? escape(l.units(row.unitsByStatus.values.reduce(0, +))) + ": " + HeadlineStatus.allCases.compactMap { status in
                    row.unitsByStatus[status.rawValue].map { chip(status.rawValue, l, short: true) + " " + String($0) }
                }.joined(separator: " ")
                : escape(row.unitName)
            let own = l.text(row) == clauseText ? "" : "<br>" + escape(l.text(row))
            let cells = ["<strong>" + escape(l.indicator(row, data)) + "</strong>" + own
                            + "<br><small class=\"sentence\">" + escape(Explanation.sentence(row, language: l.language)) + "</small>",
                         unit, number(row.latestValue, year: row.latestYear, l),
                         escape("\(l.comparator(row.comparator)) \(l.compact(row.threshold)) \(l.unit(row.unitOfMeasure)) (\(row.deadline))"),
                         deadlineValue(row, l), chip(row.status, l)]
            html += "<tr>" + zip(l.overviewColumns, cells).enumerated().map { i, pair in
                "<td data-label=\"\(escape(pair.0))\"" + (i == 2 ? " class=\"num\"" : "") + ">" + pair.1 + "</td>"
            }.joined() + "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    static func chip(_ status: String, _ l: Labels, short: Bool = false) -> String {
        let colours = Palette.status(status)
        return "<span class=\"chip\" style=\"background:\(colours.background);color:\(colours.text)\">"
            + escape(short ? l.shortStatus(status) : l.status(status)) + "</span>"
    }

    static func number(_ value: Double?, year: Int? = nil, _ l: Labels) -> String {
        guard let value else { return "–" }
        return escape(l.number(value) + (year.map { " (\($0))" } ?? ""))
    }

    static func deadlineValue(_ row: ScorecardRow, _ l: Labels) -> String {
        guard let value = row.valueAtDeadline else { return "–" }
        var text = l.number(value) + " (\(row.assessedYear ?? row.deadline), " + l.basis(row.basis) + ")"
        if row.basis == "forecast", let low = row.forecastLower95, let high = row.forecastUpper95 {
            text += " [\(l.number(low)); \(l.number(high))]"
        }
        if let p = row.probability, row.basis == "forecast" { text += " · P = \(l.number(p * 100, decimals: 0))%" }
        return escape(text)
    }

    /// One row per target: the nation's when it has one, else the combination of its units, else its one unit.
    public static func headlineRows(_ rows: [ScorecardRow]) -> [ScorecardRow] {
        var order: [String] = []
        var byTarget: [String: [ScorecardRow]] = [:]
        for row in rows {
            if byTarget[row.targetID] == nil { order.append(row.targetID) }
            byTarget[row.targetID, default: []].append(row)
        }
        return order.compactMap { id in
            let rows = byTarget[id] ?? []
            return rows.first { $0.unitCode == "VN" } ?? rows.first
        }
    }

    static func unitName(_ code: String, _ data: ReportData) -> String {
        data.scorecard.first { $0.unitCode == code }?.unitName ?? ""
    }

    /// The provinces x targets matrix, with a text label in every cell.
    static func matrix(_ data: ReportData, _ l: Labels, unitPages: [String: String]) -> String {
        let provinceRows = data.scorecard.filter { $0.unitCode != "*" && $0.unitCode != "VN" && ReportSummary.isProvince($0.unitCode) }
        guard !provinceRows.isEmpty else { return "" }
        var targets: [String] = []
        var units: [(String, String)] = []
        var cells: [String: String] = [:]
        for row in provinceRows {
            if !targets.contains(row.targetID) { targets.append(row.targetID) }
            if !units.contains(where: { $0.0 == row.unitCode }) { units.append((row.unitCode, row.unitName)) }
            cells[row.targetID + "|" + row.unitCode] = row.status
        }
        units.sort { $0.0 < $1.0 }
        let labels = targetLabels(provinceRows, l)
        return section("matrix", l.matrix) {
            var html = "<p class=\"legend\">" + escape(l.legendTitle) + " " + Palette.legend.map { chip($0, l) }.joined(separator: " ")
                + " " + chip("no data", l) + "</p>\n"
            html += "<table class=\"matrix cards\"><thead><tr><th class=\"unit\">\(escape(l.unitColumn))</th>"
                + targets.map { "<th>\(escape(labels[$0] ?? $0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for (code, name) in units {
                let label = escape(name)
                let unitCell = unitPages[code].map { "<a href=\"\(escape($0))\">\(label)</a>" } ?? label
                html += "<tr><td class=\"unit\">\(unitCell)</td>"
                    + targets.map { "<td data-label=\"\(escape(labels[$0] ?? $0))\">" + chip(cells[$0 + "|" + code] ?? "no data", l, short: true) + "</td>" }.joined() + "</tr>\n"
            }
            return html + "</tbody></table>\n"
        }
    }

    /// How a reader tells the targets of `rows` apart: by their clause, and where a clause has several, by
    /// their threshold too ("III.3.d ≥ 90").
    static func targetLabels(_ rows: [ScorecardRow], _ l: Labels) -> [String: String] {
        var first: [String: ScorecardRow] = [:]
        for row in rows where first[row.targetID] == nil { first[row.targetID] = row }
        let shared = Dictionary(grouping: first.values, by: \.clause).filter { $0.value.count > 1 }
        return first.mapValues { row in
            shared[row.clause] == nil ? row.clause : row.clause + " " + l.comparator(row.comparator) + " " + l.compact(row.threshold)
        }
    }

    static func maps(_ data: ReportData, _ l: Labels) -> String {
        guard let shapes = data.provinces else { return "" }
        var statuses: [String: [String: String]] = [:]
        var order: [String] = []
        var rowOf: [String: ScorecardRow] = [:]
        for row in data.scorecard where ReportSummary.isProvince(row.unitCode) {
            if statuses[row.targetID] == nil { order.append(row.targetID); rowOf[row.targetID] = row }
            statuses[row.targetID, default: [:]][row.unitCode] = row.status
        }
        let labels = targetLabels(data.scorecard.filter { ReportSummary.isProvince($0.unitCode) }, l)
        var html = SVG.shapes(shapes, prefix: "p34")
        html += "<div class=\"maps\">"
        for target in order {
            guard let row = rowOf[target], let byUnit = statuses[target] else { continue }
            let title = row.clause + " – " + l.text(row)
            html += figure(SVG.map(shapes, prefix: "p34", title: title, archipelago: l.archipelago) { code in
                byUnit[code].map { (Palette.status($0).background, l.status($0)) }
            }, caption: (labels[row.targetID] ?? row.clause) + ": " + l.indicator(row, data))
        }
        html += "</div>\n" + mapKey(shapes, l.mapKey34)
        if let old = data.oldProvinces, let values = data.beforeReorganisation {
            let numbers = values.values.values
            let low = values.unitOfMeasure == "percent" ? 0 : numbers.min() ?? 0
            let high = values.unitOfMeasure == "percent" ? 100 : numbers.max() ?? 1
            html += SVG.shapes(old, prefix: "p63")
            let title = l.beforeReorganisation(values)
            html += figure(SVG.map(old, prefix: "p63", title: title, archipelago: l.archipelago) { code in
                values.values[code].map { (Palette.sequential[Palette.bin($0, low: low, high: high)], l.number($0)) }
            }, caption: title)
            html += "<p class=\"legend\">" + (0..<5).map { i in
                let from = low + (high - low) * Double(i) / 5, to = low + (high - low) * Double(i + 1) / 5
                return "<span class=\"chip\" style=\"background:\(Palette.sequential[i]);color:\(i > 2 ? "#ffffff" : "#1b1b1b")\">"
                    + escape(l.compact(from, decimals: 1) + "–" + l.compact(to, decimals: 1)) + "</span>"
            }.joined(separator: " ") + "</p>\n" + mapKey(old, l.mapKey63)
        }
        return section("maps", l.maps) {
            "<p class=\"legend\">" + escape(l.legendTitle) + " " + Palette.legend.map { chip($0, l) }.joined(separator: " ")
                + " " + chip("no data", l) + "</p>\n" + html + "<p class=\"legend\">" + escape(l.mapNote) + "</p>"
        }
    }

    /// The key of a map's numbers: each province's number and name, so the map reads on paper and phones.
    static func mapKey(_ shapes: ProvinceShapes, _ title: String) -> String {
        let numbers = shapes.keyNumbers
        return "<p class=\"legend mapkey\"><strong>" + escape(title) + "</strong> " + shapes.shapes.sorted { $0.code < $1.code }
            .compactMap { shape in numbers[shape.code].map { "\($0) " + escape(shape.name) } }.joined(separator: " · ") + "</p>\n"
    }

    /// The scenario results of `units`, scenario by scenario: what it assumes, then per target the chance of
    /// meeting it and the median in the year judged beside the baseline's, with the difference; then the
    /// answers to its inverse questions in words. With `changedOnly`, only the targets a scenario changes.
    static func scenarios(_ data: ReportData, _ l: Labels, units: Set<String>, changedOnly: Bool) -> String {
        let lines = data.scenarios.filter { line in
            units.contains(line.unitCode)
                && (!changedOnly || line.median != line.baselineMedian || line.probability != line.baselineProbability)
        }
        let gains = data.gains.filter { units.contains($0.unitCode) }
        guard !lines.isEmpty || !gains.isEmpty else { return "" }
        var rowOf: [String: ScorecardRow] = [:]
        for row in data.scorecard where rowOf[row.targetID] == nil { rowOf[row.targetID] = row }
        var names: [String] = []
        for name in lines.map(\.scenario) + gains.map(\.scenario) where !names.contains(name) { names.append(name) }
        return section("scenarios", l.scenarios) {
            var html = ""
            for name in names {
                html += "<h3>" + escape(name) + "</h3>\n"
                if let description = data.scenarioDescriptions[name] { html += "<p>" + escape(description) + "</p>\n" }
                let own = lines.filter { $0.scenario == name }
                if !own.isEmpty {
                    html += table(l.scenarioColumns, own.map { line in
                        let row = rowOf[line.targetID]
                        let unit = row.map { l.unit($0.unitOfMeasure) } ?? ""
                        return [escape(line.targetID + (row.map { " – " + l.indicator($0, data) } ?? "")),
                                escape(line.unitName), String(line.year),
                                escape(l.number(line.probability * 100, decimals: 1) + "% (" + l.number(line.baselineProbability * 100, decimals: 1)
                                       + "%) · " + l.signed((line.probability - line.baselineProbability) * 100, decimals: 1) + " " + l.percentagePoints),
                                escape(l.number(line.median) + " [" + l.number(line.lower80) + "; " + l.number(line.upper80) + "] ("
                                       + l.number(line.baselineMedian) + ") · " + l.signed(line.median - line.baselineMedian) + " " + unit)]
                    }, numeric: [2])
                }
                for gain in gains where gain.scenario == name {
                    let row = rowOf[gain.targetID]
                    html += "<p>" + escape(l.inverseAnswer(gain, row: row, unitName: unitName(gain.unitCode, data),
                                                           indicator: row.map { l.indicator($0, data) } ?? gain.targetID)) + "</p>\n"
                }
            }
            return html + "<p class=\"legend\">" + escape(l.scenarioNote) + "</p>"
        }
    }

    /// The appendix tasks by the agency leading them now: how many stand where (with their numbers), then the
    /// overdue ones in full. The bodies the 2025 restructuring merged are named beside their successor.
    static func tasks(_ data: ReportData, _ l: Labels) -> String {
        guard !data.tasks.isEmpty else { return "" }
        let byAgency = Dictionary(grouping: data.tasks, by: \.leadAgencyNow)
        func count(_ agency: String, _ standing: String) -> Int { byAgency[agency]?.filter { $0.standing == standing }.count ?? 0 }
        let agencies = byAgency.keys.sorted { a, b in
            (count(b, "overdue"), count(b, "no report"), a) < (count(a, "overdue"), count(a, "no report"), b)
        }
        let rows = agencies.map { agency -> [String] in
            let tasks = byAgency[agency] ?? []
            let former = Dictionary(grouping: tasks.filter { $0.leadAgency != agency }, by: \.leadAgency)
                .sorted { $0.key < $1.key }.map { l.formerLead(l.agency($0.key, data.agencies), count: $0.value.count) }
            return [escape(l.agency(agency, data.agencies)) + former.map { "<br><small>" + escape($0) + "</small>" }.joined()]
                + TaskLine.standings.map { standing in
                    let ids = tasks.filter { $0.standing == standing }.map(\.id)
                    guard !ids.isEmpty else { return "0" }
                    let number = standing == "overdue" ? "<strong class=\"overdue\">\(ids.count)</strong>" : String(ids.count)
                    return number + "<br><small>" + escape(ids.joined(separator: ", ")) + "</small>"
                }
        }
        let overdue = data.tasks.filter { $0.standing == "overdue" }.sorted { ($0.endYear, $0.id) < ($1.endYear, $1.id) }
        return section("tasks", l.tasks) {
            "<p class=\"legend\">" + escape(l.taskNote) + "</p>\n"
                + table(l.taskColumns, rows)
                + "<h3>" + escape(l.overdueTasks) + "</h3>\n"
                + (overdue.isEmpty ? "<p>" + escape(l.noOverdueTasks) + "</p>\n"
                    : table(l.overdueColumns, overdue.map { task in
                        [escape(task.id), escape(l.agency(task.leadAgencyNow, data.agencies)),
                         escape(data.language == .vi ? task.textVI : task.textEN), String(task.endYear),
                         escape(l.taskStatus(task.status) + (task.statusDate.isEmpty ? "" : " (" + l.date(task.statusDate) + ")"))]
                    }))
        }
    }

    static func quality(_ data: ReportData, _ l: Labels) -> String {
        section("quality", l.quality) {
            var html = table(l.loadColumns, data.loads.map { load in
                [String(load.id), escape((load.file as NSString).lastPathComponent), escape(l.dataset(load.dataset)),
                 escape(l.loadStatus(load.status)), l.number(Double(load.rowsRead), decimals: 0),
                 l.number(Double(load.rowsLoaded), decimals: 0), l.number(Double(load.rowsRejected), decimals: 0),
                 escape((load.rejectsByReason.sorted { $0.key < $1.key }.map { "\(l.reason($0.key)): \($0.value)" }
                         + load.warningsByReason.sorted { $0.key < $1.key }.map { "\(l.reason($0.key)) (\(l.kept)): \($0.value)" })
                         .joined(separator: "; "))]
            }, numeric: [0, 4, 5, 6])
            html += "<h3>\(escape(l.latestPeriods))</h3>\n"
            // By indicator name, in a few columns: one line each.
            html += "<ul class=\"units\">" + data.latestPeriods.map { item in
                let name = data.indicators[item.indicator].map { l.language == .vi ? $0.vi : $0.en } ?? item.indicator
                return "<li>" + escape(name) + ": " + escape(item.period) + "</li>"
            }.joined() + "</ul>\n"
            return html
        }
    }

    static func methods(_ l: Labels) -> String {
        section("methods", l.methods) {
            "<ul>" + (l.methodCitations + l.methodNotes).map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
        }
    }
}

extension String {
    /// The text inside an element of class `cls`.
    func wrapped(in element: String, cls: String) -> String { "<\(element) class=\"\(cls)\">" + self + "</\(element)>" }
}
