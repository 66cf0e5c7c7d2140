import Analytics
import Foundation
import Reference
import Warehouse

/// Forecasts every current series with the model its backtest chooses (METHODS.md section 2), to every year
/// a target of its indicator is judged in, to `years` (for a survey rank, the survey at or after each), and
/// to each year from its last observation to last year, but never to a year observed: a model's value there
/// would read as a forecast that came true. A series of a unit that ended goes to each year it existed after
/// its last observation (the old provinces' 2021-2024 from a series that stops in 2020). Stores the forecasts
/// under run `runID`. With `only`, just the series of these indicators; the others' forecasts are carried
/// over from the latest run.
@discardableResult
public func forecastStep(_ context: RunContext, years: [Int] = [],
                         only: Set<String>? = nil) throws -> (series: Int, forecasts: Int) {
    let warehouse = context.warehouse, runID = try context.storingRun()
    let previous = try warehouse.forecasts()?.run
    let (series, rows) = try computeForecasts(context, years: years, only: only)
    try warehouse.storeForecasts(rows, run: runID)
    try warehouse.record(settings: ["forecast_years": years.isEmpty ? "deadlines" : years.map(String.init).joined(separator: ", ")],
                         run: runID)
    if let only, let previous { try warehouse.carryForecasts(from: previous, to: runID, except: only) }
    return (series, rows.count)
}

/// The forecasts `forecastStep` stores, computed without storing anything: how many series, and the rows.
public func computeForecasts(_ context: RunContext, years: [Int] = [],
                             only: Set<String>? = nil) throws -> (series: Int, rows: [ForecastRow]) {
    let indicators = try context.indicators()
    let targets = Dictionary(grouping: try context.targets(), by: \.indicator)
    let series = try currentSeries(context).filter { only?.contains($0.indicator) ?? true }
    // A series that stops before last year is also estimated for the years since (a survey rank is not: it
    // has no value between surveys).
    let lastWholeYear = context.year - 1
    // Series needing the same horizon are forecast together.
    var byHorizon: [[Int]: [Series]] = [:]
    for item in series {
        let aggregation = indicators[item.indicator]?.aggregation ?? .sum
        // A year asked for is, for a survey rank, the first survey at or after it, as a deadline is: the EGDI
        // rank has no 2025 value to forecast.
        let asked = ((targets[item.indicator] ?? []).map(\.deadline) + years).map {
            assessedYear(deadline: $0, aggregation: aggregation, years: item.years)
        }
        let since = item.years.last.map { $0 < lastWholeYear && aggregation != .rank ? Array(($0 + 1)...lastWholeYear) : [] }
        let horizon = Set(asked + (since ?? [])).subtracting(item.years)
        byHorizon[horizon.sorted(), default: []].append(item)
    }
    for (item, lastYear) in try endedSeries(context) where only?.contains(item.indicator) ?? true {
        guard let latest = item.years.last, latest < lastYear else { continue }
        byHorizon[Array((latest + 1)...lastYear), default: []].append(item)
    }
    var rows: [ForecastRow] = []
    for (horizon, members) in byHorizon where !horizon.isEmpty {
        let forecasts = try Forecaster.forecast(members, to: horizon,
                                                bounded: { indicators[$0]?.unit == "percent" })
        rows += forecasts.map { f in
            // A straight line can leave 0-100, a random walk can pass the first rank; a percentage and a rank cannot.
            let percent = indicators[f.indicator]?.unit == "percent", rank = indicators[f.indicator]?.aggregation == .rank
            func clip(_ value: Double?) -> Double? { value.map { percent ? min(max($0, 0), 100) : rank ? max($0, 1) : $0 } }
            return ForecastRow(indicator: f.indicator, unitID: f.unitID, year: f.year, model: f.model.rawValue,
                               value: clip(f.value) ?? f.value, lower80: clip(f.interval80?.lowerBound),
                               upper80: clip(f.interval80?.upperBound), lower95: clip(f.interval95?.lowerBound),
                               upper95: clip(f.interval95?.upperBound), slope: f.slope, pointCount: f.pointCount,
                               mae: f.backtestError, center: f.center, sigma: f.spread, df: f.degreesOfFreedom)
        }
    }
    // In the order they are stored and read back, whatever order the horizons came in.
    rows.sort { ($0.indicator, $0.unitID, $0.year) < ($1.indicator, $1.unitID, $1.year) }
    return (series.count, rows)
}

/// The forecasts of the latest forecast run, by "indicator|unit id|year".
func latestForecasts(_ warehouse: Warehouse) throws -> [String: ForecastRow] {
    forecastsByKey(try warehouse.forecasts()?.rows ?? [])
}

/// Forecast rows by "indicator|unit id|year".
func forecastsByKey(_ rows: [ForecastRow]) -> [String: ForecastRow] {
    var forecasts: [String: ForecastRow] = [:]
    for row in rows { forecasts["\(row.indicator)|\(row.unitID)|\(row.year)"] = row }
    return forecasts
}
