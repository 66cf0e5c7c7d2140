import Foundation
import Reference
import Warehouse

/// How an indicator file's unit names and codes are resolved, and its administrative version checked.
extension IndicatorFileLoader {
    /// The unit a code or name denotes for `period`, read in `version` when it is set (a 2025 unit may
    /// carry figures recomputed for years before it existed; an old unit has none after it ended), else in
    /// the version in force at the period's end. With `level`, a unit of a lower level is refused: a table of
    /// provinces holds no commune.
    func resolveUnit(_ query: String, period: Period, version: UnitVersion?, level: UnitLevel?,
                     preferredLevel: UnitLevel?) -> Result<Int, UnitProblem> {
        // A table repeats each unit once per year, and an unknown name costs a search for the nearest ones.
        let key = "\(query)|\(period)|\(version?.rawValue ?? "")|\(level?.rawValue ?? "")|\(preferredLevel?.rawValue ?? "")"
        if let known = resolutions.results[key] { return known }
        let result = resolveUnitUncached(query, period: period, version: version, level: level,
                                         preferredLevel: preferredLevel)
        resolutions.results[key] = result
        return result
    }

    func resolveUnitUncached(_ query: String, period: Period, version: UnitVersion?, level: UnitLevel?,
                             preferredLevel: UnitLevel?) -> Result<Int, UnitProblem> {
        let end = period.endDate
        let date: String
        switch version {
        case .pre2025?: date = min(end, ReferenceDataset.lastDayPre2025)
        case .v2025?: date = max(end, ReferenceDataset.reorganisationDate)
        case nil: date = end
        }
        let resolution: UnitResolution
        do {
            resolution = try resolveStrictly(query, on: date, preferring: preferredLevel)
        } catch let error as UnitLookupError {
            // "1" for "01": a spreadsheet dropped the leading zeros of a code.
            let zeros = query.count < 5 && query.allSatisfy(\.isNumber)
                ? [2, 5].map { String(repeating: "0", count: max(0, $0 - query.count)) + query }
                    .first { (try? units.resolve($0, on: date)) != nil && $0 != query } : nil
            let hint = zeros.map { "; if a spreadsheet dropped its leading zeros, the code is \($0): save the column as text" } ?? ""
            if case .severalLevels = error { return .failure(UnitProblem(code: RejectCode.ambiguousUnit, message: "\(error)" + hint)) }
            return .failure(UnitProblem(code: RejectCode.unknownUnit, message: "\(error)" + hint))
        } catch {
            return .failure(UnitProblem(code: RejectCode.unknownUnit, message: "\(error)"))
        }
        let unit = resolution.matched
        if let level, unit.level.rank < level.rank {
            return .failure(UnitProblem(code: RejectCode.wrongLevel, message: "'\(query)' is \(units.describe(unit)), but the "
                                            + "table's rows are \(level.rawValue)s: give the \(level.rawValue)'s name or code"))
        }
        if let version, unit.version != version {
            let now = resolution.inForce.map { "\($0.code) \($0.nameVI)" }.joined(separator: ", ")
            return .failure(UnitProblem(code: RejectCode.unitNotInForce,
                                        message: "\(units.describe(unit)) is not a unit of version "
                                            + "\(version.rawValue)" + (now.isEmpty ? "" : "; it became \(now)")))
        }
        guard unit.isValid(on: date) else {
            let now = resolution.inForce.map { "\($0.code) \($0.nameVI)" }.joined(separator: ", ")
            return .failure(UnitProblem(code: RejectCode.unitNotInForce,
                                        message: "\(units.describe(unit)) is not in force at the end of \(period); "
                                            + (now.isEmpty ? "" : "it became \(now); ")
                                            + "report it under the units of that date"))
        }
        if version == .pre2025, end > ReferenceDataset.lastDayPre2025 {
            return .failure(UnitProblem(code: RejectCode.unitNotInForce,
                                        message: "\(units.describe(unit)) ended on \(ReferenceDataset.lastDayPre2025), "
                                            + "before the end of \(period)"))
        }
        return .success(unit.id)
    }

    /// A unit name or code resolved without guessing its level: a name of several levels means the one most
    /// rows of the file have (`preferred`), else it is refused.
    func resolveStrictly(_ query: String, on date: String, preferring preferred: UnitLevel?) throws -> UnitResolution {
        do {
            return try units.resolve(query, on: date, strictLevels: true)
        } catch UnitLookupError.severalLevels(_, let levels, _) where preferred.map(levels.contains) ?? false {
            return try units.resolve(query, level: preferred, on: date)
        }
    }

