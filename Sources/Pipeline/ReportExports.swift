import Analytics
import Foundation
import Ingest
import Reference
import Reports
import Warehouse

/// The registry figures to suppress among `rows`: those that show a group below `threshold`
/// (`DisclosureControl.isSmall`: a count, the people of a share, its numerator or complement), and more, so
/// that no group of figures that add up (same indicator and period) has exactly one suppressed: a unit with
/// the units under it, and a 2025 province with the provinces before 2025 that merged whole into it. Kon
/// Tum's 9 of 60 was the 2025 Quảng Ngãi less the old Quảng Ngãi; a 2025 Hưng Yên suppressed beside Quảng
/// Ninh was its two old provinces added up, and the region then gave Quảng Ninh away. A unit that continues
/// unchanged into the 2025 version has the same figure in both: suppressed in one, it is suppressed in the
/// other, and its groups there are looked at again. Then the audit (`registryRelations`) solves every relation
/// at once and suppresses more until none of the counts suppressed is recovered. `rows` must hold every figure
/// of the indicators and periods shown, not only those shown: figures left out cannot protect each other.
public func suppressedRegistryFigures(_ rows: [ObservationRow], directory: UnitDirectory,
                                      threshold: Double = DisclosureControl.defaultThreshold) -> Set<Int> {
    let registry = registryFigures(rows)
    return Set(suppressedAmong(registry.map { rows[$0] }, directory: directory, threshold: threshold).map { registry[$0] })
}

/// The positions in `rows` of its registry figures, which disclosure control looks at.
func registryFigures(_ rows: [ObservationRow]) -> [Int] {
    rows.indices.filter { RegistryIndicators.derived.contains(rows[$0].indicator) }
}

/// `suppressedRegistryFigures` of registry figures only, by their positions in `rows`.
func suppressedAmong(_ rows: [ObservationRow], directory: UnitDirectory, threshold: Double) -> Set<Int> {
    // A 2025 unit that units before 2025 merged into whole (a partial link does not add up).
    func mergedWhole(into unit: AdministrativeUnit) -> Bool {
        let parts = directory.predecessors(of: unit)
        return parts.count > 1 && parts.allSatisfy { !$0.link.partial && $0.link.share == 1 }
    }
    let (shows, counts, relations) = registryRelations(rows, directory: directory)
    let cells = rows.indices.map { index in
        let row = rows[index]
        var groups: [String] = []
        if let unit = directory.unit(id: row.unitID) {
            groups.append("sum \(unit.id)")
            if let parent = unit.parentID { groups.append("sum \(parent)") }
            let links = directory.successors(of: unit)
            if links.count == 1, let into = links.first, mergedWhole(into: into.unit) { groups.append("merger \(into.unit.id)") }
            if mergedWhole(into: unit) { groups.append("merger \(unit.id)") }
        }
        return DisclosureControl.Cell(groups: groups.map { "\(row.indicator)|\(row.period)|" + $0 }, shows: shows[index],
                                      value: row.value, numerator: row.numerator, denominator: row.denominator)
    }
    // The same figure under each version of a unit.
    let figure = rows.map { row in
        "\(row.indicator)|\(row.period)|\(directory.unit(id: row.unitID).map { directory.latestContinuation(of: $0).id } ?? row.unitID)"
    }
    let sameFigure = Dictionary(grouping: rows.indices) { figure[$0] }.values.filter { $0.count > 1 }.map { $0.sorted() }
    return DisclosureControl.suppressed(cells, threshold: threshold, linked: sameFigure.sorted { $0[0] < $1[0] },
                                        counts: counts, relations: relations)
}

/// The counts the registry figures `rows` show (`RegistryIndicators.counted`; a figure whose count differs from
/// another figure's of the same name, unit and period, such as a population loaded from a file, shows one of
/// its own), their values, and the relations between them that hold in these figures: for each count and
/// period, a unit = the sum of the units under it, and a 2025 unit = the sum of its predecessors times their
/// shares (the crosswalk). An outsider who knows the units knows these.
func registryRelations(_ rows: [ObservationRow], directory: UnitDirectory)
    -> (shows: [[Int]], counts: [Double], relations: [DisclosureControl.Relation]) {
    var counts: [Double] = []
    var byName: [String: [Int: Int]] = [:]  // "name|period" -> unit -> count
    func count(_ name: String, of row: ObservationRow, _ value: Double) -> Int {
        let key = "\(name)|\(row.period)"
        if let existing = byName[key]?[row.unitID] {
            if abs(counts[existing] - value) <= 1e-9 * max(1, abs(value)) { return existing }
        } else {
            byName[key, default: [:]][row.unitID] = counts.count
        }
        counts.append(value)
        return counts.count - 1
    }
    let shows: [[Int]] = rows.map { row in
        guard let names = RegistryIndicators.counted[row.indicator] else { return [] }
        if let denominator = names.denominator {
            return [row.numerator.map { count(names.numerator, of: row, $0) },
                    row.denominator.map { count(denominator, of: row, $0) }].compactMap { $0 }
        }
        return row.value.map { [count(names.numerator, of: row, $0)] } ?? []
    }
    var children: [Int: [Int]] = [:]
    for unit in directory.units { if let parent = unit.parentID { children[parent, default: []].append(unit.id) } }
    var relations: [DisclosureControl.Relation] = []
    for key in byName.keys.sorted() {
        let unitCounts = byName[key]!
        for unit in unitCounts.keys.sorted() {
            guard let total = unitCounts[unit], let record = directory.unit(id: unit) else { continue }
            let parts = [(children[unit] ?? []).map { ($0, 1.0) },
                         directory.predecessors(of: record).map { ($0.unit.id, $0.link.share) }]
            for part in parts {
                let terms = part.compactMap { id, share in unitCounts[id].map { (count: $0, coefficient: share) } }
                guard !terms.isEmpty else { continue }
                let sum = terms.reduce(0) { $0 + $1.coefficient * counts[$1.count] }
                guard abs(sum - counts[total]) <= 1e-6 * max(1, abs(counts[total])) else { continue }
                relations.append(DisclosureControl.Relation(terms: [(total, -1)] + terms))
            }
        }
    }
    return (shows, counts, relations)
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
    let suppressed = try context.suppressedRegistryFigures(observations)
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
