import Analytics
import Foundation
import Reference
import Reports
import Warehouse

/// The yearly series stored in the warehouse (loaded and derived), one per indicator and unit, for the units
/// in force today. A unit that continues unchanged into the newest administrative version (see
/// `UnitDirectory.latestContinuation`) has one series under the newest unit.
func currentSeries(_ warehouse: Warehouse, units: UnitDirectory) throws -> [Series] {
    let today = UnitDirectory.today()
    var points: [String: [Int: Double]] = [:]
    var keys: [(String, Int)] = []
    for row in try warehouse.annualObservations() {
        guard let value = row.value, let unit = units.unit(id: row.unitID) else { continue }
        // Disclosure control: a registry figure of fewer than 10 people or enterprises is neither forecast nor
        // assessed, so no output can show it.
        if RegistryIndicators.derived.contains(row.indicator),
           DisclosureControl.isSmall(value: value, numerator: row.numerator, denominator: row.denominator) { continue }
        let current = units.latestContinuation(of: unit)
        guard current.isValid(on: today) else { continue }
        let key = "\(row.indicator)|\(current.id)"
        if points[key] == nil { keys.append((row.indicator, current.id)) }
        // A loaded value of the unit itself wins over one carried over from its earlier version.
        if points[key]?[row.year] == nil || unit.id == current.id { points[key, default: [:]][row.year] = value }
    }
    return keys.map { indicator, unitID in
        let byYear = points["\(indicator)|\(unitID)"] ?? [:]
        let years = byYear.keys.sorted()
        return Series(indicator: indicator, unitID: unitID, years: years, values: years.compactMap { byYear[$0] })
    }
}

/// The yearly series of units that ended (the 63 old provinces, old districts and communes), for the years
/// they existed: each with the last whole year of its unit (2024 for a unit that ended on 30 June 2025).
/// A unit that continues unchanged into the newest version has its series in `currentSeries` instead.
func endedSeries(_ warehouse: Warehouse, units: UnitDirectory) throws -> [(series: Series, lastYear: Int)] {
    let today = UnitDirectory.today()
    var points: [String: [Int: Double]] = [:]
    var keys: [(String, Int)] = []
    for row in try warehouse.annualObservations() {
        guard let value = row.value, let unit = units.unit(id: row.unitID), !unit.isValid(on: today),
              !units.latestContinuation(of: unit).isValid(on: today) else { continue }
        if RegistryIndicators.derived.contains(row.indicator),
           DisclosureControl.isSmall(value: value, numerator: row.numerator, denominator: row.denominator) { continue }
        let key = "\(row.indicator)|\(unit.id)"
        if points[key] == nil { keys.append((row.indicator, unit.id)) }
        points[key, default: [:]][row.year] = value
    }
    return keys.compactMap { indicator, unitID in
        guard let unit = units.unit(id: unitID), let end = unit.validTo, let endYear = Int(end.prefix(4)) else { return nil }
        let byYear = points["\(indicator)|\(unitID)"] ?? [:]
        let years = byYear.keys.sorted()
        let lastYear = end.hasSuffix("-12-31") ? endYear : endYear - 1
        return (Series(indicator: indicator, unitID: unitID, years: years, values: years.compactMap { byYear[$0] }),
                lastYear)
    }
}

/// The year a target is judged in for a series: its deadline, or for a survey rank (published every few
/// years) the first survey at or after the deadline, continuing the series' own cadence (METHODS.md 3.5).
public func assessedYear(deadline: Int, aggregation: Aggregation, years: [Int]) -> Int {
    guard aggregation == .rank, let last = years.last else { return deadline }
    if let survey = years.first(where: { $0 >= deadline }) { return survey }
    let cadence = years.count >= 2 ? max(1, last - years[years.count - 2]) : 1
    var year = last
    while year < deadline { year += cadence }
    return year
}

/// Forecasts every current series with the model its backtest chooses (METHODS.md section 2), to every year
/// a target of its indicator is judged in, to `years`, and to each year from its last observation to last
/// year; a series of a unit that ended, to each year it existed after its last observation (the old
/// provinces' 2021-2024 from a series that stops in 2020). Stores the forecasts under run `runID`. With
/// `only`, just the series of these indicators; the others' forecasts are carried over from the latest run.
@discardableResult
public func forecastStep(_ warehouse: Warehouse, runID: Int, years: [Int] = [],
                         only: Set<String>? = nil) throws -> (series: Int, forecasts: Int) {
    let previous = try warehouse.forecasts()?.run
    let (series, rows) = try computeForecasts(warehouse, years: years, only: only)
    try warehouse.storeForecasts(rows, run: runID)
    try warehouse.record(settings: ["forecast_years": years.isEmpty ? "deadlines" : years.map(String.init).joined(separator: ", ")],
                         run: runID)
    if let only, let previous { try warehouse.carryForecasts(from: previous, to: runID, except: only) }
    return (series, rows.count)
}

