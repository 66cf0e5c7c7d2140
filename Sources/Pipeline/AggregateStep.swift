import Analytics
import Foundation
import Ingest
import Reference
import Warehouse

/// What `aggregate` derived.
public struct AggregateSummary: Codable, Equatable, Sendable {
    /// Derived observations per origin ("aggregated", "crosswalk").
    public var derived: [String: Int] = [:]
    /// The transitions applied, in order, e.g. "pre2025 commune -> district".
    public var steps: [String] = []
}

/// Derives every series at every level and in the current version (METHODS.md section 1):
///
/// 1. roll-up of the pre-2025 units: commune -> district -> province -> region -> nation;
/// 2. crosswalk of pre-2025 communes, then provinces, to the 2025 units, for periods that ended by
///    30 June 2025 (flagged "crosswalk");
/// 3. roll-up of the 2025 units: commune -> province -> region -> nation;
/// 4. crosswalk of the nation and the ministries to their 2025 counterparts.
///
/// Loaded values are never replaced: each step only fills units and periods that have no value yet, and an
/// earlier step wins over a later one. The derived observations replace those of the previous run; with `only`,
/// just those of these indicators (the others' are kept).
@discardableResult
public func aggregateStep(_ context: RunContext, only: Set<String>? = nil) throws -> AggregateSummary {
    let warehouse = context.warehouse, runID = try context.storingRun()
    let directory = try context.units()
    let indicators = try context.indicators()
    let rules = indicators.mapValues { indicator in
        AggregationRule(aggregation: indicator.aggregation, ratioScale: indicator.unit == "percent" ? 100 : 1,
                        weightIndicator: indicator.aggregation == .weightedMean ? "POPULATION" : nil)
    }
    let stored = try warehouse.allObservations()
    var store = ObservationStore(rows: stored.filter { only?.contains($0.indicator) ?? true })
    var summary = AggregateSummary()

    func rollUp(_ version: UnitVersion, _ child: UnitLevel, _ parent: UnitLevel) throws {
        let links = directory.units.filter { $0.version == version && $0.level == child }.compactMap { unit in
            directory.parent(of: unit).flatMap { $0.level == parent ? (parent: $0.id, child: unit.id, share: 1.0) : nil }
        }
        try apply(Membership(links: links, hierarchy: true), name: "\(version.rawValue) \(child.rawValue) -> \(parent.rawValue)",
                  crosswalk: false, periods: { _ in true })
    }
    func convert(_ levels: Set<UnitLevel>) throws {
        let links = directory.crosswalk.compactMap { link -> (parent: Int, child: Int, share: Double)? in
            guard let from = directory.unit(id: link.fromID), let to = directory.unit(id: link.toID),
                  levels.contains(to.level), from.version == .pre2025 else { return nil }
            return (to.id, from.id, link.share)
        }
        let names = levels.map(\.rawValue).sorted().joined(separator: "/")
        try apply(Membership(links: links, hierarchy: false), name: "crosswalk pre2025 -> 2025 \(names)", crosswalk: true,
                  periods: { period in Period(period).map { $0.endDate < ReferenceDataset.reorganisationDate } ?? false })
    }
    func apply(_ membership: Membership, name: String, crosswalk: Bool, periods: (String) -> Bool) throws {
        guard !membership.children.isEmpty else { return }
        let panel = store.panel(units: membership.children, periods: periods)
        guard !panel.columns.isEmpty else { return }
        let result = Aggregator.aggregate(panel, by: membership, rules: rules, isCrosswalk: crosswalk)
        let added = store.fill(from: result)
        summary.steps.append("\(name): \(added) values")
    }

    try rollUp(.pre2025, .commune, .district)
    try rollUp(.pre2025, .district, .province)
    try rollUp(.pre2025, .province, .region)
    try rollUp(.pre2025, .region, .nation)
    try convert([.commune])
    try convert([.province])
    try rollUp(.v2025, .commune, .province)
    try rollUp(.v2025, .province, .region)
    try rollUp(.v2025, .region, .nation)
    try convert([.nation, .ministry])

    let derived = store.derived
    for row in derived { summary.derived[row.origin, default: 0] += 1 }
    try warehouse.replaceDerivedObservations(derived, run: runID, indicators: only,
                                             published: try publishedFigures(context, stored: stored, derived: derived, only: only))
    return summary
}

