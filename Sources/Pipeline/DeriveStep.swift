import Foundation
import Ingest
import Reference
import Warehouse

/// Turns the registries into yearly observations by unit, with numerator and denominator for shares
/// (METHODS.md, "Indicators derived from the registries"). Each registry is read as of the date of its latest
/// load. The observations load like a file would - changed values keep their earlier ones as revisions -
/// and the load is recorded with dataset "derived".
///
/// - `POPULATION`: active residents, in the extract's year.
/// - `DIGITAL_ID_L2_SHARE`: active residents with a level-2 identity among active residents, for each year
///   from the first registration to the extract's: a year's numerator counts identities registered by its end,
///   its denominator residents born by its end.
/// - `EINVOICE_SHARE`: active enterprises using e-invoices among active enterprises; for earlier years from
///   `e_invoice_since` too, when every user has that date.
/// - `LAND_DIGITISED_SHARE`, `LAND_CERTIFIED_SHARE`: parcels with a digitised record / a certificate, in the
///   extract's year.
/// - `NEW_ENTERPRISES`: enterprises registered in each complete year (dissolved ones included).
///
/// An extract covers the provinces it has records in: every unit of the records' level in those provinces gets a
/// value, zero when it has no record (a commune with no parcel has none digitised, out of none), so that
/// totals roll up; provinces without any record stay missing.
///
/// Earlier years rest on today's records (people who died or moved since, enterprises dissolved since, are not
/// in them): they describe the present population's history, and say so in their source. A year is derived
/// for a unit only when the unit existed at the year's end, so an extract in the 2025 units gives no
/// pre-2025 history.
public func deriveStep(_ context: RunContext) throws -> LoadSummary {
    let warehouse = context.warehouse, units = try context.units()
    var rows: [ObservationRow] = []
    var sources: [String] = []

    /// The province a unit lies in (itself for a province).
    func province(of id: Int) -> Int? {
        var unit = units.unit(id: id)
        while let current = unit, current.level != .province { unit = units.parent(of: current) }
        return unit?.id
    }
    /// The units covered by an extract whose records are in `recorded`: the provinces with records, and when
    /// records are below province level, every unit in force on `asOf` in those provinces that has no unit below
    /// it (the communes, and the few districts without communes, such as island districts).
    func covered(_ recorded: Set<Int>, asOf: String) -> [Int] {
        let provinces = Set(recorded.compactMap(province(of:)))
        guard recorded.contains(where: { units.unit(id: $0)?.level != .province }) else { return Array(provinces) }
        let inForce = units.units.filter { $0.isValid(on: asOf) && $0.level < .province }
        let parents = Set(inForce.compactMap(\.parentID))
        return inForce.filter { !parents.contains($0.id) && province(of: $0.id).map(provinces.contains) == true }.map(\.id)
    }
    /// The units an extract of `registry` covers, from the units its records are in.
    func covered(_ registry: Registry, asOf: String) throws -> [Int] {
        covered(try warehouse.unitsWithRecords(in: registry), asOf: asOf)
    }
    /// The count up to and including `year`.
    func cumulative(_ byYear: [Int: Double]?, through year: Int) -> Double {
        (byYear ?? [:]).reduce(0) { $0 + ($1.key <= year ? $1.value : 0) }
    }
    func add(_ indicator: String, unit: Int, year: Int, value: Double?, numerator: Double? = nil, denominator: Double? = nil,
             source: String) {
        rows.append(ObservationRow(indicator: indicator, unitID: unit, period: String(year), year: year, value: value,
                                   numerator: numerator, denominator: denominator, source: source))
    }
    func shares(_ indicator: String, numerators: [Int: [Int: Double]], denominators: [Int: [Int: Double]],
                years: ClosedRange<Int>, source: String) {
        for (unit, byYear) in denominators {
            for year in years {
                let denominator = cumulative(byYear, through: year)
                let numerator = cumulative(numerators[unit], through: year)
                add(indicator, unit: unit, year: year, value: denominator > 0 ? 100 * numerator / denominator : nil,
                    numerator: numerator, denominator: denominator, source: source)
            }
        }
    }

    if let (load, asOf) = try warehouse.latestExtract(of: .population) {
        let year = Int(asOf.prefix(4))!
        let source = "derived from the population registry (load \(load), as of \(asOf))"
        sources.append("population load \(load)")
        var residents = try warehouse.activeResidentsByBirthYear()
        for unit in try covered(.population, asOf: asOf) where residents[unit] == nil { residents[unit] = [:] }
        for (unit, byYear) in residents {
            add("POPULATION", unit: unit, year: year, value: cumulative(byYear, through: year), source: source)
        }
        let identities = try warehouse.levelTwoIdentitiesByYear()
        let first = identities.values.flatMap(\.keys).min() ?? year
        shares("DIGITAL_ID_L2_SHARE", numerators: identities, denominators: residents, years: min(first, year)...year,
               source: first < year ? source + "; earlier years from registration dates of today's residents" : source)
    }
    if let (load, asOf) = try warehouse.latestExtract(of: .business) {
        let year = Int(asOf.prefix(4))!
        let source = "derived from the business registry (load \(load), as of \(asOf))"
        sources.append("business load \(load)")
        var active = try warehouse.activeEnterprisesByRegistrationYear()
        let coveredUnits = try covered(.business, asOf: asOf)
        for unit in coveredUnits where active[unit] == nil { active[unit] = [:] }
        let undated = try warehouse.eInvoiceUsersWithoutStartDate()
        let users = try warehouse.eInvoiceUsersByYear(allIn: undated == 0 ? nil : year)
        let first = undated == 0 ? users.values.flatMap(\.keys).min() ?? year : year
        shares("EINVOICE_SHARE", numerators: users, denominators: active, years: min(first, year)...year,
               source: first < year ? source + "; earlier years from e_invoice_since of today's active enterprises" : source)
        let registered = try warehouse.enterprisesByRegistrationYear()
        let lastComplete = asOf.hasSuffix("-12-31") ? year : year - 1
        let firstYear = registered.values.flatMap(\.keys).min() ?? year
        if firstYear <= lastComplete {
            for unit in coveredUnits {
                for registrationYear in firstYear...lastComplete {
                    add("NEW_ENTERPRISES", unit: unit, year: registrationYear,
                        value: registered[unit]?[registrationYear] ?? 0, source: source)
                }
            }
        }
    }
    if let (load, asOf) = try warehouse.latestExtract(of: .land) {
        let year = Int(asOf.prefix(4))!
        let source = "derived from the land registry (load \(load), as of \(asOf))"
        sources.append("land load \(load)")
        let parcels = try warehouse.parcelCounts()
        for unit in try covered(.land, asOf: asOf) {
            let (count, digitised, certified) = parcels[unit] ?? (0, 0, 0)
            add("LAND_DIGITISED_SHARE", unit: unit, year: year, value: count > 0 ? 100 * digitised / count : nil,
                numerator: digitised, denominator: count, source: source)
            add("LAND_CERTIFIED_SHARE", unit: unit, year: year, value: count > 0 ? 100 * certified / count : nil,
                numerator: certified, denominator: count, source: source)
        }
    }

    // An annual value belongs to the units in force on 31 December of its year.
    let derived = rows.count
    rows.removeAll { row in !(units.unit(id: row.unitID)?.isValid(on: "\(row.year)-12-31") ?? false) }
    let outsideVersion = derived - rows.count
    let description = sources.isEmpty ? "registries (none loaded)" : "registries: " + sources.joined(separator: ", ")
    var summary = LoadSummary(file: description, sha256: sha256Hex(of: Data(description.utf8)), format: "registry-derived",
                              dataset: "derived")
    summary.read = rows.count
    guard !rows.isEmpty else {
        summary.status = .skipped
        summary.message = "no registry has been loaded: load one with 'chiso ingest --registry'"
        return summary
    }
    if outsideVersion > 0 {
        summary.message = "\(outsideVersion) unit-years left out: the unit was not in force at the end of the year "
            + "(an annual value belongs to the units of 31 December)"
    }
    rows.sort { ($0.indicator, $0.unitID, $0.period) < ($1.indicator, $1.unitID, $1.period) }
    let started = Warehouse.timestamp()
    struct NoChange: Error {}
    do {
        try warehouse.transaction {
            let loadID = try warehouse.record(summary, rejects: [], startedAt: started)
            let writer = try warehouse.observationWriter(loadID: loadID)
            let counts = try writer.store(rows)
            summary.loaded += counts.inserted
            summary.updated += counts.revised
            summary.unchanged += counts.unchanged
            // Nothing new: no load is recorded, so the warehouse reads as unchanged.
            if summary.loaded == 0 && summary.updated == 0 { throw NoChange() }
            summary.loadID = loadID
            try warehouse.updateCounts(summary)
        }
    } catch is NoChange {
        summary.status = .skipped
        summary.message = "no observation changed since the last derive"
    }
    return summary
}
