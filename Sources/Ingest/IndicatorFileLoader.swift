import Foundation
import Reference
import Warehouse

/// Loads a tidy indicator file (indicator, unit, period, value; optional numerator, denominator, source).
///
/// Every row is validated and every failure of the file is collected. The valid rows load in one transaction,
/// or none do: when the share of rejected records passes `maxRejectRate`, the file fails whole. The same file
/// again (by content hash) is skipped.
public struct IndicatorFileLoader {
    public let warehouse: Warehouse
    public let units: UnitDirectory
    public let indicators: [String: Indicator]
    public var maxRejectRate = 0.05
    public var dryRun = false
    /// The day the file is loaded on: no period may begin after it.
    public var asOf = UnitDirectory.today()
    /// The administrative version the file's codes and names are in; nil: the one in force at each period's
    /// end, refusing a file whose units fit the other version better.
    public var unitsVersion: UnitVersion?
    /// How the file writes decimals; nil: sniffed from its numbers, refusing a file that could be read both ways.
    public var decimalMark: DecimalMark?
    /// The sheet of a workbook to read (a name or a 1-based number); nil: the first.
    public var sheet: String?
    private let resolutions = Resolutions()

    public static let dataset = "indicator"
    static let required = ["indicator", "unit", "period", "value"]
    static let optional = ["numerator", "denominator", "source", "units_version"]

    public init(warehouse: Warehouse, units: UnitDirectory, indicators: [String: Indicator]) {
        self.warehouse = warehouse
        self.units = units
        self.indicators = indicators
    }

