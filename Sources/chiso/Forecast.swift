import ArgumentParser
import Foundation
import Pipeline
import Reference
import Warehouse

struct Forecast: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forecast every series to its deadlines with the model a backtest chooses.",
        discussion: """
            Models (METHODS.md section 2): linear, loglinear (constant growth, positive
            series), logit (percentages, which cannot pass 100) and naive (last value
            carried forward). With 4 or more points a rolling-origin backtest picks the
            model with the smallest mean absolute error; 2-3 points use linear, 1 naive.
            Series observed in the same years are fitted in one LAPACK least-squares
            solve. Each forecast has 80% and 95% prediction intervals mapped back
            through the model's transform. Forecasts go to every year a target is judged
            in and to each --year (for a survey rank, the first survey at or after
            it), but not to a year the series was observed in.

            \(lookingNeverChanges)

            Examples:
              chiso forecast --save
              chiso forecast --indicator DVC_L4_SHARE --format csv
              chiso forecast --year 2027 --indicator DVC_L4_SHARE
              chiso forecast --level province --version 2025 --format json

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var stored: StoredResults
    @Option(name: .customLong("year"), help: "An extra year to forecast to (repeatable; a what-if without --save).")
    var years: [Int] = []
    @OptionGroup var filter: ResultFilter
    @OptionGroup var output: PrintOptions

    func run() throws {
        try reportingFailures {
            let context = try stored.open(warehouse, command: "forecast")
            let store = context.warehouse
            let directory = try context.units()
            let keep = try filter.predicate(directory, indicators: Array(context.indicators().keys))
            let run: Int?, rows: [ForecastRow]
            if stored.save {
                let runID = try context.startRun(command: "forecast")
                try forecastStep(context, years: years)
                try store.finishRun(runID, status: .succeeded)
                (run, rows) = (runID, try store.forecasts(run: runID, indicator: filter.indicator)?.rows ?? [])
            } else if !years.isEmpty {
                (run, rows) = (nil, try computeForecasts(context, years: years, only: filter.indicator.map { [$0] }).rows)
                note(StoredResults.notSaved)
            } else {
                guard let found = try store.forecasts(run: stored.run, indicator: filter.indicator) else {
                    throw stored.nothingStored("forecasts", command: "forecast")
                }
                (run, rows) = (found.run, found.rows)
            }
            printRows(["run", "indicator", "unit", "year", "model", "value", "lower80", "upper80", "lower95", "upper95",
                       "pace", "backtest_mae", "points"],
                      try filter.nonEmpty(rows.filter { keep($0.indicator, $0.unitID) }).map { row in
                          [.whole(run), .text(row.indicator), .text(directory.unit(id: row.unitID)?.code ?? "?"),
                           .integer(row.year), .text(row.model), .number(row.value), .number(row.lower80),
                           .number(row.upper80), .number(row.lower95), .number(row.upper95), .number(row.slope),
                           .number(row.mae), .integer(row.pointCount)]
                      }, options: output, leaveOut: ["run", "points", "backtest_mae", "pace", "lower80", "upper80", "model"])
        }
    }
}
