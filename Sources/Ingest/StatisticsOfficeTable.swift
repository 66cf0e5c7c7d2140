import Foundation
import Reference
import Warehouse

extension IndicatorFileLoader {
    /// Loads one indicator from a table as analysts download it from the statistics office, reshaped to long
    /// form: semicolon or comma separated, UTF-8 with or without a BOM, CRLF or LF, title and blank lines above
    /// the header, one column per year (`"2016 (*) Average population (Thous. pers.)"`: the leading year is the
    /// period, a unit such as "Thous. pers." scales the values), one row per unit named any way the name
    /// matcher resolves, national and regional subtotal rows skipped, `..` for missing.
    ///
    /// Decimal commas are read in semicolon-separated files. Each cell is one record: the summary's `read`
    /// counts cells, and a rejected cell is kept with its line and year column.
    public func loadStatisticsOfficeTable(path: String, indicator: String) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        var subtotals = 0, missing = 0
        var result = try load(path: path, format: "statistics-office-table") { reject in
            let reader: CSVReader
            do { reader = try CSVReader(path: path) } catch { throw InputError(file: path, message: "cannot open the file") }
            var columns: [(index: Int, year: Int, scale: Double, label: String)] = []
            var records: [IndicatorRecord] = []
            while let result = reader.next() {
                guard case .success(let record) = result else {
                    if case .failure(let error) = result {
                        reject(RejectedRow(line: error.line, column: nil, errorCode: error.kind.rawValue,
                                           message: "this line cannot be read: \(error.kind.rawValue)", raw: error.raw))
                    }
                    continue
                }
                let fields = record.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                if columns.isEmpty {
                    columns = fields.enumerated().dropFirst().compactMap { index, label in
                        Self.year(of: label).map { (index, $0, Self.scale(of: label), label) }
                    }
                    continue
                }
                guard let name = fields.first, !name.isEmpty else { continue }
                if let year = columns.first?.year, let unit = try? units.resolve(name, on: Period("\(year)")?.endDate),
                   unit.matched.level == .nation || unit.matched.level == .region {
                    subtotals += 1
                    continue
                }
                for column in columns {
                    let text = column.index < fields.count ? fields[column.index] : ""
                    if IndicatorFileLoader.missingMarkers.contains(text) { missing += 1; continue }
                    records.append(IndicatorRecord(line: record.line, raw: record.raw, fields: [
                        "indicator": indicator, "unit": name, "period": String(column.year),
                        "value": Self.scaled(text, by: column.scale, decimalComma: reader.delimiter == UInt8(ascii: ";")),
                        "source": "statistics office table: \(column.label)",
                    ]))
                }
            }
            guard !columns.isEmpty else {
                throw InputError(file: path, message: "no header row with year columns (e.g. \"2016 Average population\") was found")
            }
            return records
        }
        if result.summary.status == "loaded" {
            result.summary.message = "\(subtotals) subtotal rows skipped, \(missing) cells marked missing"
        }
        return result
    }

    /// The year a column label starts with ("2016 (*) Average population"), if any.
    static func year(of label: String) -> Int? {
        let digits = label.prefix { $0.isNumber }
        guard digits.count == 4, let year = Int(digits), (1900...2100).contains(year) else { return nil }
        return year
    }

    /// The multiplier a label's unit implies: thousands of persons are stored as persons.
    static func scale(of label: String) -> Double {
        let folded = label.lowercased()
        return folded.contains("thous") || folded.contains("nghìn") || folded.contains("nghin") ? 1000 : 1
    }

    /// A cell's number scaled, as text; text that is not a number is passed on for the validator to reject.
    static func scaled(_ text: String, by scale: Double, decimalComma: Bool) -> String {
        var number = text.replacingOccurrences(of: "\u{00A0}", with: "").replacingOccurrences(of: " ", with: "")
        if decimalComma && number.contains(",") && !number.contains(".") {
            number = number.replacingOccurrences(of: ",", with: ".")
        }
        guard let value = Double(number) else { return text }
        // Rounded to 6 decimals, so 7328.4 thousand is 7328400, not 7328400.000000001.
        let result = (value * scale * 1e6).rounded() / 1e6
        return result == result.rounded() && abs(result) < 1e15 ? String(Int(result)) : String(result)
    }
}
