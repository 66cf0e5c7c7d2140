import Foundation
import Reference
import Warehouse

/// How a row of an indicator file is checked: its numbers, its decimal mark, its plausibility, outliers.
extension IndicatorFileLoader {
    /// One record checked field by field: every problem of the row, or the observation it stands for.
    func validate(_ record: IndicatorRecord, decimal: DecimalMark, preferredLevel: UnitLevel?,
                  seen: inout [String: Int]) -> Result<ObservationRow, RowProblems> {
        var problems: [(String, RejectCode, String)] = []
        let field = { (name: String) in record.fields[name] }
        let code = field("indicator") ?? ""
        let indicator = indicators[code]
        if indicator == nil {
            problems.append(("indicator", RejectCode.unknownIndicator,
                             "unknown indicator '\(code)': use a code listed by 'chiso targets' or indicators.yaml"))
        }
        let periodText = field("period") ?? ""
        let period = Period(periodText)
        if period == nil {
            problems.append(("period", RejectCode.badPeriod, "period '\(periodText)' is not YYYY, YYYY-Qn or YYYY-MM"))
        } else if let period, period.startDate > asOf {
            problems.append(("period", RejectCode.futurePeriod,
                             "period \(period) has not begun on \(asOf), the day of this load (--as-of sets it)"))
        }
        var unitID: Int?
        if let period {
            let version = field("units_version").flatMap { $0.isEmpty ? nil : $0 }
            if let version, UnitVersion(rawValue: version) == nil {
                problems.append(("units_version", RejectCode.badVersion, "units_version '\(version)' is not pre2025 or 2025"))
            }
            switch resolveUnit(field("unit") ?? "", period: period,
                               version: version.flatMap(UnitVersion.init(rawValue:)) ?? unitsVersion,
                               level: record.level, preferredLevel: preferredLevel) {
            case .success(let id): unitID = id
            case .failure(let problem): problems.append(("unit", problem.code, problem.message))
            }
        }
        // A percentage written with its sign ("45,8%", as a spreadsheet formats it) is that percentage.
        let percent = indicator?.unit == "percent"
        let value = number(field("value").map { percent && $0.hasSuffix("%") ? String($0.dropLast()) : $0 }, "value",
                           decimal: decimal, scale: record.scale * (shares == .fraction && percent ? 100 : 1), &problems)
        let numerator = number(field("numerator"), "numerator", decimal: decimal, scale: 1, &problems)
        let denominator = number(field("denominator"), "denominator", decimal: decimal, scale: 1, &problems)
        if (numerator == nil) != (denominator == nil) {
            problems.append(("denominator", RejectCode.incompleteRatio, "give both numerator and denominator, or neither"))
        } else if let denominator, denominator <= 0 {
            problems.append(("denominator", RejectCode.outOfRange, "denominator must be positive"))
        } else if let numerator, let denominator, numerator < 0 || (indicator?.unit == "percent" && numerator > denominator) {
            problems.append(("numerator", RejectCode.outOfRange, "the numerator of a share must lie within 0 and the denominator"))
        }
        if let value, let indicator, let problem = Self.implausible(value, of: indicator) {
            problems.append(("value", RejectCode.outOfRange, problem))
        }
        if let value, let numerator, let denominator, denominator > 0 {
            // The value is the ratio, in percent for a percentage; published to a whole number at the least.
            let ratio = numerator / denominator * (indicator?.unit == "percent" ? 100 : 1)
            if abs(value - ratio) > max(0.5, 0.005 * abs(ratio)) {
                problems.append(("value", RejectCode.inconsistent, "value \(Self.plain(value)) is not numerator / denominator = "
                                    + "\(Self.plain((ratio * 1000).rounded() / 1000)): correct one of them, or leave the value empty"))
            }
        }
        if let unitID, let period, problems.isEmpty {
            let key = "\(code)|\(unitID)|\(period)"
            if let first = seen[key] {
                problems.append(("period", RejectCode.duplicateKey, "same indicator, unit and period as line \(first): keep one of them"))
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
    func outliers(_ rows: [(row: ObservationRow, record: IndicatorRecord)]) throws -> [RejectedRow] {
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
            warnings.append(RejectedRow(line: record.line, column: "value", errorCode: RejectCode.outlier,
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
            return RejectedRow(line: last.line, column: column, errorCode: RejectCode.cutShort,
                               message: "the file ends without a line break inside this row, and its \(column) '\(written)' "
                                + "has \(places) decimal\(places == 1 ? "" : "s") where every other \(column) of the file has \(usual): the file was "
                                + "probably cut short; get it whole again", raw: last.raw)
        }
        return nil
    }

    /// A number without a trailing ".0".
    static func plain(_ value: Double) -> String {
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

    func number(_ text: String?, _ column: String, decimal: DecimalMark, scale: Double,
                _ problems: inout [(String, RejectCode, String)]) -> Double? {
        guard let text, !MissingValue.isMarker(text) else { return nil }
        guard let value = decimal.number(text) else {
            problems.append((column, RejectCode.notANumber, "\(column) '\(text)' is not a number written with a decimal "
                                + (decimal == .point ? "point" : "comma") + " (--decimal sets which)"))
            return nil
        }
        // Rounded to 6 decimals, so 7328.4 thousand is 7328400, not 7328400.000000001.
        let scaled = scale == 1 ? value : (value * scale * 1e6).rounded() / 1e6
        guard abs(scaled) < Self.largestExact else {
            problems.append((column, RejectCode.outOfRange, "\(column) '\(text)' is larger than a number can be stored exactly"))
            return nil
        }
        return scaled
    }

    /// 2^53: integers beyond it cannot all be told apart in a Double.
    static let largestExact = 9_007_199_254_740_992.0

    /// The decimal mark of the numbers in `records`: the one set, else the one their cells show. Comma-separated
    /// text and workbooks cannot have decimal commas in unquoted cells, so `1.234` there is a decimal point;
    /// a quoted `"8,718"` is undecided there too.
    func decimal(of records: [IndicatorRecord], path: String, delimiter: UInt8) throws -> DecimalMark {
        if let decimalMark { return decimalMark }
        let cells = records.lazy.flatMap { record in ["value", "numerator", "denominator"].compactMap { record.fields[$0] } }
        switch DecimalMark.sniff(cells, pointsAreDecimal: delimiter != UInt8(ascii: ";")) {
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
}
