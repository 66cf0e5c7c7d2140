import Analytics
import Foundation

/// The report's sections after the overview: matrix, maps, scenarios, tasks, quality and methods.
extension HTMLReport {
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
            let title = l.beforeReorganisation(values, data)
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
    /// answers to its inverse questions in words. With `changedOnly`, only the targets a scenario changes; a
    /// scenario that changes none of them says so, rather than leaving the report without a word.
    static func scenarios(_ data: ReportData, _ l: Labels, units: Set<String>, changedOnly: Bool) -> String {
        let all = data.scenarios.filter { units.contains($0.unitCode) }
        let lines = all.filter { line in
            !changedOnly || line.median != line.baselineMedian || line.probability != line.baselineProbability
        }
        let gains = data.gains.filter { units.contains($0.unitCode) }
        guard !all.isEmpty || !gains.isEmpty else { return "" }
        var rowOf: [String: ScorecardRow] = [:]
        for row in data.scorecard where rowOf[row.targetID] == nil { rowOf[row.targetID] = row }
        var names: [String] = []
        for name in all.map(\.scenario) + gains.map(\.scenario) where !names.contains(name) { names.append(name) }
        let currentYear = Int(data.generatedAt.prefix(4)) ?? 0
        return section("scenarios", l.scenarios) {
            var html = ""
            for name in names {
                html += "<h3>" + escape(name) + "</h3>\n"
                if let description = data.scenarioDescriptions[name] { html += "<p>" + escape(description) + "</p>\n" }
                let own = lines.filter { $0.scenario == name }
                if own.isEmpty && !gains.contains(where: { $0.scenario == name }) { html += "<p>" + escape(l.changesNothing) + "</p>\n" }
                if !own.isEmpty {
                    html += table(l.scenarioColumns, own.map { line in
                        let row = rowOf[line.targetID]
                        // A difference of two percentages is in percentage points, not in percent.
                        let unit = row.map { $0.unitOfMeasure == "percent" ? l.percentagePoints : l.unit($0.unitOfMeasure) } ?? ""
                        return [escape(line.targetID + (row.map { " – " + l.indicator($0, data) } ?? "")),
                                escape(line.unitName), escape(l.scenarioYear(line.year, currentYear: currentYear)),
                                escape(l.chance(line.probability, decimals: 1) + " (" + l.chance(line.baselineProbability, decimals: 1)
                                       + ") · " + l.signed((line.probability - line.baselineProbability) * 100, decimals: 1) + " " + l.percentagePoints),
                                escape(l.number(line.median) + " [" + l.number(line.lower80) + "; " + l.number(line.upper80) + "] ("
                                       + l.number(line.baselineMedian) + ") · " + l.signed(line.median - line.baselineMedian) + " " + unit)]
                    }, numeric: [2])
                }
                for gain in gains where gain.scenario == name {
                    let row = rowOf[gain.targetID]
                    html += "<p>" + escape(l.inverseAnswer(gain, row: row, unitName: unitName(gain.unitCode, data),
                                                           indicator: row.map { l.indicator($0, data) } ?? gain.targetID,
                                                           currentYear: currentYear)) + "</p>\n"
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
