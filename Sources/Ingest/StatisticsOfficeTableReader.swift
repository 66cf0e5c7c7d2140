import Foundation
import Reference
import Warehouse

/// Which measure of a table to load, and as which indicator: `--measure Total`, `--measure Urban=URBAN_POP`.
public struct MeasureChoice: Equatable, Sendable {
    public let measure: String
    /// The indicator it loads as; nil: the table's indicator.
    public let indicator: String?

    /// Reads `MEASURE` or `MEASURE=INDICATOR`.
    public init(_ text: String) {
        if let equals = text.lastIndex(of: "=") {
            measure = text[..<equals].trimmingCharacters(in: .whitespaces)
            indicator = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        } else {
            measure = text.trimmingCharacters(in: .whitespaces)
            indicator = nil
        }
    }
}

/// Reads a table as analysts download it from the statistics office (see `StatisticsOfficeTable` for the
/// layouts) into records: each cell of a unit and a year is one record, so a load counts cells.
///
/// - A table of several measures (Total / Male / Female, or area / population / density) loads only those
///   `measures` names, each as its own indicator or as `indicator`; without a choice it is refused, listing
///   the measures found.
/// - A measure whose unit contradicts the indicator (km2, a density or money for a count; persons for a
///   percentage) is refused. "Thous." and "Nghìn" scale the values by 1000, "Mill." and "Triệu" by a million.
/// - A table with one column per measure and no year takes the year of `period`, else the one year its
///   title names, else is refused.
/// - National, regional and provincial rows are all kept as their units; a row naming a unit of a lower
///   level than the table's (a commune among provinces) is rejected.
struct StatisticsOfficeTableReader: IndicatorFileReader {
    let units: UnitDirectory
    let indicators: [String: Indicator]
    /// The indicator the table's measure is.
    let indicator: String
    let measures: [MeasureChoice]
    /// The year of a table whose columns carry none.
    let period: String?
    let sheet: String?
    let counting = "cells"

    var format: String {
        (["statistics-office-table", "indicator \(indicator)"]
            + measures.map { "measure \($0.measure)" + ($0.indicator.map { "=\($0)" } ?? "") } + [period.map { "period \($0)" }]
            .compactMap { $0 }).joined(separator: "; ")
    }

    func read(_ path: String, reject: (RejectedRow) -> Void) throws -> ReadRecords {
        let reader = try TabularFile.open(path, sheet: sheet)
        let table = try StatisticsOfficeTable(reading: reader, path: path) { name in
            (try? units.resolve(name)) != nil
        }
        for error in table.unreadable {
            reject(RejectedRow(line: error.line, column: error.field.map { "field \($0)" },
                               errorCode: error.kind.code, message: error.advice, raw: error.raw))
        }
        let (selected, superseded) = try select(table, path: path)
        let fixedPeriod = try singlePeriod(of: table, given: period, path: path)
        var records: [IndicatorRecord] = []
        var missing = 0
        for row in table.rows {
            let unit = row.fields.indices.contains(table.unitColumn) ? row.fields[table.unitColumn] : ""
            for (column, code) in selected {
                let cell = row.fields.indices.contains(column.index) ? row.fields[column.index] : ""
                // A cell published as missing is no observation.
                if MissingValue.isMarker(cell) {
                    missing += 1
                    continue
                }
                let year = table.yearColumn.map { index in
                    let cell = row.fields.indices.contains(index) ? row.fields[index] : ""
                    return StatisticsOfficeTable.period(cell) ?? cell
                } ?? column.label.period ?? fixedPeriod ?? ""
                records.append(IndicatorRecord(line: row.line, raw: row.raw, fields: [
                    "indicator": code, "unit": unit, "period": year, "value": cell,
                    "source": "statistics office table: \(column.label.text)",
                ], scale: column.label.scale(tableUnit: table.tableUnit),
                labelledPercent: column.label.declaresPercent(tableUnit: table.tableUnit)))
            }
        }
        // A table's rows are of its level or above (its national and regional rows): a commune among
        // provinces is a name that matched the wrong unit.
        let level = table.stubLevel ?? units.dominantLevel(of: records)
        records = records.map { var record = $0; record.level = level; return record }
        let chosen = Set(selected.map { $0.column.label.measure ?? "" }).sorted()
            .map { $0.isEmpty ? "(years only)" : "\"\($0)\"" }.joined(separator: ", ")
        let scales = Set(selected.map { $0.column.label.scale(tableUnit: table.tableUnit) }).filter { $0 != 1 }.map { "× \(Int($0))" }
        let layout = "\(table.layout.rawValue) table, header on line "
            + table.headerLines.map(String.init).joined(separator: "-") + ", measure \(chosen)"
            + (scales.isEmpty ? "" : " (\(scales.sorted().joined(separator: ", ")))")
            + (fixedPeriod.map { ", year \($0) from " + (period == nil ? "the title" : "--period") } ?? "")
            + (missing > 0 ? ", \(missing) cell\(missing == 1 ? "" : "s") marked missing" : "")
            + (table.noteLines > 0 ? ", \(table.noteLines) note line\(table.noteLines == 1 ? "" : "s") skipped" : "")
            + (table.leftOut.isEmpty ? "" : "; columns left out, holding no year, quarter or month: "
                + table.leftOut.map { "\"\($0)\"" }.joined(separator: ", "))
            + (superseded.isEmpty ? "" : "; preliminary columns left out for the final ones of their year: "
                + superseded.map { "\"\($0)\"" }.joined(separator: ", "))
        return ReadRecords(records: records, delimiter: reader.delimiter, encoding: reader.encoding,
                           unterminatedLine: reader.unterminatedLastLine, missing: missing, layout: layout,
                           preferredLevel: level)
    }

