import Foundation

/// A column label of a published table, taken apart: `"Total Prel. 2016"`, `"2016 (*) Average population
/// (Thous. pers.)"`, `"Tổng số 1995"`, `"Sơ bộ 2016"`, `"Dân số trung bình (Nghìn người)"`.
///
/// The year is a standalone four-digit number from 1900 to 2100: `1992.3` or `2046,1` are numbers, never
/// years. Markers of preliminary figures (`Prel.`, `Sơ bộ`, `(*)`, `(P)`) and the words `Năm`/`Year` are
/// dropped; the unit is the text in brackets; what is left is the measure (`Total`, `Average population`).
public struct ColumnLabel: Equatable, Sendable {
    /// The label as written, spaces collapsed.
    public let text: String
    public let year: Int?
    /// The measure the column holds, nil when the label is only a year.
    public let measure: String?
    /// The unit of measure written in brackets ("Thous. pers.", "Km2", "%"), if any.
    public let unit: String?
    /// Whether the label marks the figures as preliminary.
    public let preliminary: Bool

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
        var index = 0
        while index < words.count {
            let folded = Self.fold(words[index])
            if ["prel", "prel.", "preliminary"].contains(folded) {
                preliminary = true
            } else if folded == "so", index + 1 < words.count, Self.fold(words[index + 1]) == "bo" {
                preliminary = true
                index += 1
            } else if !(["nam", "year", "*", "(*)"].contains(folded) && yearCount == 1) {
                kept.append(words[index])
            }
            index += 1
        }
        let measure = kept.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: " :,;-–*"))
        self.year = year
        self.measure = measure.isEmpty ? nil : measure
        self.unit = unit
        self.preliminary = preliminary
    }

    /// The multiplier the unit implies (the bracketed unit, else the words of the label, else `tableUnit`, a
    /// unit line of the title such as "Đơn vị tính: Nghìn người"): thousands of persons are stored as persons.
    public func scale(tableUnit: String? = nil) -> Double {
        for text in [unit, measure, tableUnit].compactMap({ $0 }) {
            let words = Self.words(text)
            if words.contains(where: { ["thous", "thousand", "thousands", "nghin", "ngan"].contains($0) }) { return 1_000 }
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
