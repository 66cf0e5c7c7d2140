import Analytics
import Foundation
import Ingest
import Reference
import Reports
import Warehouse

/// The registry figures to suppress among `rows`: those that show a group below `threshold`
/// (`DisclosureControl.isSmall`: a count, the people of a share, its numerator or complement), and the sibling
/// that would reveal a lone suppressed one - among the units of one parent (same indicator and period), and
/// among the provinces before 2025 that merged into one 2025 province, whose figure is their sum (Kon Tum's 9
/// of 60 was the 2025 Quảng Ngãi's figure less the old Quảng Ngãi's, both shown). A unit that continues
/// unchanged into the 2025 version has the same figure in both: suppressed in one, it is suppressed in the
/// other, and its siblings there are looked at again (Quảng Ninh, suppressed in 2025 beside a small province,
/// was shown as it was before 2025, and the region's total then gave the small one away). `rows` must hold
/// every figure of the indicators and periods shown, not only those shown: siblings left out cannot protect
/// each other.
public func suppressedRegistryFigures(_ rows: [ObservationRow], directory: UnitDirectory,
                                      threshold: Double = DisclosureControl.defaultThreshold) -> Set<Int> {
    let registry = rows.indices.filter { RegistryIndicators.derived.contains(rows[$0].indicator) }
    func cells(_ group: (ObservationRow, AdministrativeUnit?) -> String) -> [DisclosureControl.Cell] {
        registry.map { index in
            let row = rows[index]
            return DisclosureControl.Cell(group: "\(row.indicator)|\(row.period)|" + group(row, directory.unit(id: row.unitID)),
                                          value: row.value, numerator: row.numerator, denominator: row.denominator)
        }
    }
    let siblings = cells { _, unit in "parent \(unit?.parentID ?? 0)" }
    // The unit a merger made of a unit and others, whole (a partial link does not add up); else the row alone.
    let merged = cells { row, unit in
        let links = unit.map(directory.successors(of:)) ?? []
        guard links.count == 1, let into = links.first, !into.link.partial, into.link.share == 1,
              directory.predecessors(of: into.unit).count > 1 else { return "row \(row.unitID)" }
        return "merged into \(into.unit.id)"
    }
    // The same figure under each version of a unit.
    let figure = registry.map { index in
        let row = rows[index]
        return "\(row.indicator)|\(row.period)|\(directory.unit(id: row.unitID).map { directory.latestContinuation(of: $0).id } ?? row.unitID)"
    }
    let sameFigure = Dictionary(grouping: registry.indices) { figure[$0] }
    var suppressed: Set<Int> = []
    while true {
        let found = DisclosureControl.suppressed(merged, threshold: threshold,
                                                 also: DisclosureControl.suppressed(siblings, threshold: threshold, also: suppressed))
        let spread = Set(found.flatMap { sameFigure[figure[$0]] ?? [$0] })
        if spread == suppressed { break }
        suppressed = spread
    }
    return Set(suppressed.map { registry[$0] })
}

/// What the exports hold, from what the report's gather read: every observation (registry figures under the
/// disclosure threshold marked), the latest forecasts, every rejected row, and each indicator's unit of measure.
func exportTables(_ context: RunContext, observations: [ObservationRow], forecasts: [ForecastRow]) throws -> ExportTables {
    let directory = try context.units()
    var labels: [Int: ExportUnit] = [:]
    for id in Set(observations.map(\.unitID)).union(forecasts.map(\.unitID)) {
        guard let unit = directory.unit(id: id) else { continue }
        labels[id] = ExportUnit(code: unit.code, name: unit.nameVI, level: unit.level.rawValue, version: unit.version.rawValue)
    }
    let suppressed = suppressedRegistryFigures(observations, directory: directory)
    var tables = ExportTables()
    tables.observations = observations.enumerated().map { index, row in
        let inForce = Period(row.period).flatMap { period in directory.unit(id: row.unitID)?.isValid(on: period.endDate) }
        return ExportObservation(indicator: row.indicator, unit: labels[row.unitID], period: row.period, value: row.value,
                                 numerator: row.numerator, denominator: row.denominator, origin: row.origin,
                                 suppressed: suppressed.contains(index), inForceAtPeriodEnd: inForce ?? false)
    }
    tables.forecasts = forecasts.map { row in
        ExportForecast(indicator: row.indicator, unit: labels[row.unitID], year: row.year, value: row.value,
                       lower80: row.lower80, upper80: row.upper80, lower95: row.lower95, upper95: row.upper95, model: row.model)
    }
    let registries = Set(Registry.allCases.map(\.rawValue))
    tables.rejects = try context.warehouse.allRejects().map { load, reject in
        RejectLine(loadID: load.id, file: load.file, line: reject.line, column: reject.column, errorCode: reject.errorCode,
                   message: reject.message, raw: reject.raw, personal: registries.contains(load.dataset))
    }
    tables.unitsOfMeasure = try context.indicators().mapValues(\.unit)
    return tables
}
