import Analytics
import Foundation
import Reference
import Reports
import Warehouse

/// The yearly series stored in the warehouse (loaded and derived), one per indicator and unit, for the units
/// in force today. A unit that continues unchanged into the newest administrative version (see
/// `UnitDirectory.latestContinuation`) has one series under the newest unit. From `observations` when they
/// were read already (every observation, as `Warehouse.allObservations` gives them), else from the warehouse.
func currentSeries(_ context: RunContext, observations: [ObservationRow]? = nil) throws -> [Series] {
    let today = context.today, units = try context.units()
    var points: [String: [Int: Double]] = [:]
    var keys: [(String, Int)] = []
    for row in try observations?.filter(\.isAnnualValue) ?? context.warehouse.annualObservations() {
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
func endedSeries(_ context: RunContext) throws -> [(series: Series, lastYear: Int)] {
    let today = context.today, units = try context.units()
    var points: [String: [Int: Double]] = [:]
    var keys: [(String, Int)] = []
    for row in try context.warehouse.annualObservations() {
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
