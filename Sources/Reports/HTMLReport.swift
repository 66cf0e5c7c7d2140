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
        html += section(l.overview) { table(l.overviewColumns, headline.map { overviewCells($0, l) }, numeric: [3]) }
        html += matrix(data, l, unitPages: unitPages)
        html += section(l.trends) {
            headline.compactMap { row -> String? in
                guard let chart = data.charts[TrendChart.key(target: row.targetID, unit: row.unitCode)] else { return nil }
                let unit = row.unitCode == "*" ? l.nationAddedUp : row.unitName
                return figure(SVG.trend(chart, row: row, labels: l), caption: row.clause + " – " + l.text(row) + " (" + unit + ")")
            }.joined().wrapped(in: "div", cls: "charts") + "<p class=\"legend\">" + escape(l.chartLegend) + "</p>"
        }
        html += maps(data, l)
        html += scenarios(data, l, units: ["VN"], changedOnly: true)
        html += tasks(data, l)
        html += quality(data, l)
        html += methods(l)
        if !unitPages.isEmpty {
            html += section(l.unitPages) {
                "<ul class=\"units\">" + unitPages.sorted { $0.key < $1.key }.map { code, path in
                    "<li><a href=\"\(escape(path))\">\(escape(code)) \(escape(unitName(code, data)))</a></li>"
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
        html += section(l.overview) {
            rows.isEmpty ? "<p>\(escape(l.noRows))</p>" : table(l.overviewColumns, rows.map { overviewCells($0, l) }, numeric: [3])
        }
        html += section(l.trends) {
            rows.compactMap { row -> String? in
                guard let chart = data.charts[TrendChart.key(target: row.targetID, unit: code)] else { return nil }
                return figure(SVG.trend(chart, row: row, labels: l), caption: row.clause + " – " + l.text(row))
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
            "<li><a href=\"\(escape(page.path))\">\(escape(page.code)) \(escape(unitName(page.code, data)))</a></li>"
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
        @media print { body { margin: 0; font-size: 10pt; } h2 { break-after: avoid; page-break-after: avoid; }
          .maps figure, .charts figure { width: 47%; } a { color: inherit; text-decoration: none; } }
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
        html += "<p>\(escape(l.generated)) \(escape(l.timestamp(data.generatedAt))) · \(escape(l.run)) \(data.runID)</p>\n"
        return html
    }

    static func section(_ title: String, _ body: () -> String) -> String {
        "<section>\n<h2>\(escape(title))</h2>\n" + body() + "\n</section>\n"
    }

    static func figure(_ svg: String, caption: String) -> String {
        "<figure>" + svg + "<figcaption>\(escape(caption))</figcaption></figure>\n"
    }

    /// A table of already-escaped cells; `numeric` columns are right-aligned.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = [], cls: String? = nil) -> String {
        "<table" + (cls.map { " class=\"\($0)\"" } ?? "") + "><thead><tr>"
            + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            + rows.map { cells in
                "<tr>" + cells.enumerated().map { i, cell in numeric.contains(i) ? "<td class=\"num\">\(cell)</td>" : "<td>\(cell)</td>" }
                    .joined() + "</tr>\n"
            }.joined() + "</tbody></table>\n"
    }

    /// One target in one unit: its text with the sentence to read aloud, the values and the status.
    static func overviewCells(_ row: ScorecardRow, _ l: Labels) -> [String] {
        [escape(row.clause), escape(l.text(row)) + "<br><em>" + escape(Explanation.sentence(row, language: l.language)) + "</em>",
         escape(row.unitCode == "*" ? l.combined : row.unitName), number(row.latestValue, year: row.latestYear, l),
         escape("\(l.comparator(row.comparator)) \(l.compact(row.threshold)) \(l.unit(row.unitOfMeasure))"),
         String(row.deadline), deadlineValue(row, l), chip(row.status, l)]
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
    static func headlineRows(_ rows: [ScorecardRow]) -> [ScorecardRow] {
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
        let provinceRows = data.scorecard.filter { $0.unitCode != "*" && $0.unitCode != "VN" && isProvinceCode($0.unitCode) }
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
        let clauses = Dictionary(provinceRows.map { ($0.targetID, $0.clause) }, uniquingKeysWith: { a, _ in a })
        return section(l.matrix) {
            var html = "<p class=\"legend\">" + escape(l.legendTitle) + " " + Palette.legend.map { chip($0, l) }.joined(separator: " ")
                + " " + chip("no data", l) + "</p>\n"
            html += "<table class=\"matrix\"><thead><tr><th class=\"unit\">\(escape(l.unitColumn))</th>"
                + targets.map { "<th title=\"\(escape(clauses[$0] ?? $0))\">\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
            for (code, name) in units {
                let label = escape(code + " " + name)
                let unitCell = unitPages[code].map { "<a href=\"\(escape($0))\">\(label)</a>" } ?? label
                html += "<tr><td class=\"unit\">\(unitCell)</td>"
                    + targets.map { "<td>" + chip(cells[$0 + "|" + code] ?? "no data", l, short: true) + "</td>" }.joined() + "</tr>\n"
            }
            return html + "</tbody></table>\n"
        }
    }

    /// Province codes are two digits; region, nation and ministry codes are letters.
    static func isProvinceCode(_ code: String) -> Bool {
        code.count == 2 && code.allSatisfy(\.isNumber)
    }

    static func maps(_ data: ReportData, _ l: Labels) -> String {
        guard let shapes = data.provinces else { return "" }
        var statuses: [String: [String: String]] = [:]
        var order: [String] = []
        var rowOf: [String: ScorecardRow] = [:]
        for row in data.scorecard where isProvinceCode(row.unitCode) {
            if statuses[row.targetID] == nil { order.append(row.targetID); rowOf[row.targetID] = row }
            statuses[row.targetID, default: [:]][row.unitCode] = row.status
        }
        var html = SVG.shapes(shapes, prefix: "p34")
        html += "<div class=\"maps\">"
        for target in order {
            guard let row = rowOf[target], let byUnit = statuses[target] else { continue }
            let title = row.clause + " – " + l.text(row)
            html += figure(SVG.map(shapes, prefix: "p34", title: title, archipelago: l.archipelago) { code in
                byUnit[code].map { (Palette.status($0).background, l.status($0)) }
            }, caption: row.clause + ": " + l.shortText(row))
        }
        html += "</div>\n"
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
            }.joined(separator: " ") + "</p>\n"
        }
        return section(l.maps) {
            "<p class=\"legend\">" + escape(l.legendTitle) + " " + Palette.legend.map { chip($0, l) }.joined(separator: " ")
                + " " + chip("no data", l) + "</p>\n" + html + "<p class=\"legend\">" + escape(l.mapNote) + "</p>"
        }
    }

    /// The scenario results of `units`; with `changedOnly`, only the targets a scenario changes.
    static func scenarios(_ data: ReportData, _ l: Labels, units: Set<String>, changedOnly: Bool) -> String {
        let lines = data.scenarios.filter { line in
            units.contains(line.unitCode)
                && (!changedOnly || line.median != line.baselineMedian || line.probability != line.baselineProbability)
        }
        let gains = data.gains.filter { units.contains($0.unitCode) }
        guard !lines.isEmpty || !gains.isEmpty else { return "" }
        return section(l.scenarios) {
            var html = table(l.scenarioColumns, lines.map { line in
                [escape(line.scenario), escape(line.targetID), escape(line.unitCode + " " + line.unitName), String(line.year),
                 escape(l.number(line.probability * 100, decimals: 1) + "%"),
                 escape(l.number(line.baselineProbability * 100, decimals: 1) + "%"),
                 escape(l.number(line.median) + " [" + l.number(line.lower80) + "; "
                        + l.number(line.upper80) + "]"),
                 escape(l.number(line.baselineMedian))]
            }, numeric: [4, 5, 6, 7])
            if !gains.isEmpty {
                html += table(l.gainColumns, gains.map { gain in
                    [escape(gain.scenario), escape(gain.targetID), escape(gain.unitCode), escape(gain.gainUnits),
                     String(gain.fromYear), escape(l.number(gain.level * 100, decimals: 0) + "%"),
                     escape(gain.gain.map { l.number($0) } ?? l.notReachable)]
                }, numeric: [5, 6])
            }
            return html + "<p class=\"legend\">" + escape(l.scenarioNote) + "</p>"
        }
    }

    static func tasks(_ data: ReportData, _ l: Labels) -> String {
        guard !data.tasks.isEmpty else { return "" }
        let byAgency = Dictionary(grouping: data.tasks, by: \.leadAgency)
        // Agencies with overdue tasks first (most overdue first), then by code; within each, overdue first.
        let agencies = byAgency.keys.sorted { a, b in
            let oa = byAgency[a]?.filter(\.overdue).count ?? 0, ob = byAgency[b]?.filter(\.overdue).count ?? 0
            return oa != ob ? oa > ob : a < b
        }
        return section(l.tasks) {
            table(l.taskColumns, agencies.flatMap { agency in
                (byAgency[agency] ?? []).sorted { ($0.overdue ? 0 : 1, $0.endYear, $0.id) < ($1.overdue ? 0 : 1, $1.endYear, $1.id) }
                    .map { task in
                        [escape(agency), escape(task.id), escape(data.language == .vi ? task.textVI : task.textEN),
                         String(task.endYear), escape(task.status.isEmpty ? "–" : l.taskStatus(task.status)
                                                      + (task.statusDate.isEmpty ? "" : " (\(task.statusDate))")),
                         task.overdue ? "<span class=\"overdue\">\(escape(l.overdue))</span>" : ""]
                    }
            })
        }
    }

    static func quality(_ data: ReportData, _ l: Labels) -> String {
        section(l.quality) {
            var html = table(l.loadColumns, data.loads.map { load in
                [String(load.id), escape((load.file as NSString).lastPathComponent), escape(load.dataset), escape(load.status),
                 String(load.rowsRead), String(load.rowsLoaded), String(load.rowsRejected),
                 escape((load.rejectsByReason.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                         + load.warningsByReason.sorted { $0.key < $1.key }.map { "\($0.key) (\(l.kept)): \($0.value)" })
                         .joined(separator: "; "))]
            }, numeric: [0, 4, 5, 6])
            html += "<h3>\(escape(l.latestPeriods))</h3>\n"
            html += table(l.latestColumns, data.latestPeriods.map { [escape($0.indicator), escape($0.period)] })
            return html
        }
    }

    static func methods(_ l: Labels) -> String {
        section(l.methods) {
            "<ul>" + [ProgressMeasure.citation, ProjectedValueRatio.citation, ESCAPStyleIndex.citation]
                .map { "<li>\(escape($0))</li>" }.joined() + l.methodNotes.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
        }
    }
}

extension String {
    /// The text inside an element of class `cls`.
    func wrapped(in element: String, cls: String) -> String { "<\(element) class=\"\(cls)\">" + self + "</\(element)>" }
}
