import Analytics
import Foundation
import Reference
import Reports
import Warehouse

/// The yearly series stored in the warehouse, one per indicator and unit. A unit that continues unchanged
/// into the newest administrative version (see `UnitDirectory.latestContinuation`) has one series, under
/// the newest unit, so the nation's 2019-2024 values and its 2025 value are one series.
func storedSeries(_ warehouse: Warehouse, units: UnitDirectory) throws -> [Series] {
    var points: [String: [Int: Double]] = [:]
    var keys: [(String, Int)] = []
    for row in try warehouse.annualObservations() {
        guard let value = row.value, let unit = units.unit(id: row.unitID) else { continue }
        let unitID = units.latestContinuation(of: unit).id
        let key = "\(row.indicator)|\(unitID)"
        if points[key] == nil { keys.append((row.indicator, unitID)) }
        points[key, default: [:]][row.year] = value
    }
    return keys.map { indicator, unitID in
        let byYear = points["\(indicator)|\(unitID)"] ?? [:]
        let years = byYear.keys.sorted()
        return Series(indicator: indicator, unitID: unitID, years: years, values: years.compactMap { byYear[$0] })
    }
}

/// Forecasts every stored yearly series to `years` (default: every target deadline) with a linear trend, and
/// stores the forecasts under run `runID`. Returns how many series and forecasts.
@discardableResult
public func forecastStep(_ warehouse: Warehouse, runID: Int, years: [Int]? = nil) throws -> (series: Int, forecasts: Int) {
    let horizon = try years ?? Array(Set(CatalogueStore.targets(in: warehouse.db).map(\.deadline))).sorted()
    let series = try storedSeries(warehouse, units: try ReferenceStore.directory(from: warehouse.db))
    let forecasts = try LinearTrend.forecast(series, to: horizon)
    let indicators = try CatalogueStore.indicators(in: warehouse.db)
    try warehouse.storeForecasts(forecasts.map { f in
        // A share cannot leave 0-100: a straight line can, so percentages are clipped to that range.
        let bounds = indicators[f.indicator]?.unit == "percent" ? 0.0...100.0 : -Double.infinity...Double.infinity
        func clip(_ value: Double?) -> Double? { value.map { min(max($0, bounds.lowerBound), bounds.upperBound) } }
        return ForecastRow(indicator: f.indicator, unitID: f.unitID, year: f.year, model: f.model,
                           value: clip(f.value) ?? f.value, lower80: clip(f.interval80?.lowerBound),
                           upper80: clip(f.interval80?.upperBound), lower95: clip(f.interval95?.lowerBound),
                           upper95: clip(f.interval95?.upperBound), slope: f.slope, pointCount: f.pointCount)
    }, run: runID)
    return (series.count, forecasts.count)
}

/// The unit levels whose series measure a target of `level`. District- and commune-level targets are about
/// the records of those authorities, which provinces report in aggregate, so provinces carry them.
public func assessedLevels(forTargetLevel level: String) -> Set<UnitLevel> {
    switch level {
    case "national": return [.nation]
    case "ministry": return [.ministry]
    case "ministry_province": return [.ministry, .province]
    default: return [.province]
    }
}

/// Assesses every target in every unit that has a series of its indicator, with the progress measure
/// (METHODS.md 3.1), and stores the results under run `runID`. Returns how many assessments.
@discardableResult
public func assessStep(_ warehouse: Warehouse, runID: Int, baseYear: Int = 2020) throws -> Int {
    let directory = try ReferenceStore.directory(from: warehouse.db)
    let indicators = try CatalogueStore.indicators(in: warehouse.db)
    let byIndicator = Dictionary(grouping: try storedSeries(warehouse, units: directory), by: \.indicator)
    var rows: [AssessmentRow] = []
    for target in try CatalogueStore.targets(in: warehouse.db) {
        guard let indicator = indicators[target.indicator] else { continue }
        let levels = assessedLevels(forTargetLevel: target.level)
        for series in byIndicator[target.indicator] ?? [] {
            guard let unit = directory.unit(id: series.unitID), levels.contains(unit.level) else { continue }
            let result = ProgressMeasure.assess(years: series.years, values: series.values,
                                                direction: indicator.direction.sign, threshold: target.threshold,
                                                deadline: target.deadline, baseYear: baseYear)
            rows.append(AssessmentRow(targetID: target.id, unitID: unit.id, method: "progress-measure",
                                      baseYear: result.baseYear, baseValue: result.baseValue,
                                      latestYear: result.latestYear, latestValue: result.latestValue,
                                      progress: result.progress, score: result.score, status: result.status.rawValue))
        }
    }
    try warehouse.storeAssessments(rows, run: runID)
    return rows.count
}

