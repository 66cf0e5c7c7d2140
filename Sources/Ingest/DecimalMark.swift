import Foundation

/// How a file writes the decimal part of its numbers: `45.8` (point) or `45,8` (comma, as Excel writes in
/// Vietnamese and most European settings, with `.` grouping thousands: `101.343,9`).
public enum DecimalMark: String, Sendable, CaseIterable {
    case point, comma

    /// Reads `text` as a number written with this mark: thousands groups (`101,343.9`; `101.343,9`) and
    /// spaces (`101 343`) are allowed, anything else that is not a plain number is nil.
    public func number(_ text: String) -> Double? {
        var digits = String(text.unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "\u{202F}" })
        let (decimal, group): (Character, Character) = self == .point ? (".", ",") : (",", ".")
        if digits.contains(group) {
            guard Self.isGrouped(digits, group: group, decimal: decimal) else { return nil }
            digits.removeAll { $0 == group }
        }
        if decimal == "," { digits = digits.replacingOccurrences(of: ",", with: ".") }
        guard Self.isPlainNumber(digits), let value = Double(digits), value.isFinite else { return nil }
        return value
    }

    /// Whether `text` is a decimal number as people write it: a sign, digits with at most one point, an
    /// exponent. What Swift's `Double` would also take - hexadecimal (`0x1A`), `inf`, `nan`, a NUL that stops
    /// the C parser midway (`87\0...`) - is not a number in a data file.
    static func isPlainNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var digits = 0, points = 0
        while let byte = bytes.first, (48...57).contains(byte) || byte == UInt8(ascii: ".") {
            if byte == UInt8(ascii: ".") { points += 1 } else { digits += 1 }
            bytes = bytes.dropFirst()
        }
        guard digits > 0, points <= 1 else { return false }
        guard let e = bytes.first else { return true }
        guard e == UInt8(ascii: "e") || e == UInt8(ascii: "E") else { return false }
        bytes = bytes.dropFirst()
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        return !bytes.isEmpty && bytes.allSatisfy { (48...57).contains($0) }
    }

    /// The mark the numbers of a file use, from the evidence of its cells: a separator followed by other
    /// than three digits (`45,8`, `1992.3`) or standing after the other one (`1.234,5`) decides, and so does
    /// one written twice in a number (`8.717.600` groups thousands with points: its decimal mark is a comma).
    /// `1,234` or `1.234` alone could be either. With `pointsAreDecimal` (comma-separated text), `1.234` is
    /// read with a decimal point; `1,234` stays undecided whatever separates the fields - a quoted "8,718"
    /// in a comma-separated file is 8718 or 8.718 (a table in millions), and only --decimal can say which.
    /// - Returns: the mark, or `.undecided` with an example, or `.conflict` with one cell of each kind.
    public static func sniff<S: Sequence>(_ cells: S, pointsAreDecimal: Bool) -> Sniffed where S.Element == String {
        var pointExample: String?, commaExample: String?, ambiguousPoint: String?, ambiguousComma: String?
        for cell in cells {
            let text = cell.trimmingCharacters(in: .whitespaces)
            guard text.first.map({ $0.isNumber || $0 == "-" }) ?? false else { continue }
            let lastPoint = text.lastIndex(of: "."), lastComma = text.lastIndex(of: ",")
            switch (lastPoint, lastComma) {
            case (nil, nil):
                continue
            case let (point?, comma?):
                if point > comma { pointExample = pointExample ?? text } else { commaExample = commaExample ?? text }
            case let (point?, nil):
                if Self.decidesDecimal(text, at: point) { pointExample = pointExample ?? text }
                else if text.filter({ $0 == "." }).count > 1 { commaExample = commaExample ?? text }
                else { ambiguousPoint = ambiguousPoint ?? text }
            case let (nil, comma?):
                if Self.decidesDecimal(text, at: comma) { commaExample = commaExample ?? text }
                else if text.filter({ $0 == "," }).count > 1 { pointExample = pointExample ?? text }
                else { ambiguousComma = ambiguousComma ?? text }
            }
            if pointExample != nil && commaExample != nil { break }
        }
        switch (pointExample, commaExample) {
        case let (point?, comma?): return .conflict(point: point, comma: comma)
        case (_?, nil): return .decided(.point)
        case (nil, _?): return .decided(.comma)
        case (nil, nil):
            if let example = ambiguousComma ?? (pointsAreDecimal ? nil : ambiguousPoint) { return .undecided(example: example) }
            return .decided(.point)
        }
    }

    /// What `sniff` found.
    public enum Sniffed: Equatable, Sendable {
        case decided(DecimalMark)
        case undecided(example: String)
        case conflict(point: String, comma: String)
    }

    /// A separator that is followed by other than exactly three digits, or appears once with a leading zero
    /// group (`0,5`), can only be a decimal mark.
    private static func decidesDecimal(_ text: String, at index: String.Index) -> Bool {
        let separator = text[index]
        let after = text[text.index(after: index)...]
        if after.count != 3 || !after.allSatisfy(\.isNumber) { return true }
        let before = text[..<index].filter { $0 != "-" }
        return text.filter({ $0 == separator }).count == 1 && (before == "0" || before.isEmpty)
    }

    private static func isGrouped(_ text: String, group: Character, decimal: Character) -> Bool {
        let integer = text.split(separator: decimal, maxSplits: 1, omittingEmptySubsequences: false)[0]
        let groups = integer.drop { $0 == "-" || $0 == "+" }.split(separator: group, omittingEmptySubsequences: false)
        guard let first = groups.first, (1...3).contains(first.count) else { return false }
        return groups.dropFirst().allSatisfy { $0.count == 3 && $0.allSatisfy(\.isNumber) }
    }
}
