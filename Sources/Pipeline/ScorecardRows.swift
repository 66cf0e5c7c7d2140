import Analytics
import Foundation
import Reference
import Reports
import Warehouse

/// The scorecard of the latest assessment and forecast runs (or of the rows given, already read): for each
/// target, the combination of its units (when there are several) and then each unit; a target with no series
/// gets one "no data" row.
public func scorecard(_ context: RunContext, assessments given: [AssessmentRow]? = nil,
                      forecasts givenForecasts: [ForecastRow]? = nil) throws -> [ScorecardRow] {
    let warehouse = context.warehouse, directory = try context.units()
    let assessments = try given ?? warehouse.assessments()?.rows ?? []
    var byTargetUnit: [String: [String: AssessmentRow]] = [:]
    for row in assessments { byTargetUnit["\(row.targetID)|\(row.unitID)", default: [:]][row.method] = row }
    let forecasts = try givenForecasts.map(forecastsByKey) ?? latestForecasts(warehouse)
    var rows: [ScorecardRow] = []
    for target in try context.targets() {
        let units = Set(assessments.filter { $0.targetID == target.id }.map(\.unitID)).compactMap(directory.unit(id:))
            .sorted { ($0.level.rank, $1.code) > ($1.level.rank, $0.code) }
        func row(_ code: String, _ name: String, _ methods: [String: AssessmentRow], status: String? = nil,
                 score: Double? = nil, unitID: Int? = nil, progressMeasure: String? = nil,
                 unitsByStatus: [String: Int] = [:]) -> ScorecardRow {
            let measure = methods[AssessmentMethod.progressMeasure]
            let forecast = unitID.flatMap { id in measure?.assessedYear.flatMap { forecasts["\(target.indicator)|\(id)|\($0)"] } }
            return ScorecardRow(
                targetID: target.id, clause: target.clause, indicator: target.indicator, textVI: target.textVI,
                textEN: target.textEN, unitCode: code, unitName: name, level: target.level,
                latestYear: measure?.latestYear, latestValue: measure?.latestValue,
                comparator: target.comparator.rawValue, threshold: target.threshold, unitOfMeasure: target.unit,
                deadline: target.deadline, assessedYear: measure?.assessedYear, basis: measure?.basis,
                valueAtDeadline: measure?.valueAtDeadline, model: forecast?.model, forecastLower95: forecast?.lower95,
                forecastUpper95: forecast?.upper95,
                status: status ?? methods[AssessmentMethod.headline]?.status ?? "no data",
                score: score ?? measure?.score, progress: measure?.progress,
                projectedValueRatio: methods[AssessmentMethod.projectedValueRatio]?.status,
                escapCurrentStatus: methods[AssessmentMethod.escapCurrentStatus]?.status,
                escapAnticipated: methods[AssessmentMethod.escapAnticipated]?.status,
                probability: measure?.probability, requiredPace: measure?.requiredPace,
                requiredRate: measure?.requiredRate, observedPace: measure?.observedPace,
                progressMeasure: progressMeasure ?? measure?.status, unitsByStatus: unitsByStatus)
        }
        if units.isEmpty {
            rows.append(row("*", target.level, [:]))
            continue
        }
        if units.count > 1 {
            let measures = units.compactMap { byTargetUnit["\(target.id)|\($0.id)"]?[AssessmentMethod.progressMeasure] }
            let combined = ProgressMeasure.combine(measures.map { a in
                ProgressAssessment(status: ProgressStatus(rawValue: a.status) ?? .notAssessable, progress: a.progress,
                                   score: a.score, baseYear: a.baseYear, baseValue: a.baseValue,
                                   latestYear: a.latestYear, latestValue: a.latestValue)
            })
            // The units counted by headline status; the combination says what most of them say, the worse on a tie.
            var counts: [String: Int] = [:]
            for unit in units {
                counts[byTargetUnit["\(target.id)|\(unit.id)"]?[AssessmentMethod.headline]?.status ?? "no data", default: 0] += 1
            }
            let worstFirst = [HeadlineStatus.notMet, .offTrack, .noDataForDeadline, .atRisk, .insufficientData, .onTrack,
                              .metEarly, .met].map(\.rawValue) + ["no data"]
            let most = worstFirst.max { (counts[$0] ?? 0, -(worstFirst.firstIndex(of: $0) ?? 0))
                < (counts[$1] ?? 0, -(worstFirst.firstIndex(of: $1) ?? 0)) }
            rows.append(row("*", "\(units.count) units", [:], status: most ?? "no data", score: combined?.score,
                            progressMeasure: combined?.status.rawValue ?? ProgressStatus.insufficientData.rawValue,
                            unitsByStatus: counts))
        }
        for unit in units {
            rows.append(row(unit.code, unit.nameVI, byTargetUnit["\(target.id)|\(unit.id)"] ?? [:], unitID: unit.id))
        }
    }
    return rows
}
