import ArgumentParser
import Foundation
import Pipeline
import Reports

/// One printed value. Tables and CSV show a number with 4 decimals and a missing value as an empty cell; JSON
/// has numbers as numbers (full precision) and `null` for missing (`Datasets/schemas/README.md`).
enum Cell: Encodable, Equatable, ExpressibleByStringLiteral {
    case text(String)
    case real(Double)
    case integer(Int)
    case null
    case list([Cell])
    case object([String: Cell])

    init(stringLiteral value: String) { self = .text(value) }

    /// A measured value: `null` when missing or not finite.
    static func number(_ value: Double?) -> Cell { value.flatMap { $0.isFinite ? .real($0) : nil } ?? .null }
    static func whole(_ value: Int?) -> Cell { value.map(Cell.integer) ?? .null }
    static func string(_ value: String?) -> Cell { value.map(Cell.text) ?? .null }

    /// The cell in a table or a CSV file.
    var plain: String {
        switch self {
        case .text(let text): return text
        case .real(let value): return String(format: "%.4f", value)
        case .integer(let value): return String(value)
        case .null: return ""
        case .list(let items): return items.map(\.plain).joined(separator: ";")
        case .object(let fields): return fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.plain)" }.joined(separator: " ")
        }
    }

    func encode(to encoder: Encoder) throws {
        switch self {
        case .text(let text): var c = encoder.singleValueContainer(); try c.encode(text)
        case .real(let value): var c = encoder.singleValueContainer(); try c.encode(value)
        case .integer(let value): var c = encoder.singleValueContainer(); try c.encode(value)
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case .list(let items): var c = encoder.singleValueContainer(); try c.encode(items)
        case .object(let fields): var c = encoder.singleValueContainer(); try c.encode(fields)
        }
    }
}

/// How wide a table may be on a terminal, and how many rows it shows there before summarising.
struct Screen {
    var width = 80
    var rows: Int? = nil

    /// The terminal stdout is, if it is one: tables are fitted to it and long ones summarised.
    static var current: Screen {
        guard isatty(STDOUT_FILENO) == 1 else { return Screen(width: 80, rows: nil) }
        var size = winsize()
        let known = ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0
        return Screen(width: known ? Int(size.ws_col) : 80, rows: known ? max(Int(size.ws_row), 10) : 24)
    }
}

/// Options of every command that prints a table.
struct PrintOptions: ParsableArguments {
    @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table
    @Flag(help: "Tables: show every column, however wide (default: fit 80 columns or the terminal).") var wide = false
    @Flag(help: "Tables on a terminal: print every row (default: a screenful, then how many more).") var all = false
}

/// Prints rows as a table, CSV or JSON (an array of objects keyed by header).
///
/// A table fits the screen's width (80 columns when stdout is not a terminal): the columns in `leaveOut`
/// (least needed first) are left out, then free text is cut with "…", then columns from the right are left
/// out; those left out are named on stderr, and `--wide` shows them all whole. On a terminal a table longer
/// than the screen shows its first rows and says how many more there are and how to see them (`--all`,
/// `--format csv`).
func printRows(_ header: [String], _ rows: [[Cell]], options: PrintOptions, leaveOut: [String] = [],
               screen: Screen = .current) {
    switch options.format {
    case .csv:
        var writer = CSVWriter(header: header)
        rows.forEach { writer.append($0.map(\.plain)) }
        print(writer.text, terminator: "")
    case .json:
        printJSON(rows.map { Cell.object(Dictionary(uniqueKeysWithValues: zip(header, $0))) })
    case .table:
        let shown = options.all || screen.rows == nil ? rows[...] : rows.prefix(max(screen.rows! - 4, 5))
        let table = TableLayout(header: header, rows: shown.map { $0.map(\.plain) },
                                width: options.wide ? nil : screen.width, leaveOut: leaveOut)
        table.lines.forEach { print($0) }
        if !table.hidden.isEmpty {
            note("\(table.hidden.count) column\(table.hidden.count == 1 ? "" : "s") left out to fit \(screen.width) characters ("
                 + table.hidden.joined(separator: ", ") + "): --wide shows them, --format csv gives every column")
        }
        if shown.count < rows.count {
            print("… \(rows.count - shown.count) more rows (\(rows.count) in all): --all prints them, --format csv for a file")
        }
    }
}

/// An aligned table within a width: the `leaveOut` columns left out in turn, then columns of free text
/// (names, messages) cut with "…" down to 16 characters, then columns left out from the right. Codes and numbers are never cut: a cut code would be
/// a wrong one.
struct TableLayout {
    let lines: [String]
    let hidden: [String]

    init(header: [String], rows: [[String]], width: Int?, leaveOut: [String] = []) {
        var widths = header.indices.map { column in ([header[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0 }
        var columns = Array(header.indices)
        func total() -> Int { columns.map { widths[$0] }.reduce(0, +) + 2 * max(columns.count - 1, 0) }
        if let width {
            for name in leaveOut where total() > width { columns.removeAll { header[$0] == name } }
            let text = Set(header.indices.filter { column in rows.contains { $0[column].contains(" ") } })
            let floor = { (column: Int) in max(header[column].count, 16) }
            while total() > width,
                  let widest = columns.filter({ text.contains($0) && widths[$0] > floor($0) }).max(by: { widths[$0] < widths[$1] }) {
                widths[widest] = max(widths[widest] - (total() - width), floor(widest))
            }
            while total() > width, columns.count > 1 { columns.removeLast() }
        }
        let kept = columns
        let room = widths
        func line(_ fields: [String]) -> String {
            kept.map { column in
                let field = fields[column]
                let cell = field.count > room[column] ? String(field.prefix(room[column] - 1)) + "…" : field
                return cell + String(repeating: " ", count: max(0, room[column] - cell.count))
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        lines = [line(header), line(header.indices.map { String(repeating: "-", count: room[$0]) })] + rows.map(line)
        hidden = header.indices.filter { !kept.contains($0) }.map { header[$0] }
    }
}

/// Prints a value as pretty JSON with `snake_case` keys, the one convention of every JSON chiso writes.
func printJSON<T: Encodable>(_ value: T) {
    if let data = try? Program.jsonEncoder().encode(value) { print(String(decoding: data, as: UTF8.self)) }
}
