import Analytics
import Foundation

/// Inline SVG for the HTML report: trend charts and maps, drawn from numbers only (no script, no fonts).
enum SVG {
    /// A coordinate or length with at most one decimal.
    static func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    /// The trend chart of one series: history, the forecast's 95% and 80% fans and its median, the target
    /// line, the deadline and the 1 July 2025 reorganisation. Ranks are drawn with 1 at the top.
    static func trend(_ chart: TrendChart, row: ScorecardRow, labels: Labels) -> String {
        let width = 560.0, height = 210.0, left = 46.0, right = 14.0, top = 14.0, bottom = 26.0
        let rank = row.unitOfMeasure == "rank", percent = row.unitOfMeasure == "percent"
        let firstYear = Double(min(chart.history.first?.year ?? row.deadline - 5, row.deadline - 1))
        let lastYear = Double(max(chart.forecasts.map(\.year).max() ?? row.deadline, row.deadline, chart.history.last?.year ?? 0))
        var values = chart.history.map(\.value) + [row.threshold]
        for f in chart.forecasts { values += [f.value] + [f.lower95, f.upper95].compactMap { $0 } }
        var low = values.min() ?? 0, high = values.max() ?? 1
        if percent { low = 0; high = 100 }
        if rank { low = 1 }
        if high - low < 1e-9 { high = low + 1 }
        let pad = percent ? 0 : (high - low) * 0.08
        low = rank ? low : max(percent ? 0 : -Double.infinity, low - pad)
        high += pad
        func x(_ year: Double) -> Double { left + (year - firstYear + 0.5) / (lastYear - firstYear + 1) * (width - left - right) }
        func y(_ value: Double) -> Double {
            let share = (value - low) / (high - low)
            return rank ? top + share * (height - top - bottom) : height - bottom - share * (height - top - bottom)
        }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\""
            + HTMLReport.escape(labels.chartLabel(row)) + "\">"
        // Grid and value labels.
        for i in 0...4 {
            let value = low + (high - low) * Double(i) / 4
            svg += "<line class=\"grid\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(y(value)))\" y2=\"\(n(y(value)))\"/>"
            svg += "<text class=\"tick\" x=\"\(n(left - 4))\" y=\"\(n(y(value) + 3))\" text-anchor=\"end\">"
                + HTMLReport.escape(labels.compact(value, decimals: high - low < 10 ? 1 : 0)) + "</text>"
        }
        let step = lastYear - firstYear > 10 ? 2 : 1
        for year in stride(from: Int(firstYear), through: Int(lastYear), by: step) {
            svg += "<text class=\"tick\" x=\"\(n(x(Double(year))))\" y=\"\(n(height - 8))\" text-anchor=\"middle\">\(year)</text>"
        }
        // The reorganisation of 1 July 2025, and the deadline.
        // A year's value sits in the middle of its year, where 1 July falls.
        let reorganisation = x(2025)
        if (firstYear...lastYear).contains(2025) {
            svg += "<line class=\"reorg\" x1=\"\(n(reorganisation))\" x2=\"\(n(reorganisation))\" y1=\"\(n(top))\" y2=\"\(n(height - bottom))\"/>"
            svg += "<text class=\"note\" x=\"\(n(reorganisation + 3))\" y=\"\(n(top + 9))\">" + HTMLReport.escape(labels.reorganisation) + "</text>"
        }
        let deadline = x(Double(row.deadline))
        svg += "<line class=\"deadline\" x1=\"\(n(deadline))\" x2=\"\(n(deadline))\" y1=\"\(n(top))\" y2=\"\(n(height - bottom))\"/>"
        svg += "<text class=\"note\" x=\"\(n(deadline - 3))\" y=\"\(n(height - bottom - 4))\" text-anchor=\"end\">"
            + HTMLReport.escape(labels.deadline) + " \(row.deadline)</text>"
        // The target.
        let target = y(row.threshold)
        svg += "<line class=\"target\" x1=\"\(n(left))\" x2=\"\(n(width - right))\" y1=\"\(n(target))\" y2=\"\(n(target))\"/>"
        svg += "<text class=\"note\" x=\"\(n(left + 3))\" y=\"\(n(target - 3))\">" + HTMLReport.escape(labels.targetLine) + " "
            + HTMLReport.escape(labels.compact(row.threshold)) + "</text>"
        // Fans from the last observation to each forecast year.
        if let last = chart.history.last {
            let ahead = chart.forecasts.filter { $0.year > last.year }.sorted { $0.year < $1.year }
            func fan(_ lower: (TrendChart.Forecast) -> Double?, _ upper: (TrendChart.Forecast) -> Double?, _ cls: String) {
                let points = ahead.compactMap { f in lower(f).flatMap { l in upper(f).map { (f.year, l, $0) } } }
                guard !points.isEmpty else { return }
                var d = "M\(n(x(Double(last.year)))),\(n(y(last.value)))"
                for p in points { d += "L\(n(x(Double(p.0)))),\(n(y(p.2)))" }
                for p in points.reversed() { d += "L\(n(x(Double(p.0)))),\(n(y(p.1)))" }
                svg += "<path class=\"\(cls)\" d=\"\(d)Z\"/>"
            }
            fan({ $0.lower95 }, { $0.upper95 }, "fan95")
            fan({ $0.lower80 }, { $0.upper80 }, "fan80")
            if !ahead.isEmpty {
                let points = [(last.year, last.value)] + ahead.map { ($0.year, $0.value) }
                svg += "<polyline class=\"forecast\" points=\"" + points.map { "\(n(x(Double($0.0)))),\(n(y($0.1)))" }
                    .joined(separator: " ") + "\"/>"
            }
        }
        if !chart.history.isEmpty {
            svg += "<polyline class=\"history\" points=\"" + chart.history.map { "\(n(x(Double($0.year)))),\(n(y($0.value)))" }
                .joined(separator: " ") + "\"/>"
            for point in chart.history {
                svg += "<circle class=\"history\" cx=\"\(n(x(Double(point.year))))\" cy=\"\(n(y(point.value)))\" r=\"2.5\"/>"
            }
        }
        return svg + "</svg>"
    }

