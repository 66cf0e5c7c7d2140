import Analytics
import Foundation
import Ingest
import Reference
import Warehouse

/// What the simulation starts from: every current series of an indicator with a target, at the levels
/// planners simulate (nation, regions, provinces, ministries), with its fitted model's forecast distribution.
///
/// The provinces in force are the leaves: a region or the nation whose provinces all have a series (with a
/// denominator for a RATIO, a population for a WEIGHTED_MEAN) is aggregated from them inside each draw; any
/// other series is simulated on its own.
public struct SimulationBase: Sendable {
    public let indicators: [IndicatorSimulation]
    /// The years judged, and the checks (target thresholds) of each indicator.
    public let years: [Int]
    public let checks: [String: [Check]]
    /// Each target with its year judged.
    let targets: [(target: Target, year: Int, check: Check)]
    /// Latest observed value of every simulated or aggregated unit, by "indicator|unit id".
    let latest: [String: Double]
    let directory: UnitDirectory
    /// The day the simulation describes: units are named as in force on it.
    let today: String

    public init(_ context: RunContext) throws {
        today = context.today
        let directory = try context.units()
        self.directory = directory
        let catalogue = try context.indicators()
        let allTargets = try context.targets()
        let targeted = Set(allTargets.map(\.indicator))
        let levels: Set<UnitLevel> = [.nation, .region, .province, .ministry]
        let current = try currentSeries(context)
        let series = current.filter { item in
            targeted.contains(item.indicator) && (directory.unit(id: item.unitID).map { levels.contains($0.level) } ?? false)
        }
        var latest: [String: Double] = [:]
        for item in series { latest["\(item.indicator)|\(item.unitID)"] = item.values.last }
        self.latest = latest
        var population: [Int: Double] = [:]
        for item in current where item.indicator == "POPULATION" { population[item.unitID] = item.values.last }

        // The year each target is judged in, from its indicator's series (a survey rank's cadence).
        let byIndicator = Dictionary(grouping: series, by: \.indicator)
        var judged: [(Target, Int, Check)] = []
        for target in allTargets {
            guard let indicator = catalogue[target.indicator], let first = byIndicator[target.indicator]?.first else { continue }
            let year = assessedYear(deadline: target.deadline, aggregation: indicator.aggregation, years: first.years)
            let atLeast = target.comparator == .atLeast || (target.comparator == .equal && indicator.direction == .higher)
            judged.append((target, year, Check(year: year, threshold: target.threshold, atLeast: atLeast)))
        }
        targets = judged
        let years = Array(Set(judged.map(\.1))).sorted()
        self.years = years
        checks = Dictionary(grouping: judged, by: \.0.indicator).mapValues { Array(Set($0.map(\.2))) }

        // Forecast distributions for every year from the earliest needed to the last judged.
        let lastYear = years.last ?? 0
        let firstYear = min(years.first ?? lastYear, (series.compactMap { $0.years.last }.min() ?? lastYear) + 1)
        let horizon = Array(firstYear...max(firstYear, lastYear))
        let forecasts = try Forecaster.forecast(series, to: horizon, bounded: { catalogue[$0]?.unit == "percent" })
        var distribution: [String: [Analytics.Forecast]] = [:]
        for f in forecasts { distribution["\(f.indicator)|\(f.unitID)", default: []].append(f) }

        // Weights: a RATIO's latest denominator; POPULATION for a WEIGHTED_MEAN.
        var denominators: [String: Double] = [:]
        var lastYearOf: [String: Int] = [:]
        for item in series { lastYearOf["\(item.indicator)|\(item.unitID)"] = item.years.last }
        for row in try context.warehouse.annualObservations() {
            guard let unit = directory.unit(id: row.unitID), let denominator = row.denominator else { continue }
            let key = "\(row.indicator)|\(directory.latestContinuation(of: unit).id)"
            if lastYearOf[key] == row.year { denominators[key] = denominator }
        }

        let today = context.today
        let provinces = directory.units.filter { $0.level == .province && $0.isValid(on: today) }
        func ancestors(_ unit: AdministrativeUnit) -> [AdministrativeUnit] {
            var chain: [AdministrativeUnit] = [], current = unit
            while let parent = directory.parent(of: current) {
                chain.append(parent)
                current = parent
            }
            return chain
        }
        var built: [IndicatorSimulation] = []
        for (code, items) in byIndicator.sorted(by: { $0.key < $1.key }) {
            guard let indicator = catalogue[code] else { continue }
            let percent = indicator.unit == "percent"
            let range: ClosedRange<Double> = percent ? 0...100 : indicator.aggregation == .rank ? 1 ... .infinity : -.infinity ... .infinity
            // A forecast without a spread (2 points on a line, 1 point carried forward: no degree of freedom
            // left) is not simulated: every draw would be the forecast itself, a probability of 0 or 100%.
            func simulated(_ item: Series, weight: Double?) -> SimulatedSeries? {
                guard let fs = distribution["\(code)|\(item.unitID)"]?.sorted(by: { $0.year < $1.year }), let f = fs.first,
                      f.degreesOfFreedom > 0 else { return nil }
                return SimulatedSeries(unitID: item.unitID, model: f.model,
                                       observed: Dictionary(uniqueKeysWithValues: zip(item.years, item.values)),
                                       firstYear: horizon[0], centers: fs.map(\.center), spreads: fs.map(\.spread),
                                       degreesOfFreedom: f.degreesOfFreedom, range: range, weight: weight,
                                       residuals: f.residuals)
            }
            let byUnit = Dictionary(uniqueKeysWithValues: items.map { ($0.unitID, $0) })
            var leaves: [SimulatedSeries] = [], leafIndex: [Int: Int] = [:]
            for province in provinces {
                guard let item = byUnit[province.id] else { continue }
                var weight: Double?
                switch indicator.aggregation {
                case .ratio: weight = denominators["\(code)|\(province.id)"]
                case .weightedMean: weight = population[province.id]
                default: weight = nil
                }
                guard let s = simulated(item, weight: weight) else { continue }
                leafIndex[province.id] = leaves.count
                leaves.append(s)
            }
            // Parents whose every province is a leaf with what aggregation needs.
            var parents: [(unitID: Int, members: [Int])] = []
            if indicator.aggregation != .rank {
                var members: [Int: [AdministrativeUnit]] = [:]
                for province in provinces { for parent in ancestors(province) { members[parent.id, default: []].append(province) } }
                for (parentID, provincesOf) in members.sorted(by: { $0.key < $1.key }) {
                    let indices = provincesOf.compactMap { leafIndex[$0.id] }
                    let weighted = indicator.aggregation == .ratio || indicator.aggregation == .weightedMean
                    guard indices.count == provincesOf.count,
                          !weighted || indices.allSatisfy({ leaves[$0].weight != nil }) else { continue }
                    parents.append((parentID, indices))
                }
            }
            let aggregated = Set(parents.map(\.unitID))
            let standalone = items.filter { leafIndex[$0.unitID] == nil && !aggregated.contains($0.unitID) }
                .sorted { $0.unitID < $1.unitID }.compactMap { simulated($0, weight: nil) }
            built.append(IndicatorSimulation(indicator: code, aggregation: indicator.aggregation,
                                             ratioScale: percent ? 100 : 1, leaves: leaves, standalone: standalone,
                                             parents: parents))
        }
        indicators = built
    }

