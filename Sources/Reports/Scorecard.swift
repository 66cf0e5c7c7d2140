import Analytics
import Foundation

/// One line of the scorecard: a target in a unit (or all its units combined), where it stands and where it
/// is heading.
public struct ScorecardRow: Sendable, Equatable {
    public let targetID: String
    public let clause: String
    public let indicator: String
    public let textVI: String
    public let textEN: String
    /// Unit code; "*" for the combination of every unit assessed for the target.
    public let unitCode: String
    public let unitName: String
    public let level: String
    public let latestYear: Int?
    public let latestValue: Double?
    public let comparator: String
    public let threshold: Double
    public let unitOfMeasure: String
    public let deadline: Int
    public let forecast: Double?
    public let forecastLower95: Double?
    public let forecastUpper95: Double?
    public let status: String
    public let score: Double?
    public let progress: Double?

    public init(targetID: String, clause: String, indicator: String, textVI: String, textEN: String,
                unitCode: String, unitName: String, level: String, latestYear: Int?, latestValue: Double?,
                comparator: String, threshold: Double, unitOfMeasure: String, deadline: Int, forecast: Double?,
                forecastLower95: Double?, forecastUpper95: Double?, status: String, score: Double?,
                progress: Double?) {
        self.targetID = targetID
        self.clause = clause
        self.indicator = indicator
        self.textVI = textVI
        self.textEN = textEN
        self.unitCode = unitCode
        self.unitName = unitName
        self.level = level
        self.latestYear = latestYear
        self.latestValue = latestValue
        self.comparator = comparator
        self.threshold = threshold
        self.unitOfMeasure = unitOfMeasure
        self.deadline = deadline
        self.forecast = forecast
        self.forecastLower95 = forecastLower95
        self.forecastUpper95 = forecastUpper95
        self.status = status
        self.score = score
        self.progress = progress
    }

    /// The gap to the threshold, signed so that positive means still to go.
    public var gap: Double? {
        latestValue.map { comparator == "<=" ? $0 - threshold : threshold - $0 }
    }
}

/// Number formatting shared by every report: fixed decimals, rounded for display, empty for missing.
public enum DisplayNumber {
    public static func format(_ value: Double?, decimals: Int = 2) -> String {
        guard let value, value.isFinite else { return "" }
        let text = String(format: "%.\(decimals)f", value)
        return text == "-" + String(format: "%.\(decimals)f", 0.0) ? String(format: "%.\(decimals)f", 0.0) : text
    }

    /// Whole numbers without decimals (a threshold of 80, a rank of 50), others with `decimals`.
    public static func compact(_ value: Double?, decimals: Int = 2) -> String {
        guard let value, value.isFinite else { return "" }
        return value == value.rounded() && abs(value) < 1e15 ? String(format: "%.0f", value)
            : format(value, decimals: decimals)
    }
}

/// The scorecard as CSV.
public enum ScorecardCSV {
    public static let header = [
        "target_id", "clause", "indicator", "unit_code", "unit_name", "level", "latest_period", "latest_value",
        "comparator", "target", "unit_of_measure", "deadline", "gap", "forecast_at_deadline", "forecast_lower95",
        "forecast_upper95", "status", "score", "progress", "method", "target_text_vi", "target_text_en",
    ]

    /// Renders `rows`; numbers are rounded to 2 decimals (scores and progress to 3).
    public static func render(_ rows: [ScorecardRow]) -> String {
        var writer = CSVWriter(header: header)
        for row in rows {
            writer.append([
                row.targetID, row.clause, row.indicator, row.unitCode, row.unitName, row.level,
                row.latestYear.map(String.init) ?? "", DisplayNumber.format(row.latestValue), row.comparator,
                DisplayNumber.format(row.threshold), row.unitOfMeasure, String(row.deadline),
                DisplayNumber.format(row.gap), DisplayNumber.format(row.forecast),
                DisplayNumber.format(row.forecastLower95), DisplayNumber.format(row.forecastUpper95), row.status,
                DisplayNumber.format(row.score, decimals: 3), DisplayNumber.format(row.progress, decimals: 3),
                ProgressMeasure.citation, row.textVI, row.textEN,
            ])
        }
        return writer.text
    }
}
