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

    /// Loads `path`. Throws only when the file cannot be read as a table at all (no file, no header, a missing
    /// required column); row problems are rejects in the summary.
    public func load(path: String) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        let started = Warehouse.timestamp()
        var summary = LoadSummary(file: path, sha256: try sha256Hex(ofFile: path), format: "tidy-csv",
                                  dataset: Self.dataset)
        if try warehouse.loadedFile(sha256: summary.sha256, dataset: Self.dataset) != nil {
            summary.status = "skipped"
            summary.message = "already loaded (same content hash)"
            return (summary, [])
        }
        let reader: CSVReader
        do { reader = try CSVReader(path: path) } catch { throw InputError(file: path, message: "cannot open the file") }
        guard case .success(let headerRecord)? = reader.next() else {
            throw InputError(file: path, line: 1, message: "no header row")
        }
        let header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var column: [String: Int] = [:]
        for (index, name) in header.enumerated() where column[name] == nil { column[name] = index }
        for name in Self.required where column[name] == nil {
            throw InputError(file: path, line: 1, column: name,
                             message: "required column '\(name)' is missing; the header must name "
                                + (Self.required + Self.optional).joined(separator: ", "))
        }

        var rows: [ObservationRow] = []
        var rejects: [RejectedRow] = []
        var seen: [String: Int] = [:]
        func reject(_ line: Int, _ column: String?, _ code: String, _ message: String, _ raw: String) {
            rejects.append(RejectedRow(line: line, column: column, errorCode: code, message: message, raw: raw))
        }
        while let result = reader.next() {
            summary.read += 1
            let record: CSVRecord
            switch result {
            case .failure(let error):
                reject(error.line, error.field.map { header.indices.contains($0 - 1) ? header[$0 - 1] : "field \($0)" },
                       error.kind.rawValue, error.kind == .invalidUTF8
                        ? "the bytes are not UTF-8: save the file as UTF-8"
                        : "a quoted field is never closed: close or remove the stray quote", error.raw)
                continue
            case .success(let value):
                record = value
            }
            if record.fields == [""] { summary.read -= 1; continue }
            guard record.fields.count == header.count else {
                reject(record.line, nil, "column_count",
                       "\(record.fields.count) fields where the header has \(header.count): check delimiters and quotes",
                       record.raw)
                continue
            }
            func field(_ name: String) -> String? {
                column[name].map { record.fields[$0].trimmingCharacters(in: .whitespaces) }
            }
            var problems: [(String, String, String)] = []
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
            let unitText = field("unit") ?? ""
            if let period {
                do {
                    let resolution = try units.resolve(unitText, on: period.endDate)
                    if resolution.matched.isValid(on: period.endDate) {
                        unitID = resolution.matched.id
                    } else {
                        let now = resolution.inForce.map { "\($0.code) \($0.nameVI)" }.joined(separator: ", ")
                        problems.append(("unit", "unit_not_in_force",
                                         "\(units.describe(resolution.matched)) is not in force at the end of \(period); "
                                            + (now.isEmpty ? "" : "it became \(now); ")
                                            + "report it under the units of that date"))
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
                    problems.append(("period", "duplicate_key",
                                     "same indicator, unit and period as line \(first): keep one of them"))
                } else {
                    seen[key] = record.line
                    rows.append(ObservationRow(indicator: indicator, unitID: unitID, period: period.description,
                                               year: period.year, value: value, numerator: numerator,
                                               denominator: denominator, source: field("source").flatMap { $0.isEmpty ? nil : $0 }))
                    continue
                }
            }
            for (column, code, message) in problems { reject(record.line, column, code, message, record.raw) }
        }
        let rejectedLines = Set(rejects.map(\.line))
        summary.rejected = rejectedLines.count
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
            for row in rows {
                switch try writer.store(row) {
                case .inserted: summary.loaded += 1
                case .revised: summary.updated += 1
                case .unchanged: summary.unchanged += 1
                }
            }
            summary.loadID = loadID
            try warehouse.updateCounts(summary)
        }
        return (summary, rejects)
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