/// The forecasts `forecastStep` stores, computed without storing anything: how many series, and the rows.
public func computeForecasts(_ warehouse: Warehouse, years: [Int] = [],
                             only: Set<String>? = nil) throws -> (series: Int, rows: [ForecastRow]) {
    let directory = try ReferenceStore.directory(from: warehouse.db)
    let indicators = try CatalogueStore.indicators(in: warehouse.db)
    let targets = Dictionary(grouping: try CatalogueStore.targets(in: warehouse.db), by: \.indicator)
    let series = try currentSeries(warehouse, units: directory).filter { only?.contains($0.indicator) ?? true }
    // A series that stops before last year is also estimated for the years since (a survey rank is not: it
    // has no value between surveys).
    let lastWholeYear = (Int(UnitDirectory.today().prefix(4)) ?? 0) - 1
    // Series needing the same horizon are forecast together.
    var byHorizon: [[Int]: [Series]] = [:]
    for item in series {
        let aggregation = indicators[item.indicator]?.aggregation ?? .sum
        let judged = (targets[item.indicator] ?? []).map {
            assessedYear(deadline: $0.deadline, aggregation: aggregation, years: item.years)
        }
        let since = item.years.last.map { $0 < lastWholeYear && aggregation != .rank ? Array(($0 + 1)...lastWholeYear) : [] }
        byHorizon[Array(Set(judged + years + (since ?? []))).sorted(), default: []].append(item)
    }
    for (item, lastYear) in try endedSeries(warehouse, units: directory) where only?.contains(item.indicator) ?? true {
        guard let latest = item.years.last, latest < lastYear else { continue }
        byHorizon[Array((latest + 1)...lastYear), default: []].append(item)
    }
    var rows: [ForecastRow] = []
    for (horizon, members) in byHorizon where !horizon.isEmpty {
        let forecasts = try Forecaster.forecast(members, to: horizon,
                                                bounded: { indicators[$0]?.unit == "percent" })
        rows += forecasts.map { f in
            // A straight line can leave 0-100; a percentage cannot.
            let percent = indicators[f.indicator]?.unit == "percent"
            func clip(_ value: Double?) -> Double? { value.map { percent ? min(max($0, 0), 100) : $0 } }
            return ForecastRow(indicator: f.indicator, unitID: f.unitID, year: f.year, model: f.model.rawValue,
                               value: clip(f.value) ?? f.value, lower80: clip(f.interval80?.lowerBound),
                               upper80: clip(f.interval80?.upperBound), lower95: clip(f.interval95?.lowerBound),
                               upper95: clip(f.interval95?.upperBound), slope: f.slope, pointCount: f.pointCount,
                               mae: f.backtestError, center: f.center, sigma: f.spread, df: f.degreesOfFreedom)
        }
    }
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

/// The assessment methods, as stored in the `method` column.
public enum AssessmentMethod {
    /// The one status of a target in a unit (METHODS.md 3.6).
    public static let headline = "headline"
    public static let progressMeasure = "progress-measure"
    public static let projectedValueRatio = "projected-value-ratio"
    public static let escapCurrentStatus = "escap-current-status (provisional)"
    public static let escapAnticipated = "escap-anticipated-progress (provisional)"
    public static let all = [headline, progressMeasure, projectedValueRatio, escapCurrentStatus, escapAnticipated]
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

/// Assesses every target in every current unit that has a series of its indicator, by every method of
/// METHODS.md section 3, with the forecasts of the latest forecast run; stores the results under `runID`.
///
/// The year judged is the deadline (for survey ranks, the first survey at or after it). When a value was
/// observed that year the judgement rests on it ("observed"); otherwise on the forecast ("forecast"). The
/// progress measure and the projected-value ratio use the observations up to that year; the anticipated
/// progress index and the probability use the value at the deadline.
@discardableResult
public func assessStep(_ warehouse: Warehouse, runID: Int, baseYear: Int = 2020) throws -> Int {
    let rows = try computeAssessments(warehouse, baseYear: baseYear)
    try warehouse.storeAssessments(rows, run: runID)
    try warehouse.record(settings: ["base_year": String(baseYear)], run: runID)
    return rows.count
}

/// The assessments `assessStep` stores, computed without storing anything (on the latest stored forecasts).
public func computeAssessments(_ warehouse: Warehouse, baseYear: Int = 2020) throws -> [AssessmentRow] {
    let directory = try ReferenceStore.directory(from: warehouse.db)
    let indicators = try CatalogueStore.indicators(in: warehouse.db)
    let byIndicator = Dictionary(grouping: try currentSeries(warehouse, units: directory), by: \.indicator)
    let forecasts = try latestForecasts(warehouse)
    let currentYear = Int(UnitDirectory.today().prefix(4)) ?? 0
    var rows: [AssessmentRow] = []
    for target in try CatalogueStore.targets(in: warehouse.db) {
        guard let indicator = indicators[target.indicator] else { continue }
        let levels = assessedLevels(forTargetLevel: target.level)
        let direction = indicator.direction.sign
        let meets = { (value: Double) in target.comparator.isMet(value, target.threshold) }
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
            let forecast = forecasts["\(series.indicator)|\(unit.id)|\(year)"]
            let observed = series.value(in: year)
            let atDeadline = observed ?? forecast?.value
            var probability: Double? = observed.map { meets($0) ? 1 : 0 }
            if probability == nil, let forecast, let model = TrendModel(rawValue: forecast.model),
               let center = forecast.center, let sigma = forecast.sigma, let df = forecast.df {
                probability = model.probability(center: center, spread: sigma, degreesOfFreedom: df,
                                                ofReaching: target.threshold, atLeast: direction > 0)
            }
            let measure = ProgressMeasure.assess(years: series.years, values: series.values, direction: direction,
                                                 threshold: target.threshold, deadline: year, baseYear: baseYear)
            let pace = measure.latestYear.flatMap { t in measure.latestValue.map { y in
                RequiredPace.pace(latestYear: t, latest: y, threshold: target.threshold, deadline: year)
            } }
            func row(_ method: String, progress: Double?, score: Double?, status: String) -> AssessmentRow {
                AssessmentRow(targetID: target.id, unitID: unit.id, method: method, baseYear: measure.baseYear,
                              baseValue: measure.baseValue, latestYear: measure.latestYear,
                              latestValue: measure.latestValue, progress: progress, score: score, status: status,
                              basis: observed != nil ? "observed" : forecast != nil ? "forecast" : nil,
                              assessedYear: year, valueAtDeadline: atDeadline, probability: probability,
                              requiredPace: pace?.perYear, requiredRate: pace?.rate, observedPace: forecast?.slope)
            }
            let headline = HeadlineStatus.judge(judgedYear: year, currentYear: currentYear, observed: observed,
                                                latest: measure.latestValue, points: series.years.filter { $0 <= year }.count,
                                                meets: meets, probability: probability, progress: measure.progress)
            rows.append(row(AssessmentMethod.headline, progress: nil, score: nil, status: headline.rawValue))
            rows.append(row(AssessmentMethod.progressMeasure, progress: measure.progress, score: measure.score,
                            status: measure.status.rawValue))
            guard let t0 = measure.baseYear, let y0 = measure.baseValue, let t = measure.latestYear,
                  let y = measure.latestValue else { continue }
            // The methods agree with the headline at the ends: one value is too few for any of them, and a target
            // met is met in each (3.1 calls it achieved).
            let single = t == t0
            let met = meets(y)
            let ratio = ProjectedValueRatio.assess(baseYear: t0, base: y0, latestYear: t, latest: y,
                                                   threshold: target.threshold, deadline: year,
                                                   percent: indicator.unit == "percent", met: met)
            rows.append(row(AssessmentMethod.projectedValueRatio, progress: ratio.ratio, score: nil,
                            status: ratio.status.rawValue))
            let current = single ? nil
                : ESCAPStyleIndex.index(base: y0, value: y, threshold: target.threshold, direction: direction)
            rows.append(row(AssessmentMethod.escapCurrentStatus, progress: current, score: nil,
                            status: single ? "insufficient data"
                                : current.map(ESCAPStyleIndex.currentStatus) ?? "not assessable"))
            let anticipated = single ? nil : met ? 10 : atDeadline.flatMap {
                ESCAPStyleIndex.index(base: y0, value: $0, threshold: target.threshold, direction: direction)
            }
            rows.append(row(AssessmentMethod.escapAnticipated, progress: anticipated, score: nil,
                            status: single ? "insufficient data"
                                : anticipated.map(ESCAPStyleIndex.anticipatedProgress) ?? "not assessable"))
        }
    }
    return rows
}

/// The scorecard of the latest assessment and forecast runs (or of the rows given, already read): for each
/// target, the combination of its units (when there are several) and then each unit; a target with no series
/// gets one "no data" row.
public func scorecard(_ warehouse: Warehouse, assessments given: [AssessmentRow]? = nil,
                      forecasts givenForecasts: [ForecastRow]? = nil) throws -> [ScorecardRow] {
    let directory = try ReferenceStore.directory(from: warehouse.db)
    let assessments = try given ?? warehouse.assessments()?.rows ?? []
    var byTargetUnit: [String: [String: AssessmentRow]] = [:]
    for row in assessments { byTargetUnit["\(row.targetID)|\(row.unitID)", default: [:]][row.method] = row }
    let forecasts = try givenForecasts.map(forecastsByKey) ?? latestForecasts(warehouse)
    var rows: [ScorecardRow] = []
    for target in try CatalogueStore.targets(in: warehouse.db) {
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
