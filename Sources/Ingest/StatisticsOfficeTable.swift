import Foundation
import Reference

/// The structure of a table as a statistics office publishes it, found from its rows the way DuckDB's sniffer
/// finds a header: the header is the row whose cells are column labels above rows whose other cells are
/// numbers. A row of numbers is data, never a header; a year is only a standalone four-digit label.
///
/// Three layouts are recognised:
/// - `wide`: a column per year, possibly per measure and year (`Total 1995`, `Male 1995`, ...), the header on
///   one row or on two (years above measures, or measures above years, merged cells left blank);
/// - `singlePeriod`: a column per measure (`Diện tích (Km2)`, `Dân số (Nghìn người)`), the year given by the
///   title ("... năm 2024") or by the user;
/// - `long`: one row per unit and year, a year column, measures as columns.
///
/// Lines above the header are the title; lines with text only in the unit column are notes and footnotes.
public struct StatisticsOfficeTable {
    public enum Layout: String, Sendable { case wide, singlePeriod = "single-period", long }

    /// A column of values: where it is and what its label says.
    public struct ValueColumn: Sendable {
        public let index: Int
        public let label: ColumnLabel
    }

    /// A data row: a unit and its cells.
    public struct Row: Sendable {
        public let line: Int
        public let raw: String
        public let fields: [String]
    }

    public let layout: Layout
    /// The lines the header occupies.
    public let headerLines: [Int]
    public let unitColumn: Int
    /// The column of years, in the long layout.
    public let yearColumn: Int?
    public let columns: [ValueColumn]
    public let rows: [Row]
    /// The text lines above the header.
    public let title: [String]
    /// Lines among or after the data with text in the unit column only (notes, footnotes, section titles).
    public let noteLines: Int
    /// Lines that could not be read.
    public let unreadable: [CSVRecordError]
    /// The header's first cell ("Tỉnh, thành phố", "Cities, provincial (Thous. pers.)").
    public let stub: String
    /// Labels of columns that hold no value of a period: a part of a year ("6 tháng 2024"), or a column
    /// without a year among the years.
    public let leftOut: [String]


    /// The measures of the value columns, in column order, each once ("" for a column that is only a year).
    public var measures: [String] {
        var seen: Set<String> = []
        return columns.map { $0.label.measure ?? "" }.filter { seen.insert(ColumnLabel.fold($0)).inserted }
    }

    /// The level the header's first cell names ("Tỉnh, thành phố", "Cities, provincial", "Huyện", "Xã,
    /// phường"), if it names one. "Địa phương" (locality) names none: its "phương" is not a ward.
    public var stubLevel: UnitLevel? {
        let folded = " " + ColumnLabel.fold(stub).split(whereSeparator: { !$0.isLetter }).joined(separator: " ") + " "
        let words = Set(folded.replacingOccurrences(of: " dia phuong ", with: " ").split(separator: " ").map(String.init))
        if !words.isDisjoint(with: ["tinh", "province", "provinces", "provincial"]) { return .province }
        if !words.isDisjoint(with: ["huyen", "district", "districts"]) { return .district }
        if !words.isDisjoint(with: ["xa", "phuong", "commune", "communes", "ward", "wards"]) { return .commune }
        return nil
    }

    /// The unit the title gives the whole table, if any: a unit line ("Đơn vị tính: Nghìn người", "Unit: Thous.
    /// pers."), else a unit in brackets in a title line ("Average population by province (Thous. pers.)") or in
    /// the header's first cell.
    public var tableUnit: String? {
        for line in title {
            let folded = ColumnLabel.fold(line)
            for prefix in ["don vi tinh", "don vi", "dvt", "unit"] where folded.hasPrefix(prefix) {
                guard let colon = line.firstIndex(where: { $0 == ":" }) else { continue }
                let unit = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if !unit.isEmpty { return unit }
            }
        }
        for line in title + [stub] {
            let label = ColumnLabel(line)
            if let unit = label.unit, ColumnLabel(unit).scale(tableUnit: unit) != 1 || ColumnLabel(unit)
                .quantity(tableUnit: unit) != nil { return unit }
        }
        return nil
    }

    /// The one year the title names ("Dân số năm 2024"), for the single-period layout; nil when it names none
    /// or several.
    public var titleYear: Int? {
        let years = Set(title.flatMap { line in
            line.split(whereSeparator: { !$0.isNumber && $0 != "." && $0 != "," }).compactMap {
                ColumnLabel.yearToken(String($0))
            }
        })
        return years.count == 1 ? years.first : nil
    }

