import Analytics
import Foundation

/// The first page of a report: what produced it, what it says, and the overview by clause.
extension HTMLReport {
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
            } else {
                // Say why the list is missing: no province is behind, or their years judged have no figure yet.
                let provinces = data.scorecard.filter { ReportSummary.isProvince($0.unitCode) }
                if !provinces.isEmpty {
                    let unknown = provinces.filter { $0.status == HeadlineStatus.noDataForDeadline.rawValue }.count
                    html += "<h3>" + escape(l.unitsBehind) + "</h3>\n<p>" + escape(l.noneBehind(unknown: unknown, of: provinces.count)) + "</p>\n"
                }
            }
            html += "<h3>" + escape(l.sincePrevious(previous.map { ($0.runID, l.timestamp($0.writtenAt)) })) + "</h3>\n"
            guard let previous else { return html + "<p>" + escape(l.firstReport(assessmentRun: data.provenance.assessmentRun)) + "</p>\n" }
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
                         unit, escape(row.latestValue.map { l.figure($0, of: row) + (row.latestYear.map { " (\($0))" } ?? "") } ?? "–"),
                         escape("\(l.comparator(row.comparator)) \(l.compact(row.threshold)) \(l.unit(row.unitOfMeasure)) (\(row.deadline))"),
                         deadlineValue(row, l),
                         chip(row.status, l) + l.methodClasses(row).map { "<small class=\"method\">" + escape($0) + "</small>" }.joined()]
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

    static func deadlineValue(_ row: ScorecardRow, _ l: Labels) -> String {
        guard let value = row.valueAtDeadline else { return "–" }
        var text = l.figure(value, of: row) + " (\(row.assessedYear ?? row.deadline), " + l.basis(row.basis) + ")"
        if row.basis == "forecast", let low = row.forecastLower95, let high = row.forecastUpper95 {
            text += " [\(l.number(low)); \(l.number(high))]"
        }
        if let p = row.probability, row.basis == "forecast" { text += " · " + l.probability(p) }
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
}
