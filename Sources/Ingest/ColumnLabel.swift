import Foundation

/// A column label of a published table, taken apart: `"Total Prel. 2016"`, `"2016 (*) Average population
/// (Thous. pers.)"`, `"Tổng số 1995"`, `"Sơ bộ 2016"`, `"Quý I/2024"`, `"Dân số trung bình (Nghìn người)"`.
///
/// The year is a standalone four-digit number from 1900 to 2100 (also after a slash: `Tháng 6/2024`): `1992.3`
/// or `2046,1` are numbers, never years. A quarter (`Quý I`, `Q1`, `Quarter 1`) or a month (`Tháng 6`,
/// `Month 6`) narrows it; a cumulative part of a year (`6 tháng 2024`, `9 tháng đầu năm`) is marked, since no
/// period holds it. Markers of preliminary figures (`Prel.`, `Sơ bộ`, `(*)`, `(P)`) and the word `Năm` (with
/// its diacritics: `Nam` is "male") or `Year` are dropped; the unit is the text in brackets; what is left is
/// the measure (`Total`, `Average population`).
public struct ColumnLabel: Equatable, Sendable {
    /// The label as written, spaces collapsed.
    public let text: String
    public let year: Int?
    /// The quarter (1-4) or the month (1-12) within `year`, if the label names one.
    public let quarter: Int?
    public let month: Int?
    /// The cumulative part of a year the label names ("6 tháng"), which no period can hold.
    public let partOfYear: String?
    /// The measure the column holds, nil when the label is only a period.
    public let measure: String?
    /// The unit of measure written in brackets ("Thous. pers.", "Km2", "%"), if any.
    public let unit: String?
    /// Whether the label marks the figures as preliminary.
    public let preliminary: Bool

    /// The period the column holds: "2024", "2024-Q1", "2024-06"; nil without a year or for a part of a year.
    public var period: String? {
        guard let year, partOfYear == nil else { return nil }
        if let quarter { return "\(year)-Q\(quarter)" }
        if let month { return "\(year)-" + (month < 10 ? "0\(month)" : "\(month)") }
        return String(year)
    }

