import Analytics
import Foundation

/// One line of the scorecard: a target in a unit (or all its units combined), where it stands, where it is
/// heading, and how each method judges it.
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
    /// The year judged: the deadline, or for survey ranks the first survey at or after it.
    public let assessedYear: Int?
    /// "observed" or "forecast": what the value at the deadline rests on.
    public let basis: String?
    public let valueAtDeadline: Double?
    public let model: String?
    public let forecastLower95: Double?
    public let forecastUpper95: Double?
    /// The headline status (METHODS.md 3.6): what the chip says. For a combination of units, the status most of
    /// them have, with `unitsByStatus` beside it.
    public let status: String
    /// Status by the progress measure (METHODS.md 3.1); for a combination, by the mean score.
    public let progressMeasure: String?
    /// For a combination of units, how many units have each headline status.
    public let unitsByStatus: [String: Int]
    public let score: Double?
    public let progress: Double?
    /// Status by the projected-value ratio (3.2) and the provisional ESCAP-style indices (3.3).
    public let projectedValueRatio: String?
    public let escapCurrentStatus: String?
    public let escapAnticipated: String?
    /// Probability of meeting the target in the assessed year (1 or 0 when observed).
    public let probability: Double?
    /// Yearly change and rate needed from the latest value (3.4), and the fitted pace.
    public let requiredPace: Double?
    public let requiredRate: Double?
    public let observedPace: Double?

    public init(targetID: String, clause: String, indicator: String, textVI: String, textEN: String, unitCode: String, unitName: String, level: String, latestYear: Int?, latestValue: Double?, comparator: String, threshold: Double, unitOfMeasure: String, deadline: Int, assessedYear: Int?, basis: String?, valueAtDeadline: Double?, model: String?, forecastLower95: Double?, forecastUpper95: Double?, status: String, score: Double?, progress: Double?, projectedValueRatio: String?, escapCurrentStatus: String?, escapAnticipated: String?, probability: Double?, requiredPace: Double?, requiredRate: Double?, observedPace: Double?, progressMeasure: String? = nil, unitsByStatus: [String: Int] = [:]) {
        self.progressMeasure = progressMeasure
        self.unitsByStatus = unitsByStatus
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
        self.assessedYear = assessedYear
        self.basis = basis
        self.valueAtDeadline = valueAtDeadline
        self.model = model
        self.forecastLower95 = forecastLower95
        self.forecastUpper95 = forecastUpper95
        self.status = status
        self.score = score
        self.progress = progress
        self.projectedValueRatio = projectedValueRatio
        self.escapCurrentStatus = escapCurrentStatus
        self.escapAnticipated = escapAnticipated
        self.probability = probability
        self.requiredPace = requiredPace
        self.requiredRate = requiredRate
        self.observedPace = observedPace
    }

    /// The gap to the threshold from the latest value, signed so that positive means still to go.
    public var gap: Double? {
        latestValue.map { comparator == "<=" ? $0 - threshold : threshold - $0 }
    }
}

