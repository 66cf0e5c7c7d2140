import Foundation

/// A problem in an input file, located by file, line and column.
public struct InputError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let line: Int?
    public let column: String?
    public let message: String

    public init(file: String, line: Int? = nil, column: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += " [\(column)]" }
        return "\(place): \(message)"
    }
}

/// A small delimited file read whole, rows addressed by header name. For reference tables that must be
/// perfect: the first bad record is an error, not a reject.
public struct CSVTable {
    public let path: String
    public let header: [String]
    public let rows: [(line: Int, fields: [String: String])]

    public init(path: String) throws {
        self.path = path
        let reader = try CSVReader(path: path)
        guard case .success(let headerRecord)? = reader.next() else {
            throw InputError(file: path, line: 1, message: "no header row")
        }
        header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [(Int, [String: String])] = []
        while let result = reader.next() {
            let record: CSVRecord
            switch result {
            case .success(let value): record = value
            case .failure(let error):
                throw InputError(file: path, line: error.line, column: error.field.map { "field \($0)" },
                                 message: error.kind.rawValue)
            }
            if record.fields == [""] { continue }
            guard record.fields.count == header.count else {
                throw InputError(file: path, line: record.line,
                                 message: "\(record.fields.count) fields, header has \(header.count)")
            }
            rows.append((record.line, Dictionary(uniqueKeysWithValues: zip(header, record.fields))))
        }
        self.rows = rows
    }

    /// The value of `column` in `row`, or an error naming the place when it is missing or empty.
    public func value(_ row: (line: Int, fields: [String: String]), _ column: String) throws -> String {
        guard let value = row.fields[column], !value.isEmpty else {
            throw InputError(file: path, line: row.line, column: column, message: "required value is missing")
        }
        return value
    }
}
