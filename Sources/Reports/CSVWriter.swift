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
        // Bytes, not characters: the ASCII signs looked for cannot be part of another character in UTF-8.
        if let first = field.utf8.first, first == UInt8(ascii: "=") || first == UInt8(ascii: "+")
            || first == UInt8(ascii: "-") || first == UInt8(ascii: "@"), Double(field) == nil {
            field = "'" + field
        }
        if field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }) {
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return field
    }
}