    /// Loads a tidy file at `path`. Throws only when the file cannot be read as a table at all (no file, no
    /// header, a missing required column); row problems are rejects in the summary.
    public func load(path: String) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        try load(path: path, format: "tidy-csv") { reject in
            let (reader, header) = try CSVReader.opening(path, sheet: sheet, required: Self.required,
                                                         expected: Self.required + Self.optional)
            var records: [IndicatorRecord] = []
            reader.forEachRecord(header: header, reject: reject) { record in
                var fields: [String: String] = [:]
                for (name, value) in zip(header, record.fields) where fields[name] == nil {
                    fields[name] = value.trimmingCharacters(in: .whitespaces)
                }
                records.append(IndicatorRecord(line: record.line, raw: record.raw, fields: fields))
            }
            return ReadRecords(records: records, delimiter: reader.delimiter, encoding: reader.encoding,
                               unterminatedLine: reader.unterminatedLastLine)
        }
    }

    /// Loads `path` after `read` turned it into records (reporting unreadable rows through its argument):
    /// the content-hash check, the decimal mark, validation of every record, the version check, the
    /// reject-rate rule and the one transaction. `read` and `rejected` count records: rows of a tidy file,
    /// cells of a table.
    func load(path: String, format: String, counting: String = "rows",
              read: (_ reject: (RejectedRow) -> Void) throws -> ReadRecords) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        let started = Warehouse.timestamp()
        let options = [sheet.map { "sheet \($0)" }, unitsVersion.map { "units \($0.rawValue)" },
                       decimalMark.map { "decimal \($0.rawValue)" }].compactMap { $0 }
        var summary = LoadSummary(file: path, sha256: try sha256Hex(ofFile: path),
                                  format: ([format] + options).joined(separator: "; "), dataset: Self.dataset)
        if try warehouse.skipIfAlreadyLoaded(&summary) { return (summary, []) }
        var rejects: [RejectedRow] = []
        let input = try read { rejects.append($0) }
        let records = input.records
        let mark = try input.decimal ?? decimal(of: records, path: path, delimiter: input.delimiter)
        summary.read = records.count + rejects.count
        var rejectedRecords = rejects.count
        var rows: [(row: ObservationRow, delete: Bool, record: IndicatorRecord)] = []
        var seen: [String: Int] = [:]
        let preferredLevel = input.preferredLevel ?? dominantLevel(of: records)
        let cut = input.unterminatedLine.flatMap { line in records.last { $0.line == line } }
            .flatMap { Self.cutShort($0, among: records, decimal: mark) }
        for record in records {
            if let cut, cut.line == record.line {
                rejects.append(cut)
                rejectedRecords += 1
                continue
            }
            switch validate(record, decimal: mark, preferredLevel: preferredLevel, seen: &seen) {
            case .success(let row): rows.append((row, record.fields["action"] == "delete", record))
            case .failure(let problems):
                rejects += problems.rows
                rejectedRecords += 1
            }
        }
        // A file that says its version, by --units or a units_version column, is read in it.
        if unitsVersion == nil {
            try checkVersion(of: rows.filter { ($0.record.fields["units_version"] ?? "").isEmpty }.map { ($0.row, $0.record) },
                             path: path)
        }
        rejects.sort { $0.line < $1.line }
        summary.rejected = rejectedRecords
        summary.missing = input.missing + rows.filter { $0.row.value == nil && !$0.delete }.count
        summary.rejectedByReason = Dictionary(grouping: rejects, by: \.errorCode).mapValues(\.count)
        let rate = summary.read == 0 ? 0 : Double(summary.rejected) / Double(summary.read)
        let delimiter = input.delimiter == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(input.delimiter))
        let contents = describe(rows.map(\.row), counting: counting) + (input.layout.map { "; " + $0 } ?? "")
            + (input.encoding.hasPrefix("xlsx") ? "; read from an .xlsx sheet" + input.encoding.dropFirst(4)
                : "; read as \(input.encoding), '\(delimiter)'-separated, decimal \(mark.rawValue)")
        if rate > maxRejectRate {
            summary.status = "failed"
            summary.message = String(format: "%d of %d %@ rejected (%.1f%%), above the %.1f%% allowed: nothing loaded",
                                     summary.rejected, summary.read, counting, rate * 100, maxRejectRate * 100)
            if !dryRun { summary.loadID = try warehouse.record(summary, rejects: rejects, startedAt: started) }
            return (summary, rejects)
        }
        let outliers = try outliers(rows.filter { !$0.delete }.map { ($0.row, $0.record) })
        var warned = outliers.isEmpty ? "" : "; warning: \(outliers.count) values far from the rest of their series, "
            + "kept (modified z-score above \(OutlierTest.threshold), a quarter or more from the median): "
            + outliers.prefix(3).map { "line \($0.line) \($0.message)" }.joined(separator: "; ")
            + (outliers.count > 3 ? "; ..." : "")
        var warnings = outliers
        if let line = input.unterminatedLine, cut == nil, let last = records.last(where: { $0.line == line }) {
            let warning = RejectedRow(line: line, column: nil, errorCode: "no_final_line_break",
                                      message: "the file ends without a line break after line \(line): if it was cut short, "
                                        + "that row is incomplete; check it against the source", raw: last.raw)
            warnings.append(warning)
            warned += "; warning: " + warning.message
        }
        summary.warnedByReason = Dictionary(grouping: warnings, by: \.errorCode).mapValues(\.count)
        if dryRun {
            summary.loaded = rows.count
            summary.message = "dry run, nothing written: would load " + contents + warned
            return (summary, rejects)
        }
        summary.message = contents + warned
        let stored = try warehouse.transaction(loading: summary) {
            let loadID = try warehouse.record(summary, rejects: rejects, startedAt: started)
            try warehouse.record(warnings: warnings, load: loadID)
            let writer = try warehouse.observationWriter(loadID: loadID)
            var deleted = 0
            for (row, delete, _) in rows {
                if delete {
                    if try writer.delete(row) { deleted += 1 }
                    continue
                }
                switch try writer.store(row) {
                case .inserted: summary.loaded += 1
                case .revised: summary.updated += 1
                case .unchanged: summary.unchanged += 1
                }
            }
            if deleted > 0 { summary.message = contents + warned + "; \(deleted) observations deleted (kept as revisions)" }
            summary.loadID = loadID
            try warehouse.updateCounts(summary)
        }
        return stored ? (summary, rejects) : (summary.skipped, [])
    }

    /// One record checked field by field: every problem of the row, or the observation it stands for.
    private func validate(_ record: IndicatorRecord, decimal: DecimalMark, preferredLevel: UnitLevel?,
                          seen: inout [String: Int]) -> Result<ObservationRow, RowProblems> {
        var problems: [(String, String, String)] = []
        let field = { (name: String) in record.fields[name] }
        let code = field("indicator") ?? ""
        let indicator = indicators[code]
        if indicator == nil {
            problems.append(("indicator", "unknown_indicator",
                             "unknown indicator '\(code)': use a code listed by 'chiso targets' or indicators.yaml"))
        }
        let periodText = field("period") ?? ""
        let period = Period(periodText)
        if period == nil {
            problems.append(("period", "bad_period", "period '\(periodText)' is not YYYY, YYYY-Qn or YYYY-MM"))
        } else if let period, period.startDate > asOf {
            problems.append(("period", "future_period",
                             "period \(period) has not begun on \(asOf), the day of this load (--as-of sets it)"))
        }
        var unitID: Int?
        if let period {
            let version = field("units_version").flatMap { $0.isEmpty ? nil : $0 }
            if let version, UnitVersion(rawValue: version) == nil {
                problems.append(("units_version", "bad_version", "units_version '\(version)' is not pre2025 or 2025"))
            }
            switch resolveUnit(field("unit") ?? "", period: period,
                               version: version.flatMap(UnitVersion.init(rawValue:)) ?? unitsVersion,
                               level: record.level, preferredLevel: preferredLevel) {
            case .success(let id): unitID = id
            case .failure(let problem): problems.append(("unit", problem.code, problem.message))
            }
        }
        let value = number(field("value"), "value", decimal: decimal, scale: record.scale, &problems)
        let numerator = number(field("numerator"), "numerator", decimal: decimal, scale: 1, &problems)
        let denominator = number(field("denominator"), "denominator", decimal: decimal, scale: 1, &problems)
        if (numerator == nil) != (denominator == nil) {
            problems.append(("denominator", "incomplete_ratio", "give both numerator and denominator, or neither"))
        } else if let denominator, denominator <= 0 {
            problems.append(("denominator", "out_of_range", "denominator must be positive"))
        } else if let numerator, let denominator, numerator < 0 || (indicator?.unit == "percent" && numerator > denominator) {
            problems.append(("numerator", "out_of_range", "the numerator of a share must lie within 0 and the denominator"))
        }
        if let value, let indicator, let problem = Self.implausible(value, of: indicator) {
            problems.append(("value", "out_of_range", problem))
        }
        if let value, let numerator, let denominator, denominator > 0 {
            // The value is the ratio, in percent for a percentage; published to a whole number at the least.
            let ratio = numerator / denominator * (indicator?.unit == "percent" ? 100 : 1)
            if abs(value - ratio) > max(0.5, 0.005 * abs(ratio)) {
                problems.append(("value", "inconsistent", "value \(Self.plain(value)) is not numerator / denominator = "
                                    + "\(Self.plain((ratio * 1000).rounded() / 1000)): correct one of them, or leave the value empty"))
            }
        }
        if let unitID, let period, problems.isEmpty {
            let key = "\(code)|\(unitID)|\(period)"
            if let first = seen[key] {
                problems.append(("period", "duplicate_key", "same indicator, unit and period as line \(first): keep one of them"))
            } else {
                seen[key] = record.line
                let source = field("source").flatMap { $0.isEmpty ? nil : $0 }
                return .success(ObservationRow(indicator: code, unitID: unitID, period: period.description,
                                               year: period.year, value: value, numerator: numerator,
                                               denominator: denominator, source: source))
            }
        }
        return .failure(RowProblems(rows: problems.map { column, code, message in
            RejectedRow(line: record.line, column: column, errorCode: code, message: message, raw: record.raw)
        }))
    }

    /// The new values that lie far from the rest of their series (the warehouse's loaded values of the same
    /// indicator, unit and kind of period, with the file's): `OutlierTest`, as a warning per value.
    private func outliers(_ rows: [(row: ObservationRow, record: IndicatorRecord)]) throws -> [RejectedRow] {
        guard !rows.isEmpty else { return [] }
        func seriesKey(_ row: ObservationRow) -> String { "\(row.indicator)|\(row.unitID)|\(row.period.count)" }
        var series: [String: [String: Double]] = [:]
        for row in try warehouse.loadedObservations(of: Set(rows.map(\.row.indicator))) {
            series[seriesKey(row), default: [:]][row.period] = row.value
        }
        for (row, _) in rows { series[seriesKey(row), default: [:]][row.period] = row.value }
        var warnings: [RejectedRow] = []
        var scored: [String: [String: Double]] = [:]
        for (row, record) in rows {
            guard let value = row.value else { continue }
            let key = seriesKey(row)
            if scored[key] == nil {
                let points = (series[key] ?? [:]).sorted { $0.key < $1.key }
                let scores = OutlierTest.scores(points.map(\.value)) ?? []
                scored[key] = Dictionary(uniqueKeysWithValues: zip(points.map(\.key), scores))
            }
            let median = OutlierTest.median(Array((series[key] ?? [:]).values))
            guard let z = scored[key]?[row.period], OutlierTest.isOutlier(value, z: z, median: median) else { continue }
            let unit = units.unit(id: row.unitID).map { "\($0.code) \($0.nameVI)" } ?? "?"
            warnings.append(RejectedRow(line: record.line, column: "value", errorCode: "outlier",
                                        message: "\(row.indicator) of \(unit) in \(row.period): \(Self.plain(value)) against a "
                                            + "median of \(Self.plain(median)) (z = \(String(format: "%.1f", z))): check the "
                                            + "unit of measure and the column",
                                        raw: record.raw))
        }
        return warnings
    }

    /// The reject of the last record of a file that ends without a line break when one of its numbers has
    /// fewer decimals than every other number of its column (at least two): "48.7" where the rest read "61.25",
    /// a number cut short with the file.
    static func cutShort(_ last: IndicatorRecord, among records: [IndicatorRecord], decimal: DecimalMark) -> RejectedRow? {
        let mark: Character = decimal == .point ? "." : ","
        func decimals(_ text: String) -> Int? {
            guard !MissingValue.isMarker(text), decimal.number(text) != nil else { return nil }
            return text.firstIndex(of: mark).map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0
        }
        for column in ["value", "numerator", "denominator"] {
            guard let written = last.fields[column], let places = decimals(written) else { continue }
            let others = Set(records.filter { $0.line != last.line }.compactMap { $0.fields[column].flatMap(decimals) })
            let count = records.filter { $0.line != last.line && $0.fields[column].flatMap(decimals) != nil }.count
            guard count >= 2, others.count == 1, let usual = others.first, usual > places else { continue }
            return RejectedRow(line: last.line, column: column, errorCode: "cut_short",
                               message: "the file ends without a line break inside this row, and its \(column) '\(written)' "
                                + "has \(places) decimal\(places == 1 ? "" : "s") where every other \(column) of the file has \(usual): the file was "
                                + "probably cut short; get it whole again", raw: last.raw)
        }
        return nil
    }

    /// A number without a trailing ".0".
    private static func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    /// Why `value` cannot be a value of `indicator`, if it cannot: a share outside 0-100, a negative count,
    /// a rank below 1.
    static func implausible(_ value: Double, of indicator: Indicator) -> String? {
        switch indicator.unit {
        case "percent" where value < 0 || value > 100:
            return "\(indicator.code) is a percentage: \(value) is outside 0-100"
        case "count" where value < 0:
            return "\(indicator.code) is a count: \(value) is negative"
        case "count" where value != value.rounded():
            return "\(indicator.code) is a count: \(value) is not a whole number (a column in thousands? its label "
                + "or the title must say so, e.g. \"(Thous. pers.)\" or \"Đơn vị tính: Nghìn người\")"
        case "rank" where value < 1:
            return "\(indicator.code) is a rank: \(value) is below 1"
        default:
            return nil
        }
    }

    /// The unit a code or name denotes for `period`, read in `version` when it is set (a 2025 unit may
    /// carry figures recomputed for years before it existed; an old unit has none after it ended), else in
    /// the version in force at the period's end. With `level`, a unit of a lower level is refused: a table of
    /// provinces holds no commune.
    private func resolveUnit(_ query: String, period: Period, version: UnitVersion?, level: UnitLevel?,
                             preferredLevel: UnitLevel?) -> Result<Int, UnitProblem> {
        // A table repeats each unit once per year, and an unknown name costs a search for the nearest ones.
        let key = "\(query)|\(period)|\(version?.rawValue ?? "")|\(level?.rawValue ?? "")|\(preferredLevel?.rawValue ?? "")"
        if let known = resolutions.results[key] { return known }
        let result = resolveUnitUncached(query, period: period, version: version, level: level,
                                         preferredLevel: preferredLevel)
        resolutions.results[key] = result
        return result
    }

    private func resolveUnitUncached(_ query: String, period: Period, version: UnitVersion?, level: UnitLevel?,
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
            if case .severalLevels = error { return .failure(UnitProblem(code: "ambiguous_unit", message: "\(error)" + hint)) }
            return .failure(UnitProblem(code: "unknown_unit", message: "\(error)" + hint))
        } catch {
            return .failure(UnitProblem(code: "unknown_unit", message: "\(error)"))
        }
        let unit = resolution.matched
        if let level, unit.level.rank < level.rank {
            return .failure(UnitProblem(code: "wrong_level", message: "'\(query)' is \(units.describe(unit)), but the "
                                            + "table's rows are \(level.rawValue)s: give the \(level.rawValue)'s name or code"))
        }
        if let version, unit.version != version {
            let now = resolution.inForce.map { "\($0.code) \($0.nameVI)" }.joined(separator: ", ")
            return .failure(UnitProblem(code: "unit_not_in_force",
                                        message: "\(units.describe(unit)) is not a unit of version "
                                            + "\(version.rawValue)" + (now.isEmpty ? "" : "; it became \(now)")))
        }
        guard unit.isValid(on: date) else {
            let now = resolution.inForce.map { "\($0.code) \($0.nameVI)" }.joined(separator: ", ")
            return .failure(UnitProblem(code: "unit_not_in_force",
                                        message: "\(units.describe(unit)) is not in force at the end of \(period); "
                                            + (now.isEmpty ? "" : "it became \(now); ")
                                            + "report it under the units of that date"))
        }
        if version == .pre2025, end > ReferenceDataset.lastDayPre2025 {
            return .failure(UnitProblem(code: "unit_not_in_force",
                                        message: "\(units.describe(unit)) ended on \(ReferenceDataset.lastDayPre2025), "
                                            + "before the end of \(period)"))
        }
        return .success(unit.id)
    }

    /// A unit name or code resolved without guessing its level: a name of several levels means the one most
    /// rows of the file have (`preferred`), else it is refused.
    private func resolveStrictly(_ query: String, on date: String, preferring preferred: UnitLevel?) throws -> UnitResolution {
        do {
            return try units.resolve(query, on: date, strictLevels: true)
        } catch UnitLookupError.severalLevels(_, let levels, _) where preferred.map(levels.contains) ?? false {
            return try units.resolve(query, level: preferred, on: date)
        }
    }

    /// The level most rows name below the regions (provinces in a table of provinces with its national and
    /// regional rows), from the names that resolve to one level.
    func dominantLevel(of records: [IndicatorRecord]) -> UnitLevel? {
        var counts: [UnitLevel: Int] = [:]
        var seen: Set<String> = []
        for record in records {
            let query = record.fields["unit"] ?? ""
            guard seen.insert(query).inserted else { continue }
            let date = Period(record.fields["period"] ?? "")?.endDate
            guard let unit = try? units.resolve(query, on: date, strictLevels: true).matched,
                  unit.level.rank < UnitLevel.region.rank else { continue }
            counts[unit.level, default: 0] += 1
        }
        return counts.max { ($0.value, $0.key.rank) < ($1.value, $1.key.rank) }?.key
    }

    struct UnitProblem: Error {
        let code: String
        let message: String
    }

    /// Resolutions already made by this loader (its directory does not change).
    final class Resolutions {
        var results: [String: Result<Int, UnitProblem>] = [:]
    }

    private func number(_ text: String?, _ column: String, decimal: DecimalMark, scale: Double,
                        _ problems: inout [(String, String, String)]) -> Double? {
        guard let text, !MissingValue.isMarker(text) else { return nil }
        guard let value = decimal.number(text) else {
            problems.append((column, "not_a_number", "\(column) '\(text)' is not a number written with a decimal "
                                + (decimal == .point ? "point" : "comma") + " (--decimal sets which)"))
            return nil
        }
        // Rounded to 6 decimals, so 7328.4 thousand is 7328400, not 7328400.000000001.
        let scaled = scale == 1 ? value : (value * scale * 1e6).rounded() / 1e6
        guard abs(scaled) < Self.largestExact else {
            problems.append((column, "out_of_range", "\(column) '\(text)' is larger than a number can be stored exactly"))
            return nil
        }
        return scaled
    }

    /// 2^53: integers beyond it cannot all be told apart in a Double.
    static let largestExact = 9_007_199_254_740_992.0

    /// The decimal mark of the numbers in `records`: the one set, else the one their cells show. Comma-separated
    /// text and workbooks cannot have decimal commas in unquoted cells, so `1.234` there is a decimal point.
    private func decimal(of records: [IndicatorRecord], path: String, delimiter: UInt8) throws -> DecimalMark {
        if let decimalMark { return decimalMark }
        let cells = records.lazy.flatMap { record in ["value", "numerator", "denominator"].compactMap { record.fields[$0] } }
        let fallback: DecimalMark? = delimiter == UInt8(ascii: ";") ? nil : .point
        switch DecimalMark.sniff(cells, fallback: fallback) {
        case .decided(let mark):
            return mark
        case .undecided(let example):
            throw InputError(file: path, message: "numbers such as '\(example)' could be read with a decimal point or a "
                                + "decimal comma (thousands grouped): say --decimal point or --decimal comma")
        case .conflict(let point, let comma):
            throw InputError(file: path, message: "the file mixes decimal points ('\(point)') and decimal commas "
                                + "('\(comma)'): save it with one of them, or say --decimal point or --decimal comma")
        }
    }

    /// Refuses a file whose units fit the 2025 version better than the one its periods imply: periods before
    /// 1 July 2025, and at least five provinces (or communes), every one written as a code or name that also
    /// denotes a unit of that level of 1 July 2025 (so none of those abolished then). Its codes and names would
    /// otherwise land on the old units they meant before (79 without Bình Dương and Bà Rịa - Vũng Tàu; a ward
    /// code the reform gave to a larger ward).
    private func checkVersion(of rows: [(row: ObservationRow, record: IndicatorRecord)], path: String) throws {
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
    private func describe(_ rows: [ObservationRow], counting: String) -> String {
        var byLevel: [UnitLevel: Set<Int>] = [:]
        var periods: Set<String> = [], codes: Set<String> = []
        for row in rows {
            if let unit = units.unit(id: row.unitID) { byLevel[unit.level, default: []].insert(unit.id) }
            periods.insert(row.period)
            codes.insert(row.indicator)
        }
        let levels = UnitLevel.allCases.compactMap { level in
            byLevel[level].map { "\($0.count) \(level.rawValue)" + ($0.count == 1 ? "" : "s") }
        }
        guard !rows.isEmpty else { return "no \(counting)" }
        let unitCount = byLevel.values.reduce(0) { $0 + $1.count }
        let sorted = periods.sorted()
        let span = sorted.count > 1 ? "\(sorted[0])-\(sorted[sorted.count - 1])" : sorted.first ?? "no period"
        return "\(rows.count) \(counting), \(unitCount) units (\(levels.joined(separator: ", "))), "
            + "\(codes.sorted().joined(separator: ", ")), \(span)"
    }
}

/// One row of an indicator file, whatever its shape, as named fields (lower-case column names).
struct IndicatorRecord {
    let line: Int
    let raw: String
    let fields: [String: String]
    /// What the value is multiplied by (1000 for a column in thousands).
    var scale: Double = 1
    /// The lowest level a unit of this record may have.
    var level: UnitLevel?
}

/// The records of a file and how it was read.
struct ReadRecords {
    let records: [IndicatorRecord]
    let delimiter: UInt8
    let encoding: String
    /// The line of the last record when the file ends without a line break (`CSVReader.unterminatedLastLine`).
    var unterminatedLine: Int?
    /// Cells marked missing that the reader dropped (a table's); a tidy file's stay records.
    var missing = 0
    /// What the reader found of a table's layout, for the summary.
    var layout: String?
    /// The decimal mark the format prescribes, if it does.
    var decimal: DecimalMark?
    /// The level the file says its rows are of (a table's "Tỉnh, thành phố"), for names of several levels.
    var preferredLevel: UnitLevel?
}

/// Every problem of one row.
struct RowProblems: Error {
    let rows: [RejectedRow]
}