    struct UnitProblem: Error {
        let code: RejectCode
        let message: String
    }

    /// Resolutions already made by this loader (its directory does not change).
    final class Resolutions {
        var results: [String: Result<Int, UnitProblem>] = [:]
    }

    /// Refuses a file whose units fit the 2025 version better than the one its periods imply: periods before
    /// 1 July 2025, and at least five provinces (or communes), every one written as a code or name that also
    /// denotes a unit of that level of 1 July 2025 (so none of those abolished then). Its codes and names would
    /// otherwise land on the old units they meant before (79 without Bình Dương and Bà Rịa - Vũng Tàu; a ward
    /// code the reform gave to a larger ward).
    func checkVersion(of rows: [(row: ObservationRow, record: IndicatorRecord)], path: String) throws {
        for level in [UnitLevel.province, .commune] {
            var found: Set<Int> = [], periods: Set<String> = [], queries: Set<String> = []
            for (row, record) in rows {
                guard let unit = units.unit(id: row.unitID), unit.level == level, unit.version == .pre2025 else { continue }
                found.insert(unit.id)
                periods.insert(row.period)
                queries.insert(record.fields["unit"] ?? "")
            }
            guard found.count >= 5, queries.allSatisfy({ query in
                (try? units.resolve(query, level: level, on: ReferenceDataset.reorganisationDate).matched.version) == .v2025
            }) else { continue }
            let range = periods.sorted()
            let span = range.first == range.last ? range.first ?? "" : "\(range.first ?? "")-\(range.last ?? "")"
            let (new, old) = level == .province ? ("34 provinces", "63 old provinces (79 without Bình Dương and Bà Rịa - "
                                                       + "Vũng Tàu)") : ("3,321 communes", "10,035 old communes")
            throw InputError(file: path, message: "its \(found.count) \(level.rawValue)s are all written as codes or names "
                                + "of the \(new) of 1 July 2025, none of those abolished then, but its periods (\(span)) "
                                + "come before that day, when these codes and names meant the \(old). Say --units 2025 "
                                + "if its figures are for the new units, or --units pre2025 if they are for the old units "
                                + "of those codes and names")
        }
    }

    /// What the rows hold, for the summary: "66 units (1 nation, 2 regions, 63 provinces), POPULATION, 2016-2024".
    /// A unit that continues unchanged into the newer version is one unit in both (`latestContinuation`: the
    /// nation, Hà Nội, a ministry that was not restructured; the regions, by their codes); a province or
    /// commune that merged is another territory than the same code's in the other version.
    func describe(_ rows: [ObservationRow], counting: String) -> String {
        var byLevel: [UnitLevel: Set<String>] = [:]
        var periods: Set<String> = [], codes: Set<String> = []
        for row in rows {
            if let unit = units.unit(id: row.unitID) {
                byLevel[unit.level, default: []].insert(unit.level == .region ? unit.code : String(units.latestContinuation(of: unit).id))
            }
            periods.insert(row.period)
            codes.insert(row.indicator)
        }
        let levels = UnitLevel.allCases.compactMap { level in
            byLevel[level].map { "\($0.count) " + ($0.count == 1 ? level.rawValue : level == .ministry ? "ministries" : level.rawValue + "s") }
        }
        guard !rows.isEmpty else { return "no \(counting)" }
        let unitCount = byLevel.values.reduce(0) { $0 + $1.count }
        let sorted = periods.sorted()
        let span = sorted.count > 1 ? "\(sorted[0])-\(sorted[sorted.count - 1])" : sorted.first ?? "no period"
        return "\(rows.count) \(counting), \(unitCount) unit\(unitCount == 1 ? "" : "s") (\(levels.joined(separator: ", "))), "
            + "\(codes.sorted().joined(separator: ", ")), \(span)"
    }
}

extension UnitDirectory {
    /// The level most rows name below the regions (provinces in a table of provinces with its national and
    /// regional rows), from the names that resolve to one level.
    func dominantLevel(of records: [IndicatorRecord]) -> UnitLevel? {
        var counts: [UnitLevel: Int] = [:]
        var seen: Set<String> = []
        for record in records {
            let query = record.fields["unit"] ?? ""
            guard seen.insert(query).inserted else { continue }
            let date = Period(record.fields["period"] ?? "")?.endDate
            guard let unit = try? resolve(query, on: date, strictLevels: true).matched,
                  unit.level.rank < UnitLevel.region.rank else { continue }
            counts[unit.level, default: 0] += 1
        }
        return counts.max { ($0.value, $0.key.rank) < ($1.value, $1.key.rank) }?.key
    }
}
