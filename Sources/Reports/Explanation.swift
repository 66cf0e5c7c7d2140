import Foundation

/// One sentence a leader can read aloud about a scorecard row: where the unit stands, what the target asks,
/// what the deadline holds (observed or forecast, with its range and chance) and the pace needed.
public enum Explanation {
    public static func sentence(_ row: ScorecardRow, language: ReportLanguage = .vi) -> String {
        let labels = Labels(language)
        let rank = row.unitOfMeasure == "rank"
        func value(_ v: Double?) -> String {
            guard let v else { return "–" }
            // A rank in whole places, unless they would put it on the target (a forecast of 50.4 for the top 50).
            if rank {
                let places = labels.figure(v, of: row)
                return language == .vi ? "hạng " + places : Int(places).map(ordinal) ?? "rank " + places
            }
            return labels.figure(v, of: row, decimals: 1) + (row.unitOfMeasure == "percent" ? "%" : "")
        }
        let who = row.unitCode == "*" ? (language == .vi ? "Các đơn vị" : "The units") : row.unitName
        let target: String
        if rank {
            target = language == .vi ? "top \(labels.compact(row.threshold))"
                : "the top \(labels.compact(row.threshold))"
        } else {
            let word = row.comparator == "<=" ? (language == .vi ? "tối đa" : "at most")
                : (language == .vi ? "tối thiểu" : "at least")
            target = "\(word) \(labels.compact(row.threshold))" + (row.unitOfMeasure == "percent" ? "%" : "")
        }
        var parts: [String] = []
        if let latest = row.latestValue, let year = row.latestYear {
            parts.append(language == .vi
                ? "\(who): \(value(latest)) năm \(year); chỉ tiêu \(target) vào năm \(row.deadline)"
                : "\(who): \(value(latest)) in \(year); the target is \(target) by \(row.deadline)")
        } else if row.unitCode == "*" {
            // Several units have no one latest value; "no data yet" read as none of them having any.
            parts.append(language == .vi ? "\(who): chỉ tiêu \(target) vào năm \(row.deadline)"
                : "\(who): the target is \(target) by \(row.deadline)")
        } else {
            parts.append(language == .vi ? "\(who): chưa có số liệu cho chỉ tiêu \(target) năm \(row.deadline)"
                : "\(who): no data yet for the target of \(target) by \(row.deadline)")
        }
        let judged = row.assessedYear ?? row.deadline
        let surveyNote = judged != row.deadline
            ? (language == .vi ? " (kỳ khảo sát đầu tiên sau hạn)" : " (the first survey after the deadline)") : ""
        if row.basis == "observed", let observed = row.valueAtDeadline, let met = row.probability {
            parts.append(language == .vi
                ? "năm \(judged)\(surveyNote) đạt \(value(observed)): " + (met >= 1 ? "đã đạt chỉ tiêu" : "chưa đạt chỉ tiêu")
                : "in \(judged)\(surveyNote) it was \(value(observed)): " + (met >= 1 ? "target met" : "target missed"))
        } else if row.basis == "forecast", let forecast = row.valueAtDeadline {
            var text = language == .vi ? "dự báo năm \(judged)\(surveyNote): \(value(forecast))"
                : "the forecast for \(judged)\(surveyNote) is \(value(forecast))"
            if let low = row.forecastLower95, let high = row.forecastUpper95 {
                let (a, b) = rank ? (min(low, high), max(low, high)) : (low, high)
                text += language == .vi ? " (95%: \(value(a)) – \(value(b)))" : " (95% range \(value(a)) to \(value(b)))"
            }
            if let p = row.probability {
                text += language == .vi ? ", khả năng đạt \(labels.chance(p))" : "; chance of meeting the target: \(labels.chance(p))"
            }
            parts.append(text)
        }
        let unit = rank ? (language == .vi ? " bậc" : " places") : (row.unitOfMeasure == "percent" ? (language == .vi ? " điểm %" : " points") : "")
        // A pace is needed only while the target is not yet met and its year is ahead; once that year has passed
        // unmet or unobserved, what is left is the gap from the latest value (METHODS.md 3.4). By the status, not
        // only by a missing pace: results stored by an earlier version have one for a year gone.
        let passed = ["not met", "no data for the deadline"].contains(row.status)
        // Observed in the year judged, the gap then (the part before said the year); else from the latest value.
        let observedGap = row.basis == "observed" ? row.valueAtDeadline.map { row.comparator == "<=" ? $0 - row.threshold : row.threshold - $0 } : nil
        if passed, let gap = observedGap ?? row.gap, gap > 0, let year = observedGap != nil ? judged : row.latestYear {
            let shown = labels.number(gap, decimals: DisplayNumber.decimals(gap, apartFrom: 0, atLeast: rank ? 0 : 1)) + unit
            let said = observedGap != nil
            parts.append(language == .vi ? (said ? "" : "năm \(year) ") + "còn cách chỉ tiêu \(shown)"
                : "\(shown) short of the target" + (said ? "" : " in \(year)"))
        }
        if !passed, let pace = row.requiredPace, (row.gap ?? 1) > 0 {
            let needed = rank ? abs(pace) : pace
            var text = language == .vi ? "cần \(labels.number(needed, decimals: 1))\(unit) mỗi năm"
                : "it needs \(labels.number(needed, decimals: 1))\(unit) a year"
            // A series carried forward (naive) has no pace of its own: "recent pace 0.0" read as no progress for a
            // rank that rose from 86th to 71st.
            if let observed = row.observedPace, row.model != "naive" {
                let shown = rank ? -observed : observed
                text += language == .vi ? " (tốc độ gần đây: \(labels.number(shown, decimals: 1)))"
                    : " (recent pace: \(labels.number(shown, decimals: 1)))"
            }
            parts.append(text)
        }
        return parts.joined(separator: "; ") + "."
    }

    /// 1st, 2nd, 3rd, 4th, 11th, 21st, 71st...
    static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 10, n % 100) {
        case (_, 11...13): suffix = "th"
        case (1, _): suffix = "st"
        case (2, _): suffix = "nd"
        case (3, _): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }
}
