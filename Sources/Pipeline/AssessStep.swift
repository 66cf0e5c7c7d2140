import Analytics
import Foundation
import Reference
import Warehouse

/// Assesses every target in every current unit that has a series of its indicator, by every method of
/// METHODS.md section 3 (`TargetAssessment`), with the forecasts of the latest forecast run; stores the results
/// under the context's run.
@discardableResult
public func assessStep(_ context: RunContext, baseYear: Int = 2020) throws -> Int {
    let runID = try context.storingRun()
    let rows = try computeAssessments(context, baseYear: baseYear)
    try context.warehouse.storeAssessments(rows, run: runID)
    try context.warehouse.record(settings: ["base_year": String(baseYear)], run: runID)
    return rows.count
}

/// The assessments `assessStep` stores, computed without storing anything (on the latest stored forecasts).
public func computeAssessments(_ context: RunContext, baseYear: Int = 2020) throws -> [AssessmentRow] {
    let directory = try context.units()
    let indicators = try context.indicators()
    let byIndicator = Dictionary(grouping: try currentSeries(context), by: \.indicator)
    let forecasts = try latestForecasts(context.warehouse)
    var rows: [AssessmentRow] = []
    for target in try context.targets() {
        guard let indicator = indicators[target.indicator] else { continue }
        let levels = assessedLevels(forTargetLevel: target.level)
        for series in byIndicator[target.indicator] ?? [] {
            guard let unit = directory.unit(id: series.unitID) else { continue }
            // A local plan's target is for its one unit (or that unit continued into the current version); the
            // decision's are for every unit of their level.
            if let own = target.unitID {
                guard let planned = directory.unit(id: own), directory.latestContinuation(of: planned).id == unit.id
                else { continue }
            } else if !levels.contains(unit.level) {
                continue
            }
            let year = assessedYear(deadline: target.deadline, aggregation: indicator.aggregation, years: series.years)
            let stored = forecasts["\(series.indicator)|\(unit.id)|\(year)"]
            let forecast = stored.map {
                ForecastAtDeadline(value: $0.value, model: TrendModel(rawValue: $0.model), center: $0.center,
                                   spread: $0.sigma, degreesOfFreedom: $0.df, slope: $0.slope)
            }
            let assessment = TargetAssessment(target: target, indicator: indicator, series: series, forecast: forecast,
                                              baseYear: baseYear, currentYear: context.year)
            for verdict in assessment.verdicts {
                rows.append(AssessmentRow(
                    targetID: target.id, unitID: unit.id, method: verdict.method, baseYear: assessment.baseYear,
                    baseValue: assessment.baseValue, latestYear: assessment.latestYear,
                    latestValue: assessment.latestValue, progress: verdict.progress, score: verdict.score,
                    status: verdict.status, basis: assessment.basis, assessedYear: assessment.assessedYear,
                    valueAtDeadline: assessment.valueAtDeadline, probability: assessment.probability,
                    requiredPace: assessment.requiredPace, requiredRate: assessment.requiredRate,
                    observedPace: assessment.observedPace))
            }
        }
    }
    return rows
}