/// The scorecard of the latest assessment and forecast runs: for each target, the combination of its units
/// (when there are several) and then each unit; a target with no series gets one "no data" row.
public func scorecard(_ warehouse: Warehouse) throws -> [ScorecardRow] {
    let directory = try ReferenceStore.directory(from: warehouse.db)
    let assessments = Dictionary(grouping: try warehouse.assessments()?.rows ?? [], by: \.targetID)
    var forecasts: [String: ForecastRow] = [:]
    for row in try warehouse.forecasts()?.rows ?? [] { forecasts["\(row.indicator)|\(row.unitID)|\(row.year)"] = row }
    var rows: [ScorecardRow] = []
    for target in try CatalogueStore.targets(in: warehouse.db) {
        func row(unitCode: String, unitName: String, assessment: AssessmentRow?, status: String, score: Double?,
                 forecast: ForecastRow?) -> ScorecardRow {
            ScorecardRow(targetID: target.id, clause: target.clause, indicator: target.indicator,
                         textVI: target.textVI, textEN: target.textEN, unitCode: unitCode, unitName: unitName,
                         level: target.level, latestYear: assessment?.latestYear,
                         latestValue: assessment?.latestValue, comparator: target.comparator.rawValue,
                         threshold: target.threshold, unitOfMeasure: target.unit, deadline: target.deadline,
                         forecast: forecast?.value, forecastLower95: forecast?.lower95,
                         forecastUpper95: forecast?.upper95, status: status, score: score,
                         progress: assessment?.progress)
        }
        let units = (assessments[target.id] ?? []).compactMap { a in directory.unit(id: a.unitID).map { (a, $0) } }
            .sorted { ($0.1.level.rank, $1.1.code) > ($1.1.level.rank, $0.1.code) }
        if units.isEmpty {
            rows.append(row(unitCode: "*", unitName: target.level, assessment: nil, status: "no data", score: nil,
                            forecast: nil))
            continue
        }
        if units.count > 1 {
            let combined = ProgressMeasure.combine(units.map { a, _ in
                ProgressAssessment(status: ProgressStatus(rawValue: a.status) ?? .notAssessable, progress: a.progress,
                                   score: a.score, baseYear: a.baseYear, baseValue: a.baseValue,
                                   latestYear: a.latestYear, latestValue: a.latestValue)
            })
            rows.append(row(unitCode: "*", unitName: "\(units.count) units", assessment: nil,
                            status: combined?.status.rawValue ?? ProgressStatus.insufficientData.rawValue,
                            score: combined?.score, forecast: nil))
        }
        for (assessment, unit) in units {
            rows.append(row(unitCode: unit.code, unitName: unit.nameVI, assessment: assessment,
                            status: assessment.status, score: assessment.score,
                            forecast: forecasts["\(target.indicator)|\(unit.id)|\(target.deadline)"]))
        }
    }
    return rows
}

/// Writes `scorecard.csv` and `report.html` into `directory` (created when missing); returns their paths.
public func reportStep(_ warehouse: Warehouse, runID: Int, directory: String,
                       language: ReportLanguage = .vi) throws -> [String] {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let rows = try scorecard(warehouse)
    let csvPath = directory + "/scorecard.csv"
    let htmlPath = directory + "/report.html"
    try ScorecardCSV.render(rows).write(toFile: csvPath, atomically: true, encoding: .utf8)
    let title = language == .vi ? "Chỉ số Chính phủ số – Quyết định 942/QĐ-TTg" : "Digital Government targets – Decision 942/QĐ-TTg"
    let html = HTMLReport.render(rows: rows, title: title, generatedAt: Warehouse.timestamp(), runID: runID,
                                 synthetic: try warehouse.hasSyntheticData(), language: language)
    try html.write(toFile: htmlPath, atomically: true, encoding: .utf8)
    return [csvPath, htmlPath]
}