    /// The units a list names, as they are in force today; a unit that ended (a province merged on 1 July 2025)
    /// is refused with the units it went into: its series is not simulated, and a change to it changed nothing.
    func listed(_ codes: [String], in scenario: Scenario, field: String) throws -> [AdministrativeUnit] {
        try codes.map { code in
            do {
                return try directory.inForce(code, on: today)
            } catch {
                throw scenario.error(field, "\(error)")
            }
        }
    }

    /// The units a selector names, as a test on simulated series of `indicator`; a named unit that is
    /// aggregated in each draw cannot be changed directly.
    func selector(_ selection: Scenario.UnitSelector, indicator: IndicatorSimulation, in scenario: Scenario,
                  field: String) throws -> (SimulatedSeries) -> Bool {
        switch selection {
        case .all:
            return { _ in true }
        case .list(let codes):
            var ids: Set<Int> = []
            for unit in try listed(codes, in: scenario, field: field) {
                if indicator.parents.contains(where: { $0.unitID == unit.id }) {
                    let instead = unit.level == .nation ? "all" : "{region: \(unit.code)}"
                    throw scenario.error(field, "\(unit.code) \(unit.nameVI) is aggregated from its "
                        + "provinces in each draw for \(indicator.indicator): name its provinces or \(instead)")
                }
                ids.insert(unit.id)
            }
            return { ids.contains($0.unitID) }
        case .region(let code):
            let region: AdministrativeUnit
            do {
                region = directory.latestContinuation(of: try directory.resolve(code, level: .region, on: today).matched)
            } catch {
                throw scenario.error(field, "\(error)")
            }
            return { [directory] series in
                var unit = directory.unit(id: series.unitID)
                while let current = unit {
                    if current.id == region.id { return true }
                    unit = directory.parent(of: current)
                }
                return false
            }
        case .below(let threshold), .above(let threshold):
            let below = { if case .below = selection { return true } else { return false } }()
            let latest = self.latest, code = indicator.indicator
            return { series in
                guard let value = latest["\(code)|\(series.unitID)"] else { return false }
                return below ? value < threshold : value > threshold
            }
        }
    }
}

