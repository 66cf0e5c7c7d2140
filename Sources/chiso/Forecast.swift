import ArgumentParser
import Foundation
import Pipeline
import Reference
import Warehouse

struct Forecast: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forecast every yearly series to the target deadlines with a least-squares linear trend.",
        discussion: """
            Series observed in the same years are fitted together in one LAPACK least-squares solve. Each
            forecast has 80% and 95% prediction intervals (t distribution); a series of one point is carried
            forward. Results are stored under a new run id.

            Examples:
              chiso forecast
              chiso forecast --year 2025 --year 2030 --indicator DVC_L4_SHARE --format csv
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @Option(name: .customLong("year"), help: "A year to forecast to (repeatable; default: every target deadline).")
    var years: [Int] = []
    @Option(help: "Only print this indicator.") var indicator: String?
    @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        try reportingFailures {
            let store = try Warehouse(path: warehouse.path)
            let runID = try store.startRun(command: "forecast")
            try forecastStep(store, runID: runID, years: years.isEmpty ? nil : years)
            try store.finishRun(runID, status: "succeeded")
            let directory = try ReferenceStore.directory(from: store.db)
            let rows = try store.forecasts(run: runID)?.rows ?? []
            printRows(["run", "indicator", "unit", "year", "model", "value", "lower95", "upper95", "slope", "points"],
                      rows.filter { indicator == nil || $0.indicator == indicator }.map { row in
                          [String(runID), row.indicator, directory.unit(id: row.unitID)?.code ?? "?", String(row.year),
                           row.model, fmt(row.value), fmt(row.lower95), fmt(row.upper95), fmt(row.slope),
                           String(row.pointCount)]
                      }, format: format)
        }
    }
}

/// A number for printing: 4 decimals, empty when missing.
func fmt(_ value: Double?) -> String {
    guard let value, value.isFinite else { return "" }
    return String(format: "%.4f", value)
}
