import Foundation
import Reference
import Warehouse

/// Loads a tidy indicator file (indicator, unit, period, value; optional numerator, denominator, source).
///
/// Every row is validated and every failure of the file is collected. The valid rows load in one transaction,
/// or none do: when the share of rejected rows passes `maxRejectRate`, the file fails whole. The same file
/// again (by content hash) is skipped.
public struct IndicatorFileLoader {
    public let warehouse: Warehouse
    public let units: UnitDirectory
    public let indicators: Set<String>
    public var maxRejectRate = 0.05
    public var dryRun = false

    public static let dataset = "indicator"
    static let required = ["indicator", "unit", "period", "value"]
    static let optional = ["numerator", "denominator", "source"]
    /// Written for "intentionally missing" by statistics offices and SDMX publishers.
    static let missingMarkers: Set<String> = ["", "..", "NaN", "nan", "#N/A", "NA"]

    public init(warehouse: Warehouse, units: UnitDirectory, indicators: Set<String>) {
        self.warehouse = warehouse
        self.units = units
        self.indicators = indicators
    }

    /// Loads a tidy file at `path`. Throws only when the file cannot be read as a table at all (no file, no
    /// header, a missing required column); row problems are rejects in the summary.
    public func load(path: String) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        try load(path: path, format: "tidy-csv") { reject in
            let (reader, header) = try CSVReader.opening(path, required: Self.required, expected: Self.required + Self.optional)
            var records: [IndicatorRecord] = []
            reader.forEachRecord(header: header, reject: reject) { record in
                var fields: [String: String] = [:]
                for (name, value) in zip(header, record.fields) where fields[name] == nil {
                    fields[name] = value.trimmingCharacters(in: .whitespaces)
                }
                records.append(IndicatorRecord(line: record.line, raw: record.raw, fields: fields))
            }
            return records
        }
    }

    /// Loads `path` after `read` turned it into records (reporting unreadable rows through its argument):
    /// the content-hash check, validation of every record, the reject-rate rule and the one transaction.
    func load(path: String, format: String,
              read: (_ reject: (RejectedRow) -> Void) throws -> [IndicatorRecord]) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        let started = Warehouse.timestamp()
        var summary = LoadSummary(file: path, sha256: try sha256Hex(ofFile: path), format: format, dataset: Self.dataset)
        if try warehouse.skipIfAlreadyLoaded(&summary) { return (summary, []) }
        var rejects: [RejectedRow] = []
        let records = try read { rejects.append($0) }
        summary.read = records.count + rejects.count
        var rows: [(row: ObservationRow, delete: Bool)] = []
        var seen: [String: Int] = [:]
        for record in records {
            switch validate(record, seen: &seen) {
            case .success(let row): rows.append((row, record.fields["action"] == "delete"))
            case .failure(let problems): rejects += problems.rows
            }
        }
        summary.rejected = Set(rejects.map(\.line)).count
        summary.rejectedByReason = Dictionary(grouping: rejects, by: \.errorCode).mapValues(\.count)
        let rate = summary.read == 0 ? 0 : Double(summary.rejected) / Double(summary.read)
        if rate > maxRejectRate {
            summary.status = "failed"
            summary.message = String(format: "%.1f%% of rows rejected, above the %.1f%% allowed: nothing loaded",
                                     rate * 100, maxRejectRate * 100)
            if !dryRun { summary.loadID = try warehouse.record(summary, rejects: rejects, startedAt: started) }
            return (summary, rejects)
        }
        if dryRun {
            summary.loaded = rows.count
            summary.message = "dry run: nothing written"
            return (summary, rejects)
        }
        try warehouse.db.transaction {
            let loadID = try warehouse.record(summary, rejects: rejects, startedAt: started)
            let writer = try warehouse.observationWriter(loadID: loadID)
            var deleted = 0
            for (row, delete) in rows {
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
            if deleted > 0 { summary.message = "\(deleted) observations deleted (kept as revisions)" }
            summary.loadID = loadID
            try warehouse.updateCounts(summary)
        }
        return (summary, rejects)
    }

    /// One record checked field by field: every problem of the row, or the observation it stands for.
    private func validate(_ record: IndicatorRecord, seen: inout [String: Int]) -> Result<ObservationRow, RowProblems> {
        var problems: [(String, String, String)] = []
        let field = { (name: String) in record.fields[name] }
        let indicator = field("indicator") ?? ""
        if !indicators.contains(indicator) {
            problems.append(("indicator", "unknown_indicator",
                             "unknown indicator '\(indicator)': use a code listed by 'chiso targets' or indicators.yaml"))
        }
        let periodText = field("period") ?? ""
        let period = Period(periodText)
        if period == nil {
            problems.append(("period", "bad_period", "period '\(periodText)' is not YYYY, YYYY-Qn or YYYY-MM"))
        }
        var unitID: Int?
        if let period {
            do {
                let resolution = try units.resolve(field("unit") ?? "", on: period.endDate)
                if resolution.matched.isValid(on: period.endDate) {
                    unitID = resolution.matched.id
                } else {
                    let now = resolution.inForce.map { "\($0.code) \($0.nameVI)" }.joined(separator: ", ")
                    problems.append(("unit", "unit_not_in_force",
                                     "\(units.describe(resolution.matched)) is not in force at the end of \(period); "
                                        + (now.isEmpty ? "" : "it became \(now); ") + "report it under the units of that date"))
                }
            } catch {
                problems.append(("unit", "unknown_unit", "\(error)"))
            }
        }
        let value = number(field("value"), "value", &problems)
        let numerator = number(field("numerator"), "numerator", &problems)
        let denominator = number(field("denominator"), "denominator", &problems)
        if (numerator == nil) != (denominator == nil) {
            problems.append(("denominator", "incomplete_ratio", "give both numerator and denominator, or neither"))
        } else if let denominator, denominator <= 0 {
            problems.append(("denominator", "out_of_range", "denominator must be positive"))
        }
        if let unitID, let period, problems.isEmpty {
            let key = "\(indicator)|\(unitID)|\(period)"
            if let first = seen[key] {
                problems.append(("period", "duplicate_key", "same indicator, unit and period as line \(first): keep one of them"))
            } else {
                seen[key] = record.line
                let source = field("source").flatMap { $0.isEmpty ? nil : $0 }
                return .success(ObservationRow(indicator: indicator, unitID: unitID, period: period.description,
                                               year: period.year, value: value, numerator: numerator,
                                               denominator: denominator, source: source))
            }
        }
        return .failure(RowProblems(rows: problems.map { column, code, message in
            RejectedRow(line: record.line, column: column, errorCode: code, message: message, raw: record.raw)
        }))
    }

    private func number(_ text: String?, _ column: String, _ problems: inout [(String, String, String)]) -> Double? {
        guard let text, !Self.missingMarkers.contains(text) else { return nil }
        guard let value = Double(text), value.isFinite else {
            problems.append((column, "not_a_number", "\(column) '\(text)' is not a number (use a dot for decimals)"))
            return nil
        }
        return value
    }
}

/// One row of an indicator file, whatever its shape, as named fields (lower-case column names).
struct IndicatorRecord {
    let line: Int
    let raw: String
    let fields: [String: String]
}

/// Every problem of one row.
struct RowProblems: Error {
    let rows: [RejectedRow]
}