    /// The shapes of a map, defined once per page; maps reuse them by id.
    static func shapes(_ shapes: ProvinceShapes, prefix: String) -> String {
        "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>"
            + shapes.shapes.map { "<path id=\"\(prefix)-\(HTMLReport.escape($0.code))\" d=\"\($0.path)\"/>" }.joined()
            + "</defs></svg>"
    }

    /// A map: each province filled with its colour, its name and label as the tooltip; the archipelagos
    /// labelled (`archipelago` names them in the report's language).
    static func map(_ shapes: ProvinceShapes, prefix: String, title: String, archipelago: (Archipelago.Name) -> String,
                    fill: (String) -> (colour: String, label: String)?) -> String {
        var svg = "<svg class=\"map\" viewBox=\"0 0 \(n(shapes.width)) \(n(shapes.height))\" role=\"img\" aria-label=\""
            + HTMLReport.escape(title) + "\">"
        for shape in shapes.shapes {
            let style = fill(shape.code)
            svg += "<use href=\"#\(prefix)-\(HTMLReport.escape(shape.code))\" fill=\"\(style?.colour ?? Palette.noData)\">"
                + "<title>" + HTMLReport.escape(shape.name + ": " + (style?.label ?? "–")) + "</title></use>"
        }
        // Each province's number, readable on any fill (a white halo), for the key below the maps.
        let numbers = shapes.keyNumbers
        for shape in shapes.shapes {
            guard let point = shapes.labelPoints[shape.code], let number = numbers[shape.code] else { continue }
            svg += "<text class=\"key\" x=\"\(n(point.x))\" y=\"\(n(point.y + 2))\" text-anchor=\"middle\">\(number)</text>"
        }
        for island in shapes.archipelagos {
            // The label stands west of the islands, which lie at the map's eastern edge.
            svg += "<text class=\"archipelago\" x=\"\(n(island.x - 4))\" y=\"\(n(island.y + 1.5))\" text-anchor=\"end\">"
                + HTMLReport.escape(archipelago(island.name)) + "</text>"
        }
        return svg + "</svg>"
    }
}

/// The colour-blind-safe palette (Okabe and Ito) of statuses, with the text colour readable on each.
enum Palette {
    static let noData = "#f2f2f2"

    /// The colours of the headline statuses (METHODS.md 3.6). Every pair has a contrast of at least 4.5:1
    /// (WCAG AA), and the three kinds of missing evidence have three distinct greys.
    static func status(_ status: String) -> (background: String, text: String) {
        switch HeadlineStatus(rawValue: status) {
        case .met?: return ("#0072B2", "#ffffff")
        case .metEarly?: return ("#56B4E9", "#1b1b1b")
        case .onTrack?: return ("#009E73", "#1b1b1b")
        case .atRisk?: return ("#F0E442", "#1b1b1b")
        case .offTrack?: return ("#E69F00", "#1b1b1b")
        case .notMet?: return ("#D55E00", "#000000")
        case .noDataForDeadline?: return ("#a6a6a6", "#1b1b1b")
        case .insufficientData?: return ("#d9d9d9", "#1b1b1b")
        case nil: return (noData, "#1b1b1b")
        }
    }

    /// The statuses of the legend, the judged ones first, then those ahead best first, then missing evidence.
    static let legend = [HeadlineStatus.met, .notMet, .metEarly, .onTrack, .atRisk, .offTrack, .noDataForDeadline,
                         .insufficientData].map(\.rawValue)

    /// Five sequential blues (light to dark) for values, with the bin of a value between `low` and `high`.
    static let sequential = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]

    static func bin(_ value: Double, low: Double, high: Double) -> Int {
        guard high > low else { return 2 }
        return min(4, max(0, Int((value - low) / (high - low) * 5)))
    }
}
