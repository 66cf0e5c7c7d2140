import Foundation
import Reference

/// A unit as the exports label it.
public struct ExportUnit: Sendable, Equatable {
    public let code: String, name: String, level: String, version: String

    public init(code: String, name: String, level: String, version: String) {
        self.code = code
        self.name = name
        self.level = level
        self.version = version
    }
}

/// An observation as the exports write it.
public struct ExportObservation: Sendable, Equatable {
    public let indicator: String
    /// `nil` when the unit is not in the directory (written "?").
    public let unit: ExportUnit?
    public let period: String
    public let value: Double?, numerator: Double?, denominator: Double?
    /// "loaded", "aggregated" or "crosswalk".
    public let origin: String
    /// A registry figure under the disclosure threshold, or the sibling that would reveal one.
    public let suppressed: Bool
    /// Whether the unit was in force at the end of the period: only such rows go to SDMX, so that `chiso ingest
    /// --sdmx` resolves each code back to the same unit.
    public let inForceAtPeriodEnd: Bool

    public init(indicator: String, unit: ExportUnit?, period: String, value: Double?, numerator: Double?,
                denominator: Double?, origin: String, suppressed: Bool, inForceAtPeriodEnd: Bool) {
        self.indicator = indicator
        self.unit = unit
        self.period = period
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.origin = origin
        self.suppressed = suppressed
        self.inForceAtPeriodEnd = inForceAtPeriodEnd
    }
}

/// A forecast as the exports write it.
public struct ExportForecast: Sendable, Equatable {
    public let indicator: String
    public let unit: ExportUnit?
    public let year: Int
    public let value: Double
    public let lower80: Double?, upper80: Double?, lower95: Double?, upper95: Double?
    public let model: String

    public init(indicator: String, unit: ExportUnit?, year: Int, value: Double, lower80: Double?, upper80: Double?,
                lower95: Double?, upper95: Double?, model: String) {
        self.indicator = indicator
        self.unit = unit
        self.year = year
        self.value = value
        self.lower80 = lower80
        self.upper80 = upper80
        self.lower95 = lower95
        self.upper95 = upper95
        self.model = model
    }
}

/// A rejected row of a load. A registry's rows describe people and enterprises: the exports leave their text out.
public struct RejectLine: Sendable, Equatable {
    public let loadID: Int
    public let file: String
    public let line: Int
    public let column: String?
    public let errorCode: String
    public let message: String
    public let raw: String?
    /// Whether the load was of a registry.
    public let personal: Bool

    public init(loadID: Int, file: String, line: Int, column: String?, errorCode: String, message: String, raw: String?,
                personal: Bool) {
        self.loadID = loadID
        self.file = file
        self.line = line
        self.column = column
        self.errorCode = errorCode
        self.message = message
        self.raw = raw
        self.personal = personal
    }
}

/// What the tidy and SDMX exports and `rejects.csv` hold: every observation, the latest forecasts, every
/// rejected row, and each indicator's unit of measure.
public struct ExportTables: Sendable {
    public var observations: [ExportObservation] = []
    public var forecasts: [ExportForecast] = []
    public var rejects: [RejectLine] = []
    public var unitsOfMeasure: [String: String] = [:]

    public init() {}
}

/// The exports, rendered from `ReportData.exports`.
public enum ExportCSV {
    /// `series.csv`: every observation and the latest forecasts, tidy; suppressed registry figures as `<10`.
    public static func series(_ data: ReportData) -> String {
        var writer = CSVWriter(header: ["indicator", "unit_code", "unit_name", "level", "version", "period", "kind", "value",
                                        "numerator", "denominator", "lower80", "upper80", "lower95", "upper95", "model",
                                        "origin"])
        let hidden = DisclosureControl.label()
        func labels(_ unit: ExportUnit?) -> [String] {
            unit.map { [$0.code, $0.name, $0.level, $0.version] } ?? ["?", "", "", ""]
        }
        for row in data.exports.observations {
            let figures = row.suppressed ? [hidden, hidden, hidden]
                : [DisplayNumber.format(row.value, decimals: 4), DisplayNumber.format(row.numerator, decimals: 4),
                   DisplayNumber.format(row.denominator, decimals: 4)]
            writer.append([row.indicator] + labels(row.unit) + [row.period, "observed"] + figures
                          + ["", "", "", "", "", row.origin])
        }
        for row in data.exports.forecasts {
            writer.append([row.indicator] + labels(row.unit) + [String(row.year), "forecast",
                           DisplayNumber.format(row.value, decimals: 4), "", "",
                           DisplayNumber.format(row.lower80, decimals: 4), DisplayNumber.format(row.upper80, decimals: 4),
                           DisplayNumber.format(row.lower95, decimals: 4), DisplayNumber.format(row.upper95, decimals: 4),
                           row.model, "forecast"])
        }
        return writer.text
    }

    /// `observations.sdmx.csv`: observations whose unit was in force at the end of their period; suppressed
    /// registry figures are `NaN` with `CONF_STATUS` `C`.
    public static func sdmxObservations(_ data: ReportData) -> String {
        var writer = CSVWriter(header: ["STRUCTURE", "STRUCTURE_ID", "ACTION", "INDICATOR", "REF_AREA", "TIME_PERIOD",
                                        "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS"])
        for row in data.exports.observations {
            guard let code = row.unit?.code, row.inForceAtPeriodEnd, let value = row.value else { continue }
            writer.append(["dataflow", ExportDataflow.observations, "I", row.indicator, code, row.period,
                           row.suppressed ? "NaN" : sdmxNumber(value), data.exports.unitsOfMeasure[row.indicator] ?? "",
                           row.origin == "loaded" ? "A" : "E", row.suppressed ? "C" : "F"])
        }
        return writer.text
    }

    /// `forecasts.sdmx.csv`: the latest forecasts, with their 95% interval, as estimated values (`OBS_STATUS` `F`).
    public static func sdmxForecasts(_ data: ReportData) -> String {
        var writer = CSVWriter(header: ["STRUCTURE", "STRUCTURE_ID", "ACTION", "INDICATOR", "REF_AREA", "TIME_PERIOD",
                                        "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS", "LOWER_95", "UPPER_95", "MODEL"])
        for row in data.exports.forecasts {
            guard let code = row.unit?.code else { continue }
            writer.append(["dataflow", ExportDataflow.forecasts, "I", row.indicator, code, String(row.year),
                           sdmxNumber(row.value), data.exports.unitsOfMeasure[row.indicator] ?? "", "F",
                           row.lower95.map(sdmxNumber) ?? "", row.upper95.map(sdmxNumber) ?? "", row.model])
        }
        return writer.text
    }

    /// `rejects.csv`: every rejected row with its reason; a registry row's text and message are left out (reports
    /// show aggregates only; `chiso rejects --load N` shows them to whoever holds the warehouse).
    public static func rejects(_ data: ReportData) -> String {
        var writer = CSVWriter(header: ["load_id", "file", "line", "column", "error_code", "message", "raw"])
        for reject in data.exports.rejects {
            writer.append([String(reject.loadID), reject.file, String(reject.line), reject.column ?? "", reject.errorCode,
                           reject.personal ? "registry row: see chiso rejects --load \(reject.loadID)" : reject.message,
                           reject.personal ? "" : reject.raw ?? ""])
        }
        return writer.text
    }

    static func sdmxNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.6g", value)
    }
}
