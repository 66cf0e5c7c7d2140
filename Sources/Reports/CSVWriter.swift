import Foundation
/// Writes RFC 4180 CSV: fields with delimiters, quotes or line breaks are quoted, quotes doubled, lines end
/// in CRLF. Text that a spreadsheet would run as a formula (starting with `=`, `+`, `-` or `@` and not a
/// number) is prefixed with an apostrophe.
public struct CSVWriter {
    private(set) public var text = ""

    public init(header: [String]) { append(header) }

    /// Appends one record.
    public mutating func append(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",") + "\r\n"
    }

    /// One field, neutralised and quoted as needed.
    public static func escape(_ field: String) -> String {
        var field = field
        if let first = field.first, "=+-@".contains(first), Double(field) == nil {
            field = "'" + field
        }
        if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }
}