/// The nation's and regions' registry figures that disclosure control publishes among the observations stored
/// once `derived` replaces the derived ones (of the indicators `only`, or all): in the warehouse's order, so that
/// the steps after read the control's result from the run's cache.
private func publishedFigures(_ context: RunContext, stored: [ObservationRow], derived: [ObservationRow],
                              only: Set<String>?) throws -> [ObservationRow] {
    let kept = stored.filter { $0.origin == "loaded" || !(only?.contains($0.indicator) ?? true) }
    let after = (kept + derived).sorted { ($0.indicator, $0.unitID, $0.year, $0.period) < ($1.indicator, $1.unitID, $1.year, $1.period) }
    let suppressed = try context.suppressedRegistryFigures(after), directory = try context.units()
    return after.indices.filter { index in
        let row = after[index]
        return !suppressed.contains(index) && RegistryIndicators.derived.contains(row.indicator)
            && [.nation, .region].contains(directory.unit(id: row.unitID)?.level)
    }.map { after[$0] }
}

/// Observations by (indicator, unit, period) while aggregating: the loaded ones and those derived so far.
struct ObservationStore {
    private struct Key: Hashable { let indicator: String; let unit: Int; let period: String }
    private var rows: [Key: ObservationRow] = [:]
    private var byUnit: [Int: [Key]] = [:]
    private(set) var derived: [ObservationRow] = []

    init(rows loaded: [ObservationRow]) {
        for row in loaded where row.origin == "loaded" { insert(row) }
    }

    private mutating func insert(_ row: ObservationRow) {
        let key = Key(indicator: row.indicator, unit: row.unitID, period: row.period)
        rows[key] = row
        byUnit[row.unitID, default: []].append(key)
    }

    /// The panel of `units` over every (indicator, period) any of them has, for periods accepted by `periods`.
    func panel(units: [Int], periods: (String) -> Bool) -> Panel {
        var columns: [Panel.Column] = []
        var seen: Set<Panel.Column> = []
        for unit in units {
            for key in byUnit[unit] ?? [] where periods(key.period) {
                let column = Panel.Column(indicator: key.indicator, period: key.period)
                if seen.insert(column).inserted { columns.append(column) }
            }
        }
        columns.sort { ($0.indicator, $0.period) < ($1.indicator, $1.period) }
        let columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        var panel = Panel(units: units, columns: columns)
        for (i, unit) in units.enumerated() {
            for key in byUnit[unit] ?? [] {
                guard let j = columnIndex[Panel.Column(indicator: key.indicator, period: key.period)],
                      let row = rows[key] else { continue }
                panel.values[i, j] = row.value ?? .nan
                panel.numerators[i, j] = row.numerator ?? .nan
                panel.denominators[i, j] = row.denominator ?? .nan
                panel.convertedThroughCrosswalk[i, j] = row.origin == "crosswalk" ? 1 : 0
            }
        }
        return panel
    }

    /// Adds the values of `panel` for units and periods that have none yet; returns how many.
    mutating func fill(from panel: Panel) -> Int {
        var added = 0
        for (i, unit) in panel.units.enumerated() {
            for (j, column) in panel.columns.enumerated() {
                let value = panel.values[i, j]
                // A ratio of nothing (0 of 0, e.g. a district where nobody lives) has no value but is kept with its
                // numerator and denominator, so that the level above still has every member present.
                guard !value.isNaN || !(panel.numerators[i, j].isNaN || panel.denominators[i, j].isNaN) else { continue }
                let key = Key(indicator: column.indicator, unit: unit, period: column.period)
                guard rows[key] == nil, let period = Period(column.period) else { continue }
                func optional(_ x: Double) -> Double? { x.isNaN ? nil : x }
                let row = ObservationRow(indicator: column.indicator, unitID: unit, period: column.period,
                                         year: period.year, value: optional(value), numerator: optional(panel.numerators[i, j]),
                                         denominator: optional(panel.denominators[i, j]),
                                         origin: panel.convertedThroughCrosswalk[i, j] > 0 ? "crosswalk" : "aggregated")
                insert(row)
                derived.append(row)
                added += 1
            }
        }
        return added
    }
}