    /// The value columns to load, with their indicators, and the preliminary columns a final one of the same
    /// period replaced ("Sơ bộ 2024" beside "2024").
    private func select(_ table: StatisticsOfficeTable, path: String)
        throws -> (columns: [(column: StatisticsOfficeTable.ValueColumn, indicator: String)], superseded: [String]) {
        let found = table.measures
        let listed = found.map { $0.isEmpty ? "(years only)" : "\"\($0)\"" }.joined(separator: ", ")
        var selected: [(column: StatisticsOfficeTable.ValueColumn, indicator: String)] = []
        if measures.isEmpty {
            // Measures that are unit names: the units stand as columns and the years as rows.
            if found.count > 1, found.filter({ (try? units.resolve($0, strictLevels: false)) != nil }).count * 2 > found.count {
                throw InputError(file: path, message: "the table's columns are units (\(found.prefix(3).joined(separator: ", ")), "
                                    + "...): it is transposed; chiso reads one row per unit, so transpose it (in a "
                                    + "spreadsheet: copy, paste special, transpose)")
            }
            let fitting = found.filter { measure in
                let label = table.columns.first { ($0.label.measure ?? "") == measure }?.label
                return !measure.isEmpty && label.map { label in indicators[indicator].map {
                    Self.contradiction(label, $0, tableUnit: table.tableUnit) == nil
                } ?? true } ?? true
            }
            guard found.count == 1 else {
                throw InputError(file: path, message: "the table has \(found.count) measures: \(listed). Name the one "
                                    + "to load with --measure" + (fitting.first.map { " (e.g. --measure \"\($0)\")" } ?? "")
                                    + ", or several as --measure NAME=INDICATOR")
            }
            if let only = table.columns.first?.label, only.isBreakdown {
                throw InputError(file: path, message: "the table's only measure is \"\(only.measure ?? "")\", a part of "
                                    + "the whole \(indicator) counts: say --measure \"\(only.measure ?? "")\" to load it "
                                    + "as \(indicator) anyway, or --measure \"\(only.measure ?? "")=INDICATOR\"")
            }
            selected = table.columns.map { ($0, indicator) }
        } else {
            for choice in measures {
                let columns = table.columns.filter { $0.label.hasMeasure(choice.measure) }
                guard !columns.isEmpty else {
                    throw InputError(file: path, message: "no measure \"\(choice.measure)\" in the table; its measures "
                                        + "are \(listed)")
                }
                selected += columns.map { ($0, choice.indicator ?? indicator) }
            }
        }
        for (column, code) in selected {
            guard let known = indicators[code] else {
                throw InputError(file: path, message: "unknown indicator '\(code)': use a code listed by 'chiso targets' "
                                    + "or indicators.yaml")
            }
            if let problem = Self.contradiction(column.label, known, tableUnit: table.tableUnit) {
                throw InputError(file: path, message: "column \"\(column.label.text)\" \(problem): choose the measure "
                                    + "that matches with --measure, or another indicator")
            }
        }
        // Two columns of one indicator and period: the final figure replaces the preliminary one; two of the
        // same standing cannot be told apart.
        var superseded: [String] = []
        var byPeriod: [String: [(column: StatisticsOfficeTable.ValueColumn, indicator: String)]] = [:]
        for item in selected {
            byPeriod["\(item.indicator)|\(item.column.label.period ?? "")", default: []].append(item)
        }
        for (_, items) in byPeriod where items.count > 1 && table.layout == .wide {
            let final = items.filter { !$0.column.label.preliminary }
            guard final.count == 1 else {
                throw InputError(file: path, message: "columns " + items.map { "\"\($0.column.label.text)\"" }
                                    .joined(separator: " and ") + " hold the same period of the same measure: keep one "
                                    + "of them in the file")
            }
            superseded += items.filter { $0.column.label.preliminary }.map(\.column.label.text)
        }
        let dropped = Set(superseded)
        return (selected.filter { !dropped.contains($0.column.label.text) }, superseded.sorted())
    }

    /// Why a column labelled `label` cannot hold `indicator`, if its unit says so.
    static func contradiction(_ label: ColumnLabel, _ indicator: Indicator, tableUnit: String?) -> String? {
        guard let quantity = label.quantity(tableUnit: tableUnit) else {
            return indicator.unit == "percent" && label.scale(tableUnit: tableUnit) != 1 ? "is in thousands or millions, and "
                + "\(indicator.code) is a percentage" : nil
        }
        let fits: Bool
        switch indicator.unit {
        case "count": fits = quantity == .persons
        case "percent": fits = quantity == .percent
        case "rank": fits = false
        default: fits = true
        }
        return fits ? nil : "measures \(quantity.rawValue) (\(label.unit ?? tableUnit ?? label.text)), and \(indicator.code) is a "
            + "\(indicator.unit)"
    }

    /// The year of a table whose columns carry none: `given`, else the one year of its title; refused when both
    /// say and disagree.
    private func singlePeriod(of table: StatisticsOfficeTable, given: String?, path: String) throws -> String? {
        guard table.layout == .singlePeriod else { return nil }
        if let given {
            if let year = table.titleYear, Period(given)?.year != year {
                throw InputError(file: path, message: "--period \(given) contradicts the title, which names \(year): "
                                    + "check which year the figures are for")
            }
            return given
        }
        guard let year = table.titleYear else {
            throw InputError(file: path, message: "the table's columns are measures without a year, and its title names "
                                + (table.title.isEmpty ? "none" : "no single year") + ": say --period YYYY")
        }
        return String(year)
    }
}