    public init(_ label: String) {
        let collapsed = label.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        text = collapsed
        var rest = collapsed
        var unit: String?
        var preliminary = false
        // Bracketed parts: a preliminary marker, or the unit of measure.
        while let open = rest.firstIndex(where: { $0 == "(" || $0 == "[" }),
              let close = rest[open...].firstIndex(where: { $0 == ")" || $0 == "]" }) {
            let inside = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            if Self.isPreliminaryMarker(inside) {
                preliminary = true
            } else if !inside.isEmpty, unit == nil {
                unit = inside
            }
            rest.replaceSubrange(open...close, with: " ")
        }
        // "Quý I/2024", "6/2024": the year after a slash stands alone.
        rest = rest.replacingOccurrences(of: #"/(\d{4})\b"#, with: " $1", options: .regularExpression)
        var words = rest.split(separator: " ").map(String.init)
        var year: Int?
        var yearCount = 0
        words = words.filter { word in
            if let found = Self.yearToken(word) {
                year = found
                yearCount += 1
                return false
            }
            return true
        }
        // Two years in one label ("2016-2020") is a range, not a column of one year.
        if yearCount != 1 { year = nil }
        var kept: [String] = []
        var quarter: Int?, month: Int?, partOfYear: String?
        var index = 0
        while index < words.count {
            let folded = Self.fold(words[index])
            let next = index + 1 < words.count ? Self.fold(words[index + 1]) : ""
            if ["prel", "prel.", "preliminary"].contains(folded) {
                preliminary = true
            } else if folded == "so", next == "bo" {
                preliminary = true
                index += 1
            } else if ["quy", "quarter"].contains(folded), let q = Self.quarterNumber(next) {
                quarter = q
                index += 1
            } else if folded.count == 2, folded.hasPrefix("q"), let q = Self.quarterNumber(String(folded.dropFirst())) {
                quarter = q
            } else if ["thang", "month"].contains(folded), let m = Int(next), (1...12).contains(m) {
                month = m
                index += 1
            } else if let m = Int(folded), (1...12).contains(m), ["thang", "months"].contains(next) {
                // "6 tháng": the first six months added up.
                partOfYear = "\(words[index]) \(words[index + 1])"
                index += 1
                while index + 1 < words.count, ["dau", "nam", "đau"].contains(Self.fold(words[index + 1])) { index += 1 }
            } else if yearCount == 1,
                      words[index].precomposedStringWithCanonicalMapping.lowercased() == "năm" || ["year", "*"].contains(folded) {
                // "Năm 2016" is the year; "Nam 2016" (men) is a measure.
            } else {
                kept.append(words[index])
            }
            index += 1
        }
        let measure = kept.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: " :,;-–*"))
        self.year = year
        self.quarter = quarter
        self.month = month
        self.partOfYear = partOfYear
        self.measure = measure.isEmpty ? nil : measure
        self.unit = unit
        self.preliminary = preliminary
    }

    private static func quarterNumber(_ text: String) -> Int? {
        ["i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4][text.lowercased()]
    }

    /// Whether the measure is a part of the whole the indicator counts (men, women, urban, rural), which must
    /// be chosen by name, never loaded because it is the only measure of a table.
    public var isBreakdown: Bool {
        guard let measure else { return false }
        let folded = Self.fold(measure)
        return ["male", "female", "men", "women", "urban", "rural", "nam", "nu", "thanh thi", "nong thon"].contains(folded)
    }

    /// The multiplier the unit implies (the bracketed unit, else the words of the label, else `tableUnit`, a
    /// unit line of the title such as "Đơn vị tính: Nghìn người"): thousands of persons are stored as persons.
    public func scale(tableUnit: String? = nil) -> Double {
        for text in [unit, measure, tableUnit].compactMap({ $0 }) {
            let words = Self.words(text)
            if words.contains(where: { ["thous", "thousand", "thousands", "nghin", "ngan"].contains($0) })
                || Self.thousandsWritten(text) { return 1_000 }
            if words.contains(where: { ["mill", "million", "millions", "trieu"].contains($0) }) { return 1_000_000 }
            if unit != nil && text == unit { return 1 }
        }
        return 1
    }

    /// What the column measures, when its unit or words say: the bracketed unit first, then the label's words
    /// ("population_density_per_km2" is a rate), then `tableUnit`.
    public func quantity(tableUnit: String? = nil) -> Quantity? {
        for text in [unit, measure, tableUnit].compactMap({ $0 }) {
            let folded = Self.fold(text)
            let words = Self.words(text)
            if folded.contains("/") || words.contains("per") || folded.contains("mat do") || words.contains("density") {
                return .rate
            }
            if words.contains(where: { ["km2", "km²", "ha", "hectare", "hectares", "area"].contains($0) })
                || folded.contains("dien tich") { return .area }
            if folded.contains("%") || words.contains("percent") || folded.contains("phan tram") || folded.contains("ty le") {
                return .percent
            }
            if words.contains(where: { ["vnd", "dong", "usd", "grdp", "gdp"].contains($0) }) { return .money }
            if words.contains(where: { ["pers", "persons", "person", "people", "population", "nguoi"].contains($0) })
                || folded.contains("dan so") { return .persons }
        }
        return nil
    }

    /// Whether the label (or `tableUnit`) says its values are percentages: "%", "percent", "phần trăm". "Tỷ lệ"
    /// (a ratio) does not: a ratio may be written as a fraction.
    public func declaresPercent(tableUnit: String? = nil) -> Bool {
        [text, unit, tableUnit].compactMap { $0 }.contains { text in
            let folded = Self.fold(text)
            return folded.contains("%") || Self.words(text).contains("percent") || folded.contains("phan tram")
        }
    }

    /// "1000 người", "1.000 persons", "1,000", "'000", "000 persons": thousands written as a number.
    private static func thousandsWritten(_ text: String) -> Bool {
        let folded = fold(text).trimmingCharacters(in: .whitespaces)
        return folded.range(of: #"^(1[.,  ]?000|'000|000)(\s|$)"#, options: .regularExpression) != nil
    }

    /// The lower-case, diacritic-free words of `text`, split at anything not a letter or digit.
    private static func words(_ text: String) -> [String] {
        fold(text).split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "²" }).map(String.init)
    }

    /// Kinds of quantity a label's unit can name.
    public enum Quantity: String, Sendable {
        case persons, area, percent, money, rate
    }

    /// Whether `text` names the same measure as this label: case, diacritics and spacing aside.
    public func hasMeasure(_ text: String) -> Bool {
        Self.fold(measure ?? "") == Self.fold(text)
    }

    /// A four-digit year standing alone (brackets and a trailing colon allowed), else nil.
    static func yearToken(_ word: String) -> Int? {
        let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: ":;,*"))
        guard trimmed.count == 4, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(trimmed),
              (1900...2100).contains(year) else { return nil }
        return year
    }

    private static func isPreliminaryMarker(_ text: String) -> Bool {
        ["*", "**", "p", "prel", "prel.", "preliminary", "so bo"].contains(fold(text))
    }

    /// Lower case, diacritics dropped (đ as d), spaces collapsed.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "d")
            .split(separator: " ").joined(separator: " ")
    }
}
