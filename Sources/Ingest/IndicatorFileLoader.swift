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
    public var asOf = Clock.today()
    /// The administrative version the file's codes and names are in; nil: the one in force at each period's
    /// end, refusing a file whose units fit the other version better.
    public var unitsVersion: UnitVersion?
    /// How the file writes decimals; nil: sniffed from its numbers, refusing a file that could be read both ways.
    public var decimalMark: DecimalMark?
    /// How the file writes a percentage's value: 45.8 (percent) or 0.458 (fraction); nil: percent, refusing a
    /// file whose every share lies within 0-1 (`ShareScale.ambiguity`).
    public var shares: ShareScale?
    /// The sheet of a workbook to read (a name or a 1-based number); nil: the first.
    public var sheet: String?
    let resolutions = Resolutions()

    public static let dataset = "indicator"

    public init(warehouse: Warehouse, units: UnitDirectory, indicators: [String: Indicator]) {
        self.warehouse = warehouse
        self.units = units
        self.indicators = indicators
    }

    /// Loads a tidy file at `path`. Throws only when the file cannot be read as a table at all (no file, no
    /// header, a missing required column); row problems are rejects in the summary.
    public func load(path: String) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        try load(path: path, reader: TidyFileReader(sheet: sheet))
    }

    /// Loads SDMX-CSV (see `SDMXFileReader`).
    public func loadSDMX(path: String) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        try load(path: path, reader: SDMXFileReader())
    }

    /// Loads a table as downloaded from the statistics office (see `StatisticsOfficeTableReader`), its
    /// `measures` as `indicator`, in `period` when its columns name no year.
    public func loadStatisticsOfficeTable(path: String, indicator: String, measures: [MeasureChoice] = [],
                                          period: String? = nil) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        try load(path: path, reader: StatisticsOfficeTableReader(units: units, indicators: indicators, indicator: indicator,
                                                                measures: measures, period: period, sheet: sheet))
    }

    /// Loads `path` after `reader` turned it into records (reporting unreadable rows): the content-hash check,
    /// the decimal mark, validation of every record, the version check, the reject-rate rule and the one
    /// transaction. `read` and `rejected` count the reader's records: rows of a tidy file, cells of a table.
    func load(path: String, reader: some IndicatorFileReader) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        let format = reader.format, counting = reader.counting
        let options = [sheet.map { "sheet \($0)" }, unitsVersion.map { "units \($0.rawValue)" },
                       decimalMark.map { "decimal \($0.rawValue)" }, shares.map { "shares \($0.rawValue)" }].compactMap { $0 }
        var load = try FileLoad(path: path, format: ([format] + options).joined(separator: "; "), dataset: Self.dataset,
                                warehouse: warehouse, dryRun: dryRun)
        if try load.isAlreadyLoaded() { return (load.summary, []) }
        var rejects: [RejectedRow] = []
        let input = try reader.read(path) { rejects.append($0) }
        let records = input.records
        let mark = try input.decimal ?? decimal(of: records, path: path, delimiter: input.delimiter)
        load.summary.read = records.count + rejects.count
        var rejectedRecords = rejects.count
        var rows: [(row: ObservationRow, delete: Bool, record: IndicatorRecord)] = []
        var seen: [String: Int] = [:]
        let preferredLevel = input.preferredLevel ?? units.dominantLevel(of: records)
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
        if shares == nil, let ambiguity = ShareScale.ambiguity(of: rows.filter { !$0.delete && !$0.record.labelledPercent }
                                                                .map(\.row), indicators: indicators) {
            throw InputError(file: path, message: ambiguity)
        }
        // A file that says its version, by --units or a units_version column, is read in it.
        if unitsVersion == nil {
            try checkVersion(of: rows.filter { ($0.record.fields["units_version"] ?? "").isEmpty }.map { ($0.row, $0.record) },
                             path: path)
        }
        rejects.sort { $0.line < $1.line }
        load.summary.rejected = rejectedRecords
        load.summary.missing = input.missing + rows.filter { $0.row.value == nil && !$0.delete }.count
        let delimiter = input.delimiter == UInt8(ascii: "\t") ? "tab" : String(UnicodeScalar(input.delimiter))
        let contents = describe(rows.map(\.row), counting: counting) + (input.layout.map { "; " + $0 } ?? "")
            + (input.encoding.hasPrefix("xlsx") ? "; read from an .xlsx sheet" + input.encoding.dropFirst(4)
                : "; read as \(input.encoding), '\(delimiter)'-separated, decimal \(mark.rawValue)")
        let outliers = try outliers(rows.filter { !$0.delete }.map { ($0.row, $0.record) })
        var warned = outliers.isEmpty ? "" : "; warning: \(outliers.count) values far from the rest of their series, "
            + "kept (modified z-score above \(OutlierTest.threshold), a quarter or more from the median): "
            + outliers.prefix(3).map { "line \($0.line) \($0.message)" }.joined(separator: "; ")
            + (outliers.count > 3 ? "; ..." : "")
        var warnings = outliers
        if let line = input.unterminatedLine, cut == nil, let last = records.last(where: { $0.line == line }) {
            let warning = RejectedRow(line: line, column: nil, errorCode: RejectCode.noFinalLineBreak,
                                      message: "the file ends without a line break after line \(line): if it was cut short, "
                                        + "that row is incomplete; check it against the source", raw: last.raw)
            warnings.append(warning)
            warned += "; warning: " + warning.message
        }
        return try load.finish(rejects: rejects, warnings: warnings, maxRejectRate: maxRejectRate, counting: counting,
                               rows: rows.count, described: contents + warned,
                               wouldStore: rows.contains(where: \.delete) ? nil : { try warehouse.changes(storing: rows.map(\.row)) }) {
            loadID, summary in
            let writer = try warehouse.observationWriter(loadID: loadID)
            var deleted = 0, counts = ObservationCounts()
            if rows.contains(where: \.delete) {
                // In the file's order: a row may delete what an earlier one stored.
                for (row, delete, _) in rows {
                    if delete {
                        if try writer.delete(row) { deleted += 1 }
                    } else {
                        counts.count(try writer.store(row))
                    }
                }
            } else {
                counts = try writer.store(rows.map(\.row))
            }
            summary.loaded += counts.inserted
            summary.updated += counts.revised
            summary.unchanged += counts.unchanged
            if deleted > 0 { summary.message = contents + warned + "; \(deleted) observations deleted (kept as revisions)" }
        }
    }
}

/// Every problem of one row.
struct RowProblems: Error {
    let rows: [RejectedRow]
}