    /// Finds the structure of the table `reader` reads. `isUnitName` says whether a text names a unit; it keeps
    /// a data row whose values happen to look like years ("Hà Nội;2016;2017") from being taken as a header.
    /// - Throws: `InputError` naming `path` when no header with value columns above data rows is found.
    public init(reading reader: CSVReader, path: String, isUnitName: (String) -> Bool) throws {
        var lines: [Row] = []
        var unreadable: [CSVRecordError] = []
        while let result = reader.next() {
            switch result {
            case .success(let record):
                var fields = record.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
                while fields.last == "" { fields.removeLast() }
                if !fields.isEmpty { lines.append(Row(line: record.line, raw: record.raw, fields: fields)) }
            case .failure(let error):
                unreadable.append(error)
            }
        }
        self.unreadable = unreadable
        for start in lines.indices {
            guard let found = Self.header(at: start, in: lines, isUnitName: isUnitName) else { continue }
            layout = found.layout
            headerLines = found.headerLines
            unitColumn = found.unitColumn
            yearColumn = found.yearColumn
            columns = found.columns
            leftOut = found.leftOut
            stub = found.stub
            title = lines[..<start].map { $0.fields.filter { !$0.isEmpty }.joined(separator: " ") }
            var rows: [Row] = [], notes = 0
            let valueIndices = columns.map(\.index) + (yearColumn.map { [$0] } ?? [])
            let body = lines[(start + found.headerLines.count)...]
            // More labels than any line below has cells: a label holds an unquoted separator, and every label
            // after it stands over the wrong column.
            let widest = body.map(\.fields.count).max() ?? 0
            if let last = columns.last, last.index >= widest {
                throw InputError(file: path, line: found.headerLines.last, message: "the header labels \(last.index + 1) "
                                    + "columns but no line below it has more than \(widest): a label may hold an "
                                    + "unquoted separator (quote it), so the labels would stand over the wrong columns")
            }
            for line in body {
                let unit = line.fields.indices.contains(unitColumn) ? line.fields[unitColumn] : ""
                let values = valueIndices.map { line.fields.indices.contains($0) ? line.fields[$0] : "" }
                if unit.isEmpty && values.allSatisfy(\.isEmpty) || values.allSatisfy(\.isEmpty) {
                    notes += 1
                } else {
                    rows.append(line)
                }
            }
            guard !rows.isEmpty else {
                throw InputError(file: path, line: found.headerLines.last, message: "the table has a header but no data "
                                    + "row under it: nothing to load")
            }
            self.rows = rows
            noteLines = notes
            return
        }
        if let bad = unreadable.first(where: { $0.kind == .invalidUTF8 }) {
            throw InputError(file: path, line: bad.line, message: "no header row was found, and lines such as this one are "
                                + "not UTF-8 (a Windows-1258 or TCVN3 export?): save the file as CSV UTF-8")
        }
        // A table with the period first (the UN's survey file: year, iso3, country, ...) has a header, but not
        // over unit names: say so, not that there is none.
        let firstCells = lines.dropFirst().prefix(20).map { $0.fields.first ?? "" }
        if let year = firstCells.first(where: { ColumnLabel.yearToken($0) != nil }),
           firstCells.filter({ ColumnLabel.yearToken($0) != nil }).count * 2 > firstCells.count {
            throw InputError(file: path, message: "no header row over unit names was found: the first column holds years "
                                + "(such as \(year)), and a statistics-office table has the units' names first: move "
                                + "that column first, or write the figures as a tidy file (indicator,unit,period,value, "
                                + "e.g. EGDI_RANK,VN,2024,71)")
        }
        throw InputError(file: path, message: "no header row was found: a statistics-office table needs a row of "
                            + "column labels (years such as \"2016\", \"Năm 2016\", \"Total 1995\", or measures such "
                            + "as \"Dân số (Nghìn người)\") above rows of a unit name and numbers")
    }

    private struct Header {
        let layout: Layout
        let headerLines: [Int]
        let unitColumn: Int
        let yearColumn: Int?
        let columns: [ValueColumn]
        let leftOut: [String]
        let stub: String
    }

    /// The period a cell of a year column holds: "2024", "2024-Q1", "Sơ bộ 2024", "2024 (*)".
    static func period(_ cell: String) -> String? { Period(cell)?.description ?? ColumnLabel(cell).period }

    /// The column naming the units among those before `before`: the first with text in the data row that is not
    /// a row number ("STT", "TT", "No.").
    private static func unitColumn(header: [String], data: [String], before: Int, except: Int?) -> Int {
        let ordinal: Set<String> = ["stt", "tt", "no", "no.", "#", "so tt", "so thu tu", "order"]
        let candidates = (0..<min(before, data.count)).filter { $0 != except && !data[$0].isEmpty }
        return candidates.first { index in
            !(index < header.count && ordinal.contains(ColumnLabel.fold(header[index])))
        } ?? candidates.first ?? 0
    }