/// Number formatting shared by every report: fixed decimals, rounded for display, empty for missing.
public enum DisplayNumber {
    public static func format(_ value: Double?, decimals: Int = 2) -> String {
        guard let value, value.isFinite else { return "" }
        // The C library's printf, called directly: Foundation's String(format:) costs several times more, which
        // dominates large exports. A negative value that rounds to zero is shown without its sign.
        var buffer = [CChar](repeating: 0, count: 48)
        let count = withVaList([Int32(decimals), value]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
        guard count > 0 && Int(count) < buffer.count else { return String(format: "%.\(decimals)f", value) }
        let text = String(cString: buffer)
        return text.first == "-" && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(text.dropFirst()) : text
    }

    /// The fewest decimals from `decimals` up to 4 at which `value` rounds to the same side of `threshold` as it
    /// lies: a share of 79.95 against a target of 80 is written 79.95, not 80.0 (which reads as met).
    public static func decimals(_ value: Double, apartFrom threshold: Double, atLeast decimals: Int) -> Int {
        let side = { (v: Double) in v < threshold ? -1 : v > threshold ? 1 : 0 }
        for places in decimals..<max(decimals, 4) {
            let scale = pow(10, Double(places))
            if side((value * scale).rounded() / scale) == side(value) { return places }
        }
        return max(decimals, 4)
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
        "comparator", "target", "unit_of_measure", "deadline", "gap", "assessed_year", "basis", "value_at_deadline",
        "forecast_model", "forecast_lower95", "forecast_upper95", "status",
        "status_progress_measure", "score", "progress",
        "status_projected_value_ratio", "status_escap_current_provisional", "status_escap_anticipated_provisional",
        "probability", "required_pace_per_year", "required_rate", "observed_pace_per_year", "target_text_vi",
        "target_text_en",
    ]

    /// Renders `rows`, one per target and real unit (a combination of units is left out: a pivot table would
    /// count its units twice; a target no unit has data for keeps its one row, unit `*`, status "no data");
    /// values rounded to 2 decimals, scores, progress and probabilities to 3.
    public static func render(_ rows: [ScorecardRow]) -> String {
        var writer = CSVWriter(header: header)
        for row in rows where !(row.unitCode == "*" && !row.unitsByStatus.isEmpty) {
            writer.append([
                row.targetID, row.clause, row.indicator, row.unitCode, row.unitName, row.level,
                row.latestYear.map(String.init) ?? "", DisplayNumber.format(row.latestValue), row.comparator,
                DisplayNumber.compact(row.threshold), row.unitOfMeasure, String(row.deadline),
                DisplayNumber.format(row.gap), row.assessedYear.map(String.init) ?? "", row.basis ?? "",
                DisplayNumber.format(row.valueAtDeadline), row.model ?? "", DisplayNumber.format(row.forecastLower95),
                DisplayNumber.format(row.forecastUpper95), row.status,
                row.progressMeasure ?? "", DisplayNumber.format(row.score, decimals: 3),
                DisplayNumber.format(row.progress, decimals: 3), row.projectedValueRatio ?? "",
                row.escapCurrentStatus ?? "", row.escapAnticipated ?? "",
                DisplayNumber.format(row.probability, decimals: 3), DisplayNumber.format(row.requiredPace),
                DisplayNumber.format(row.requiredRate, decimals: 4), DisplayNumber.format(row.observedPace),
                row.textVI, row.textEN,
            ])
        }
        return writer.text
    }
}

/// The report's other CSV tables.
public enum ReportCSV {
    /// `README.txt` beside the CSVs: what produced them (as on the report's first page) and what each file holds,
    /// for whoever opens a CSV in a spreadsheet without the HTML.
    public static func readme(_ data: ReportData, files: [String]) -> String {
        let l = Labels(data.language)
        // The steps that failed and the stale sources, as every page of the report says them.
        let warnings = [(l.failedSteps, data.failedSteps), (l.stale, data.warnings)].filter { !$0.1.isEmpty }
            .flatMap { heading, lines in ["", heading] + lines.map { "  - " + $0 } }
        return ([data.title, ""] + l.provenance(data) + warnings + ["", l.filesHeading] + files.map { name in
            "  " + name + (l.fileDescription(name).map { " – " + $0 } ?? "")
        }).joined(separator: "\n") + "\n"
    }

    /// The latest simulation's results beside their baselines.
    public static func scenarios(_ data: ReportData) -> String {
        var writer = CSVWriter(header: ["scenario", "target_id", "unit_code", "unit_name", "year", "probability",
                                        "baseline_probability", "median", "lower80", "upper80", "baseline_median"])
        for line in data.scenarios {
            writer.append([line.scenario, line.targetID, line.unitCode, line.unitName, String(line.year),
                           DisplayNumber.format(line.probability, decimals: 3),
                           DisplayNumber.format(line.baselineProbability, decimals: 3), DisplayNumber.format(line.median),
                           DisplayNumber.format(line.lower80), DisplayNumber.format(line.upper80),
                           DisplayNumber.format(line.baselineMedian)])
        }
        return writer.text
    }

    /// The appendix tasks by the agency leading them now, overdue first, then those with no report.
    public static func tasks(_ data: ReportData) -> String {
        var writer = CSVWriter(header: ["lead_agency", "lead_agency_2021", "task_id", "end_year", "standing", "status",
                                        "status_date", "text_vi", "text_en"])
        func rank(_ task: TaskLine) -> Int { TaskLine.standings.firstIndex(of: task.standing) ?? TaskLine.standings.count }
        for task in data.tasks.sorted(by: { ($0.leadAgencyNow, rank($0), $0.endYear, $0.id) < ($1.leadAgencyNow, rank($1), $1.endYear, $1.id) }) {
            writer.append([task.leadAgencyNow, task.leadAgency, task.id, String(task.endYear), task.standing, task.status,
                           task.statusDate, task.textVI, task.textEN])
        }
        return writer.text
    }
}
