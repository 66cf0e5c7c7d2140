import Analytics
import Foundation
import Reference
import Reports
import Warehouse

/// The yearly series stored in the warehouse (loaded and derived), one per indicator and unit, for the units
/// in force today. A unit that continues unchanged into the newest administrative version (see
/// `UnitDirectory.latestContinuation`) has one series under the newest unit. From `observations` when they
/// were read already (every observation, as `Warehouse.allObservations` gives them), else from the warehouse.
/// A registry figure that disclosure control suppresses is withheld with the years before it (`Withheld`).
func currentSeries(_ context: RunContext, observations: [ObservationRow]? = nil) throws -> [Series] {
    let today = context.today, units = try context.units()
    let rows = try observations?.filter(\.isAnnualValue) ?? context.warehouse.annualObservations()
    var withheld = try Withheld(rows, context)
    var points: [String: [Int: Double]] = [:]
    var keys: [(String, Int)] = []
    for (index, row) in rows.enumerated() {
        guard let value = row.value, let unit = units.unit(id: row.unitID) else { continue }
        let current = units.latestContinuation(of: unit)
        guard current.isValid(on: today) else { continue }
        let key = "\(row.indicator)|\(current.id)"
        guard !withheld.withholds(index, year: row.year, of: key) else { continue }
        if points[key] == nil { keys.append((row.indicator, current.id)) }
        // A loaded value of the unit itself wins over one carried over from its earlier version.
        if points[key]?[row.year] == nil || unit.id == current.id { points[key, default: [:]][row.year] = value }
    }
    return keys.compactMap { indicator, unitID in
        withheld.series(indicator, unitID, points["\(indicator)|\(unitID)"] ?? [:])
    }
}

/// The yearly series of units that ended (the 63 old provinces, old districts and communes), for the years
/// they existed: each with the last whole year of its unit (2024 for a unit that ended on 30 June 2025).
/// A unit that continues unchanged into the newest version has its series in `currentSeries` instead.
func endedSeries(_ context: RunContext) throws -> [(series: Series, lastYear: Int)] {
    let today = context.today, units = try context.units()
    let rows = try context.warehouse.annualObservations()
    var withheld = try Withheld(rows, context)
    var points: [String: [Int: Double]] = [:]
    var keys: [(String, Int)] = []
    for (index, row) in rows.enumerated() {
        guard let value = row.value, let unit = units.unit(id: row.unitID), !unit.isValid(on: today),
              !units.latestContinuation(of: unit).isValid(on: today) else { continue }
        let key = "\(row.indicator)|\(unit.id)"
        guard !withheld.withholds(index, year: row.year, of: key) else { continue }
        if points[key] == nil { keys.append((row.indicator, unit.id)) }
        points[key, default: [:]][row.year] = value
    }
    return keys.compactMap { indicator, unitID in
        guard let unit = units.unit(id: unitID), let end = unit.validTo, let endYear = Int(end.prefix(4)),
              let series = withheld.series(indicator, unitID, points["\(indicator)|\(unitID)"] ?? [:]) else { return nil }
        return (series, end.hasSuffix("-12-31") ? endYear : endYear - 1)
    }
}

/// Disclosure control of the series: a registry figure the report suppresses (`suppressedRegistryFigures`: it
/// shows fewer than 10 people or enterprises, or is the sibling that would reveal one) is neither forecast,
/// assessed nor charted, and neither are the years before it - a series rests on its figures since the last
/// one withheld, so that a unit whose recent figures are withheld is not forecast from its older ones (a
/// region with 0 of 11 enterprises on e-invoices in 2019 and too few to show since was forecast at 0% for
/// 2030). A series whose latest figure is withheld has no points and is left out.
struct Withheld {
    private let suppressed: Set<Int>
    private var lastYear: [String: Int] = [:]

    init(_ rows: [ObservationRow], _ context: RunContext) throws {
        suppressed = try context.suppressedRegistryFigures(rows)
    }

    /// Whether row `index` (of `year`, in the series `key`) is withheld, noting its year for the series.
    mutating func withholds(_ index: Int, year: Int, of key: String) -> Bool {
        guard suppressed.contains(index) else { return false }
        lastYear[key] = max(lastYear[key] ?? year, year)
        return true
    }

    /// The series of `points` after the last year withheld from it; nil when that leaves none.
    func series(_ indicator: String, _ unitID: Int, _ points: [Int: Double]) -> Series? {
        let after = lastYear["\(indicator)|\(unitID)"] ?? .min
        let years = points.keys.filter { $0 > after }.sorted()
        guard !years.isEmpty else { return nil }
        return Series(indicator: indicator, unitID: unitID, years: years, values: years.compactMap { points[$0] })
    }
}
