import Analytics
import Foundation

/// The language of a report's labels (data text such as unit names stays as stored).
public enum ReportLanguage: String, Sendable, CaseIterable {
    case vi, en
}

/// A plain, self-contained HTML report: inline CSS, no script, nothing fetched.
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

    /// Renders the headline of the scorecard: for each target, its combined row when several units carry it,
    /// else its one unit (the rows of every unit are in the CSV). `synthetic` adds a banner saying the data is
    /// synthetic sample data; `warnings` (stale sources) are listed above the table.
    public static func render(rows: [ScorecardRow], title: String, generatedAt: String, runID: Int,
                              synthetic: Bool, warnings: [String] = [], language: ReportLanguage = .vi) -> String {
        let l = Labels(language)
        var html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1b1b; }
            table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
            th, td { border: 1px solid #c8c8c8; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
            th { background: #f0f0f0; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .synthetic { background: #fff3cd; border: 2px solid #b58100; padding: 0.6rem; font-weight: bold; }
            .status { font-weight: bold; }
            tr { break-inside: avoid; }
            @media print { body { margin: 1cm; } }
            </style>
            </head>
            <body>
            <h1>\(escape(title))</h1>

            """
        if synthetic { html += "<p class=\"synthetic\">\(escape(l.synthetic))</p>\n" }
        if !warnings.isEmpty {
            html += "<div class=\"synthetic\"><p>\(escape(l.stale))</p><ul>"
                + warnings.map { "<li>\(escape($0))</li>" }.joined() + "</ul></div>\n"
        }
        html += "<p>\(escape(l.generated)) \(escape(generatedAt)) · \(escape(l.run)) \(runID)</p>\n"
        html += "<p>\(escape(l.method)): " + [ProgressMeasure.citation, ProjectedValueRatio.citation,
                                                 ESCAPStyleIndex.citation].map(escape).joined(separator: "; ") + "</p>\n"
        html += "<table>\n<thead><tr>" + l.columns.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        var shown: Set<String> = []
        for row in rows where shown.insert(row.targetID).inserted {
            let latest = row.latestValue.map { DisplayNumber.format($0) + " (\(row.latestYear ?? 0))" } ?? "–"
            let forecast = row.valueAtDeadline.map { value -> String in
                var text = DisplayNumber.format(value) + " (\(row.assessedYear ?? row.deadline), "
                    + l.basis(row.basis) + ")"
                if let low = row.forecastLower95, let high = row.forecastUpper95 {
                    if row.basis == "forecast" { text += " [\(DisplayNumber.format(low)); \(DisplayNumber.format(high))]" }
                }
                if let p = row.probability, row.basis == "forecast" { text += " · P = \(DisplayNumber.format(p * 100, decimals: 0))%" }
                return text
            } ?? "–"
            let cells = [
                escape(row.clause),
                escape(language == .vi ? row.textVI : row.textEN) + "<br><em>"
                    + escape(Explanation.sentence(row, language: language)) + "</em>",
                escape(row.unitCode == "*" ? l.combined : row.unitName),
                "<span class=\"num\">\(escape(latest))</span>",
                escape("\(row.comparator) \(DisplayNumber.compact(row.threshold)) \(row.unitOfMeasure)"),
                String(row.deadline), escape(forecast),
                "<span class=\"status\">\(escape(l.status(row.status)))</span>",
            ]
            html += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        html += "</tbody>\n</table>\n<p>\(escape(l.perUnit))</p>\n</body>\n</html>\n"
        return html
    }

    struct Labels {
        let language: ReportLanguage
        init(_ language: ReportLanguage) { self.language = language }
        var synthetic: String {
            language == .vi ? "DỮ LIỆU MẪU TỔNG HỢP (synthetic) – không phải số liệu thật."
                : "SYNTHETIC SAMPLE DATA – not real figures."
        }
        var stale: String {
            language == .vi ? "Nguồn dữ liệu đã cũ hơn thời hạn cho phép (max_age):"
                : "Sources older than their maximum age (max_age):"
        }
        var perUnit: String {
            language == .vi ? "Kết quả của từng đơn vị: xem scorecard.csv cùng thư mục."
                : "Results for every unit: see scorecard.csv in the same folder."
        }
        func basis(_ basis: String?) -> String {
            switch basis {
            case "observed": return language == .vi ? "quan sát" : "observed"
            case "forecast": return language == .vi ? "dự báo" : "forecast"
            default: return "–"
            }
        }
        var generated: String { language == .vi ? "Lập lúc" : "Generated" }
        var run: String { language == .vi ? "lượt chạy" : "run" }
        var method: String { language == .vi ? "Phương pháp" : "Method" }
        var combined: String { language == .vi ? "Tất cả các đơn vị (gộp)" : "All units (combined)" }
        var columns: [String] {
            language == .vi
                ? ["Điều khoản", "Mục tiêu", "Đơn vị", "Giá trị mới nhất", "Chỉ tiêu", "Hạn", "Giá trị tại hạn [95%]",
                   "Đánh giá"]
                : ["Clause", "Target", "Unit", "Latest value", "Target value", "Deadline", "Value at deadline [95%]",
                   "Status"]
        }
        func status(_ status: String) -> String {
            guard language == .vi else { return status }
            let vi: [String: String] = [
                "target achieved": "đã đạt", "substantial progress": "tiến bộ rõ rệt",
                "moderate progress": "tiến bộ vừa phải", "limited progress": "tiến bộ hạn chế",
                "deterioration": "đi xuống", "insufficient data": "chưa đủ dữ liệu",
                "not assessable": "không đánh giá được", "no data": "không có dữ liệu",
            ]
            return vi[status] ?? status
        }
    }
}
