import Foundation
import Reports

/// Prints rows as an aligned table, CSV or JSON (an array of objects keyed by header).
func printRows(_ header: [String], _ rows: [[String]], format: OutputFormat) {
    switch format {
    case .csv:
        var writer = CSVWriter(header: header)
        rows.forEach { writer.append($0) }
        print(writer.text, terminator: "")
    case .json:
        let objects = rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(objects) { print(String(decoding: data, as: UTF8.self)) }
    case .table:
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { $0[column] }).map { min($0.count, 60) }.max() ?? 0
        }
        func line(_ fields: [String]) -> String {
            fields.enumerated().map { index, field in
                let text = field.count > 60 ? String(field.prefix(59)) + "…" : field
                return text + String(repeating: " ", count: max(0, widths[index] - text.count))
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        print(line(header))
        print(line(widths.map { String(repeating: "-", count: $0) }))
        rows.forEach { print(line($0)) }
    }
}

/// Prints a value as pretty JSON.
func printJSON<T: Encodable>(_ value: T) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
}