    /// The header starting at `lines[start]`, if that row (or it and the next) labels the columns of the data
    /// rows that follow.
    private static func header(at start: Int, in lines: [Row], isUnitName: (String) -> Bool) -> Header? {
        let row = lines[start].fields
        guard row.count >= 2, !isNumber(row[0]) || row[0].isEmpty, row[0].isEmpty || !isUnitName(row[0]) else {
            return nil
        }
        let labels = labelCells(row)
        guard !labels.isEmpty else { return nil }
        // Long layout: a column named year, and years in it below.
        if let yearIndex = labels.first(where: { yearColumnNames.contains(ColumnLabel.fold($0.text)) })?.index,
           start + 1 < lines.count {
            let next = lines[start + 1].fields
            if next.indices.contains(yearIndex), Self.period(next[yearIndex]) != nil {
                let unit = unitColumn(header: row, data: next, before: next.count, except: yearIndex)
                let columns = labels.filter { $0.index != yearIndex && $0.index != unit }
                    .filter { next.indices.contains($0.index) && isValueCell(next[$0.index]) }
                    .map { ValueColumn(index: $0.index, label: ColumnLabel($0.text)) }
                guard !columns.isEmpty else { return nil }
                return Header(layout: .long, headerLines: [lines[start].line], unitColumn: unit, yearColumn: yearIndex,
                              columns: columns, leftOut: [], stub: row.first ?? "")
            }
        }
        // Wide layouts, the header on one row or two.
        for depth in [1, 2] where start + depth < lines.count {
            var texts = row
            if depth == 2 {
                let second = lines[start + 1].fields
                // Merged cells leave the top row blank after their first column.
                var carried = ""
                texts = (0..<max(row.count, second.count)).map { index in
                    let top = index < row.count ? row[index] : ""
                    if !top.isEmpty { carried = top }
                    let bottom = index < second.count ? second[index] : ""
                    return index == 0 ? (top.isEmpty ? bottom : top) : [carried, bottom]
                        .filter { !$0.isEmpty }.joined(separator: " ")
                }
                // A second header row names no unit: "Hà Nội;8717,6" with a broken number is data.
                guard !labelCells(second).isEmpty, second.first.map({ $0.isEmpty || !isUnitName($0) }) ?? true
                else { continue }
            }
            let cells = labelCells(texts)
            let data = lines[start + depth].fields
            let columns = cells.map { ValueColumn(index: $0.index, label: ColumnLabel($0.text)) }
            let withYears = columns.filter { $0.label.year != nil }
            // In a wide table, only the columns of a year hold values; label columns before them (a code, a
            // name, a row number) hold text.
            let valueColumns = withYears.isEmpty ? columns : withYears
            // A data row shorter than its year labels, with numbers under the other labels: the header holds an
            // unquoted separator; taken as the header so that the check of the widths below says so.
            let shifted = !withYears.isEmpty && data.count <= (withYears.last?.index ?? 0)
                && data.dropFirst().contains(where: isNumber)
            guard !valueColumns.isEmpty,
                  shifted || isDataRow(data, valueColumns: valueColumns.map(\.index), isUnitName: isUnitName)
            else { continue }
            let layout: Layout = withYears.isEmpty ? .singlePeriod : .wide
            let first = valueColumns.first?.index ?? 1
            let unit = unitColumn(header: texts, data: data, before: first, except: nil)
            let leftOut = columns.filter { column in
                column.index > first && (layout == .wide ? column.label.period == nil : false)
            }
            return Header(layout: layout, headerLines: lines[start..<(start + depth)].map(\.line), unitColumn: unit,
                          yearColumn: nil, columns: valueColumns.filter { $0.index != unit && $0.label.partOfYear == nil },
                          leftOut: leftOut.map(\.label.text), stub: texts.first ?? "")
        }
        return nil
    }

    private static let yearColumnNames: Set<String> = ["year", "nam", "period", "ky", "thoi gian", "time",
                                                       "time_period"]

    /// The non-empty cells after the first that are labels: text that is not a number, or a year.
    private static func labelCells(_ row: [String]) -> [(index: Int, text: String)] {
        let cells = row.enumerated().dropFirst().filter { !$0.element.isEmpty }
        guard !cells.isEmpty, cells.allSatisfy({ !isNumber($0.element) || ColumnLabel.yearToken($0.element) != nil })
        else { return [] }
        return cells.map { ($0.offset, $0.element) }
    }

    /// A unit's row: a name in the first non-empty cell, and values (numbers or missing markers) in the value
    /// columns, at least one of them a number.
    private static func isDataRow(_ row: [String], valueColumns: [Int], isUnitName: (String) -> Bool) -> Bool {
        let values = valueColumns.map { row.indices.contains($0) ? row[$0] : "" }
        guard values.allSatisfy(isValueCell), values.contains(where: isNumber) else { return false }
        let before = row.prefix(valueColumns.min() ?? 0).filter { !$0.isEmpty }
        return !before.isEmpty
    }

    static func isValueCell(_ text: String) -> Bool { MissingValue.isMarker(text) || isNumber(text) }

    static func isNumber(_ text: String) -> Bool {
        DecimalMark.point.number(text) != nil || DecimalMark.comma.number(text) != nil
    }
}
