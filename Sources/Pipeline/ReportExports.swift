import Analytics
import Foundation
import Ingest
import Reference
import Reports
import Warehouse

/// The registry figures to suppress among `rows`: those that show a group below `threshold`
/// (`DisclosureControl.isSmall`: a count, the people of a share, its numerator or complement), and the sibling
/// (same indicator, period and parent) that would reveal a lone suppressed one.
public func suppressedRegistryFigures(_ rows: [ObservationRow], directory: UnitDirectory,
                                      threshold: Double = DisclosureControl.defaultThreshold) -> Set<Int> {
    let registry = rows.indices.filter { RegistryIndicators.derived.contains(rows[$0].indicator) }
    let cells = registry.map { index in
        let row = rows[index]
        return DisclosureControl.Cell(group: "\(row.indicator)|\(row.period)|\(directory.unit(id: row.unitID)?.parentID ?? 0)",
                                      value: row.value, numerator: row.numerator, denominator: row.denominator)
    }
    return Set(DisclosureControl.suppressed(cells, threshold: threshold).map { registry[$0] })
}

/// The tidy series and SDMX exports: every observation, and the latest forecasts.
struct ExportTables {
    let observations: [ObservationRow]
    let suppressed: Set<Int>
    let forecasts: [ForecastRow]
    /// Per unit id: code, name, level and version as written, and whether it was in force on a day.
    let labels: [Int: [String]]
    let inForce: [Int: (String) -> Bool]
    let units: [String: String]

    init(_ context: RunContext) throws {
        let warehouse = context.warehouse, directory = try context.units()
        observations = try warehouse.allObservations()
        suppressed = suppressedRegistryFigures(observations, directory: directory)
        forecasts = try warehouse.forecasts()?.rows ?? []
        var labels: [Int: [String]] = [:], inForce: [Int: (String) -> Bool] = [:]
        for id in Set(observations.map(\.unitID)).union(forecasts.map(\.unitID)) {
            guard let unit = directory.unit(id: id) else { continue }
            labels[id] = [unit.code, unit.nameVI, unit.level.rawValue, unit.version.rawValue]
            inForce[id] = unit.isValid(on:)
        }
        self.labels = labels
        self.inForce = inForce
        units = try context.indicators().mapValues(\.unit)
    }

    func seriesCSV() -> String {
        var writer = CSVWriter(header: ["indicator", "unit_code", "unit_name", "level", "version", "period", "kind", "value",
                                        "numerator", "denominator", "lower80", "upper80", "lower95", "upper95", "model",
                                        "origin"])
        let hidden = DisclosureControl.label(), unknown = ["?", "", "", ""]
        for (index, row) in observations.enumerated() {
            let figures = suppressed.contains(index) ? [hidden, hidden, hidden]
                : [DisplayNumber.format(row.value, decimals: 4), DisplayNumber.format(row.numerator, decimals: 4),
                   DisplayNumber.format(row.denominator, decimals: 4)]
            writer.append([row.indicator] + (labels[row.unitID] ?? unknown) + [row.period, "observed"] + figures
                          + ["", "", "", "", "", row.origin])
        }
        for row in forecasts {
            writer.append([row.indicator] + (labels[row.unitID] ?? unknown) + [String(row.year), "forecast",
                           DisplayNumber.format(row.value, decimals: 4), "", "",
                           DisplayNumber.format(row.lower80, decimals: 4), DisplayNumber.format(row.upper80, decimals: 4),
                           DisplayNumber.format(row.lower95, decimals: 4), DisplayNumber.format(row.upper95, decimals: 4),
                           row.model, "forecast"])
        }
        return writer.text
    }

    /// Observations whose unit was in force at the end of their period (so that `chiso ingest --sdmx` resolves
    /// each code back to the same unit); suppressed registry figures are `NaN` with `CONF_STATUS` `C`.
    func sdmxObservations() -> String {
        var writer = CSVWriter(header: ["STRUCTURE", "STRUCTURE_ID", "ACTION", "INDICATOR", "REF_AREA", "TIME_PERIOD",
                                        "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS", "CONF_STATUS"])
        for (index, row) in observations.enumerated() {
            guard let code = labels[row.unitID]?[0], let period = Period(row.period),
                  inForce[row.unitID]?(period.endDate) == true, let value = row.value else { continue }
            let hidden = suppressed.contains(index)
            writer.append(["dataflow", ExportDataflow.observations, "I", row.indicator, code, row.period,
                           hidden ? "NaN" : sdmxNumber(value), units[row.indicator] ?? "",
                           row.origin == "loaded" ? "A" : "E", hidden ? "C" : "F"])
        }
        return writer.text
    }

    /// The latest forecasts, with their 95% interval, as estimated values (`OBS_STATUS` `F`).
    func sdmxForecasts() -> String {
        var writer = CSVWriter(header: ["STRUCTURE", "STRUCTURE_ID", "ACTION", "INDICATOR", "REF_AREA", "TIME_PERIOD",
                                        "OBS_VALUE", "UNIT_MEASURE", "OBS_STATUS", "LOWER_95", "UPPER_95", "MODEL"])
        for row in forecasts {
            guard let code = labels[row.unitID]?[0] else { continue }
            writer.append(["dataflow", ExportDataflow.forecasts, "I", row.indicator, code, String(row.year),
                           sdmxNumber(row.value), units[row.indicator] ?? "", "F",
                           row.lower95.map(sdmxNumber) ?? "", row.upper95.map(sdmxNumber) ?? "", row.model])
        }
        return writer.text
    }

    func sdmxNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.6g", value)
    }
}

/// Every rejected row with its reason. Rows of the registries describe people and enterprises, and reports
/// show aggregates only: their text and message are left out (`chiso rejects --load N` shows them to whoever
/// holds the warehouse).
func rejectsCSV(_ warehouse: Warehouse) throws -> String {
    var writer = CSVWriter(header: ["load_id", "file", "line", "column", "error_code", "message", "raw"])
    let registries = Set(Registry.allCases.map(\.rawValue))
    for (load, reject) in try warehouse.allRejects() {
        let personal = registries.contains(load.dataset)
        writer.append([String(load.id), load.file, String(reject.line), reject.column ?? "", reject.errorCode,
                       personal ? "registry row: see chiso rejects --load \(load.id)" : reject.message,
                       personal ? "" : reject.raw ?? ""])
    }
    return writer.text
}
