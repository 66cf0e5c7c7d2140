import Foundation
import Reference
import Warehouse

/// A reader of one format of indicator file: the file's records and how it was read, each unreadable row
/// reported through `reject`. Readers know the units and the catalogue, not the warehouse, so each is tested
/// on its own; `IndicatorFileLoader` validates and stores what they read.
protocol IndicatorFileReader {
    /// The format as a load records it, with the options it was read with.
    var format: String { get }
    /// What a record is, for the summary: rows of a tidy file, cells of a table.
    var counting: String { get }
    func read(_ path: String, reject: (RejectedRow) -> Void) throws -> ReadRecords
}

/// Reads a tidy file (a column each for indicator, unit, period and value; CSV or an .xlsx sheet).
struct TidyFileReader: IndicatorFileReader {
    /// The sheet of a workbook (a name or a 1-based number); nil: the first.
    let sheet: String?
    var format: String { "tidy-csv" }
    let counting = "rows"
    static let required = ["indicator", "unit", "period", "value"]
    static let optional = ["numerator", "denominator", "source", "units_version"]

    func read(_ path: String, reject: (RejectedRow) -> Void) throws -> ReadRecords {
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

/// One row of an indicator file, whatever its shape, as named fields (lower-case column names).
struct IndicatorRecord {
    let line: Int
    let raw: String
    let fields: [String: String]
    /// What the value is multiplied by (1000 for a column in thousands).
    var scale: Double = 1
    /// The lowest level a unit of this record may have.
    var level: UnitLevel?
    /// Whether the file says the value is a percentage (a column labelled "%", "Tỷ lệ"): not a fraction.
    var labelledPercent = false
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