/// What a simulation run produced.
public struct SimulationSummary: Sendable {
    public var rows: [SimulationRow] = []
    public var gains: [GainRow] = []
}

/// Simulates each scenario against the base with `settings` (the correlation is the scenario's), answers its
/// inverse questions, and stores everything under run `runID` (README, Methods, Simulation).
@discardableResult
public func simulateStep(_ context: RunContext, scenarios: [Scenario],
                         settings: SimulationSettings) throws -> SimulationSummary {
    let warehouse = context.warehouse, runID = try context.storingRun()
    let summary = try simulate(context, scenarios: scenarios, settings: settings)
    try warehouse.storeSimulation(summary.rows, gains: summary.gains,
                                  scenarios: scenarios.map { ($0.name, $0.description) }, run: runID)
    try warehouse.record(settings: ["draws": String(settings.draws), "seed": String(settings.seed)], run: runID)
    return summary
}

/// What `simulateStep` stores, computed without storing anything.
public func simulate(_ context: RunContext, scenarios: [Scenario], settings: SimulationSettings) throws -> SimulationSummary {
    let base = try SimulationBase(context)
    let catalogue = try context.indicators(), targeted = Set(try context.targets().map(\.indicator))
    var summary = SimulationSummary()
    var baselines: [String: [[Outcome]]] = [:]
    var names: [String: String] = [:]
    for scenario in scenarios {
        if let other = names[scenario.name] {
            throw scenario.error("name", "'\(scenario.name)' already names the scenario of \(other)")
        }
        names[scenario.name] = scenario.file
        var run = settings
        run.correlation = scenario.uncertainty?.correlation ?? 0
        run.uncertainty = scenario.uncertainty?.method.flatMap(Uncertainty.init(rawValue:)) ?? .model
        var changed = base.indicators
        for (n, change) in scenario.interventions.enumerated() {
            let field = "interventions[\(n)]"
            var codes = change.indicators ?? changed.map(\.indicator), seen: Set<String> = []
            codes.removeAll { !seen.insert($0).inserted }  // listed twice, changed once
            for code in codes {
                guard catalogue[code] != nil else {
                    throw scenario.error(field + ".indicators", "no indicator \(code) in the catalogue")
                }
                // An indicator with no series here has no row to change; one with no target never has.
                guard let i = changed.firstIndex(where: { $0.indicator == code }) else {
                    guard !targeted.contains(code) else { continue }
                    throw scenario.error(field + ".indicators", "\(code) has no target "
                        + "to simulate: the change would change nothing ('chiso targets' lists the targets)")
                }
                let selected = try base.selector(change.units, indicator: changed[i], in: scenario, field: field + ".units")
                changed[i].apply(ScheduledIntervention(change.change, from: change.from), where: selected)
            }
            // A district or a commune is never simulated. (A province with no series here is left, as an indicator
            // with none is: what is simulated depends on the data, and a scenario file must not fail the nightly
            // the day it changes; the report says when a scenario changes nothing.)
            if case .list(let names) = change.units {
                for unit in try base.listed(names, in: scenario, field: field + ".units") where unit.level == .district || unit.level == .commune {
                    throw scenario.error(field + ".units", "\(unit.code) \(unit.nameVI) is a \(unit.level.rawValue): districts and "
                        + "communes are not simulated, so the change would change nothing (name its province)")
                }
            }
        }
        let outcomes = Simulator.run(changed, years: base.years, checks: base.checks, settings: run)
        let baselineKey = "\(run.uncertainty.rawValue)|\(run.correlation)"
        if baselines[baselineKey] == nil {
            baselines[baselineKey] = Simulator.run(base.indicators, years: base.years, checks: base.checks, settings: run)
        }
        let baseline = baselines[baselineKey] ?? []
        // Outcomes by indicator, in unit order, beside the baseline's of the same unit and year.
        var byIndicator: [String: [(outcome: Outcome, baseline: Outcome?)]] = [:]
        for (i, results) in outcomes.enumerated() {
            let before = Dictionary(baseline[i].map { ("\($0.unitID)|\($0.year)", $0) }, uniquingKeysWith: { a, _ in a })
            byIndicator[changed[i].indicator] = results.sorted { ($0.unitID, $0.year) < ($1.unitID, $1.year) }
                .map { ($0, before["\($0.unitID)|\($0.year)"]) }
        }
        for (target, year, check) in base.targets {
            for (o, b) in byIndicator[target.indicator] ?? [] where o.year == year {
                if let own = target.unitID {
                    guard let planned = base.directory.unit(id: own), base.directory.latestContinuation(of: planned).id == o.unitID
                    else { continue }
                }
                guard let p = o.probabilities[check], let b else { continue }
                summary.rows.append(SimulationRow(
                    scenario: scenario.name, targetID: target.id, unitID: o.unitID, year: year, draws: run.draws,
                    aggregated: o.aggregated, probability: p, median: o.median, lower80: o.lower80, upper80: o.upper80,
                    lower95: o.lower95, upper95: o.upper95, baselineProbability: b.probabilities[check] ?? .nan,
                    baselineMedian: b.median))
            }
        }
        for (n, question) in scenario.inverse.enumerated() {
            let field = "inverse[\(n)]"
            guard let (target, year, check) = base.targets.first(where: { $0.target.id == question.target }) else {
                throw scenario.error(field + ".target",
                                 "no target \(question.target) with data to simulate (see chiso targets)")
            }
            guard let i = changed.firstIndex(where: { $0.indicator == target.indicator }) else { continue }
            let unit: AdministrativeUnit
            do {
                unit = try base.directory.inForce(question.unit ?? "VN", on: context.today)
            } catch {
                throw scenario.error(field + ".unit", "\(error)")
            }
            guard changed[i].series.contains(where: { $0.unitID == unit.id }) || changed[i].parents.contains(where: { $0.unitID == unit.id })
            else {
                throw scenario.error(field + ".unit",
                                 "\(unit.code) \(unit.nameVI) has no series of \(target.indicator) to simulate "
                                    + "(or too few points for a forecast with a spread: 3 at least)")
            }
            let gainUnits = question.gainUnits ?? .all
            let selected = try base.selector(gainUnits, indicator: changed[i], in: scenario, field: field + ".gain_units")
            let from = question.from ?? context.year + 1
            // A gain that starts after the year judged cannot change it, whatever the data (the default 'from' is next
            // year). What the data decide - a year judged already observed, gain units that do not reach the unit's
            // series - gives "not reachable", so that the file does not fail the nightly the day the data change.
            guard from <= year else {
                throw scenario.error(field + ".from", "\(target.id) is judged in \(year): a gain from \(from) cannot change it "
                    + "(ask with from: \(year) or earlier, or of a later target)")
            }
            let level = question.probability ?? 0.8
            let percent = catalogue[target.indicator]?.unit == "percent"
            let answer = Simulator.smallestGain(
                changed[i], selected: selected, from: from, unitID: unit.id, check: check, level: level,
                tolerance: percent ? 0.01 : max(0.01, abs(target.threshold) * 1e-4),
                upperBound: percent ? 100 : max(1, abs(target.threshold)) * 10, settings: run)
            summary.gains.append(GainRow(scenario: scenario.name, targetID: target.id, unitID: unit.id,
                                         gainUnits: gainUnits.description, fromYear: from, level: level, gain: answer.gain,
                                         probabilityWithout: answer.probabilityWithout,
                                         probabilityWith: answer.probabilityWith))
        }
    }
    return summary
}
