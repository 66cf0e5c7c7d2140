import Foundation
/// A reporting period: a year ("2024"), a quarter ("2024-Q3") or a month ("2024-09").
public struct Period: Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    /// 1-4 for a quarter.
    public let quarter: Int?
    /// 1-12 for a month.
    public let month: Int?

    /// Parses the three forms; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, first.count == 4, let year = Int(first), (1900...2100).contains(year) else {
            return nil
        }
        self.year = year
        switch parts.count {
        case 1:
            quarter = nil
            month = nil
        case 2 where parts[1].uppercased().hasPrefix("Q") && parts[1].count == 2:
            guard let q = Int(parts[1].dropFirst()), (1...4).contains(q) else { return nil }
            quarter = q
            month = nil
        case 2 where parts[1].count == 2:
            guard let m = Int(parts[1]), (1...12).contains(m) else { return nil }
            quarter = nil
            month = m
        default:
            return nil
        }
    }

    /// The canonical text: "2024", "2024-Q3", "2024-09".
    public var description: String {
        if let quarter { return "\(year)-Q\(quarter)" }
        if let month { return "\(year)-" + (month < 10 ? "0\(month)" : "\(month)") }
        return "\(year)"
    }

    /// The last day of the period (ISO date). A unit code is read in the administrative version in force on
    /// this day: an annual 2025 value belongs to the units of 1 July 2025.
    public var endDate: String {
        let lastMonth = month ?? (quarter.map { $0 * 3 } ?? 12)
        let days = [31, Self.isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][lastMonth - 1]
        return "\(year)-" + (lastMonth < 10 ? "0\(lastMonth)" : "\(lastMonth)") + "-\(days)"
    }

    /// The first day of the period (ISO date).
    public var startDate: String {
        let firstMonth = month ?? (quarter.map { $0 * 3 - 2 } ?? 1)
        return "\(year)-" + (firstMonth < 10 ? "0\(firstMonth)" : "\(firstMonth)") + "-01"
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// A real calendar day written YYYY-MM-DD, or DD/MM/YYYY as Vietnamese forms write it, as YYYY-MM-DD;
    /// `nil` for anything else (2023-02-29 and 2024-13-01 included).
    public static func calendarDate(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count == 10 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard (48...57).contains(bytes[i]) else { return nil }
                value = value * 10 + Int(bytes[i] - 48)
            }
            return value
        }
        let year: Int?, month: Int?, day: Int?
        let iso = bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-")
        if iso {
            (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
        } else if bytes[2] == UInt8(ascii: "/"), bytes[5] == UInt8(ascii: "/") {
            (year, month, day) = (number(6..<10), number(3..<5), number(0..<2))
        } else {
            return nil
        }
        guard let year, let month, let day, (1800...2200).contains(year), (1...12).contains(month) else { return nil }
        guard day >= 1 && day <= (month == 2 && isLeap(year) ? 29 : daysInMonth[month - 1]) else { return nil }
        // The day as written when it is written YYYY-MM-DD already, as most are.
        if iso { return text }
        return String(decoding: bytes[6..<10] + [UInt8(ascii: "-")] + bytes[3..<5] + [UInt8(ascii: "-")] + bytes[0..<2],
                      as: UTF8.self)
    }

    private static let daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
}

