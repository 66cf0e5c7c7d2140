import Foundation

/// The one place where unit names are compared. Real files write a name many ways: NFC or NFD, the tone mark
/// on either vowel (Hòa/Hoà), with or without "Tỉnh", "Thành phố", "TP.", in any case, without diacritics,
/// with en dashes or hyphens, doubled spaces and tabs. Two keys come out of a name:
/// - `key`: diacritics kept, tone marks moved to the end of each syllable as a digit, so only the tone
///   placement, case, prefixes and punctuation are forgotten;
/// - `foldedKey`: every diacritic dropped (đ becomes d), for names typed without them.
public enum NameNormaliser {
    /// Unit kinds a leading word of a name announces ("Tỉnh" a province, "Phường" a commune-level unit).
    public static func levelHint(_ name: String) -> UnitLevel? {
        for folded in [false, true] {
            let words = words(name, folded: folded)
            for prefix in prefixes {
                let prefixWords = folded ? prefix.folded : prefix.key
                if words.count > prefixWords.count && words.starts(with: prefixWords) { return prefix.level }
            }
        }
        return nil
    }

    /// Whether the name starts with "Thành phố" or "TP": a city, at whatever level (Hồ Chí Minh City is a
    /// province, Kon Tum City a district of Kon Tum province).
    public static func namesCity(_ name: String) -> Bool {
        let folded = words(name, folded: true)
        return folded.starts(with: ["thanh", "pho"]) && folded.count > 2 || folded.first == "tp" && folded.count > 1
    }

    /// The tone-canonical key: equal for names that differ only in tone placement, case, normalisation form,
    /// administrative prefix, dashes and spacing.
    public static func key(_ name: String) -> String {
        stripAffixes(words(name, folded: false), folded: false).joined(separator: " ")
    }

    /// The ASCII key: `key` with every diacritic dropped.
    public static func foldedKey(_ name: String) -> String {
        stripAffixes(words(name, folded: true), folded: true).joined(separator: " ")
    }

    /// A leading word group that names a unit's kind, in both key forms. Matching the tone-exact form first
    /// keeps "Xà Bang" (a name) apart from "Xã" (a prefix) whenever the input has its diacritics.
    private struct Prefix {
        let key: [String]
        let folded: [String]
        let level: UnitLevel?
        init(_ text: String, _ level: UnitLevel?) {
            key = NameNormaliser.words(text, folded: false)
            folded = NameNormaliser.words(text, folded: true)
            self.level = level
        }
    }

    private static let prefixes: [Prefix] = [
        Prefix("Thành phố", nil), Prefix("Tỉnh", .province), Prefix("TP", nil),
        Prefix("Quận", .district), Prefix("Huyện", .district), Prefix("Thị xã", .district),
        Prefix("Phường", .commune), Prefix("Xã", .commune), Prefix("Thị trấn", .commune),
        Prefix("Đặc khu", .commune),
    ]
    private static let englishSuffixes: Set<String> = ["province", "city", "district", "ward", "commune", "town"]
    private static let toneMarks: [Unicode.Scalar: Character] = [
        "\u{0301}": "1", "\u{0300}": "2", "\u{0309}": "3", "\u{0303}": "4", "\u{0323}": "5",
    ]

    /// Splits a name into lower-case words: separators are white space, dashes, dots, commas, underscores,
    /// brackets. Each word is tone-canonical (or folded to ASCII); leading zeros of numbers are dropped.
    private static func words(_ name: String, folded: Bool) -> [String] {
        var result: [String] = []
        var current = String.UnicodeScalarView()
        var tone: Character?
        func finish() {
            guard !current.isEmpty else { return }
            var word = String(current).precomposedStringWithCanonicalMapping
            if let tone { word.append(tone) }
            if word.allSatisfy(\.isNumber), let number = Int(word) { word = String(number) }
            result.append(word)
            current = String.UnicodeScalarView()
            tone = nil
        }
        for scalar in name.decomposedStringWithCanonicalMapping.lowercased().unicodeScalars {
            if isSeparator(scalar) {
                finish()
            } else if let mark = toneMarks[scalar] {
                if !folded { tone = mark }
            } else if scalar.properties.generalCategory == .nonspacingMark {
                if !folded { current.append(scalar) }
            } else if folded && scalar == "đ" {
                current.append("d")
            } else {
                current.append(scalar)
            }
        }
        finish()
        return result
    }

    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isWhitespace { return true }
        switch scalar {
        case "-", "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}",
             ".", ",", "_", "(", ")", "'", "\"", "/", "*":
            return true
        default:
            return false
        }
    }

    private static func stripAffixes(_ words: [String], folded: Bool) -> [String] {
        var words = words
        for prefix in prefixes {
            let prefixWords = folded ? prefix.folded : prefix.key
            if words.count > prefixWords.count && words.starts(with: prefixWords) {
                words.removeFirst(prefixWords.count)
                break
            }
        }
        if words.count > 1, let last = words.last, englishSuffixes.contains(last) { words.removeLast() }
        return words
    }

    /// Levenshtein distance between two keys, for suggesting the nearest names.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
