import Foundation
import Reference
import Warehouse

extension CSVReader {
    /// Opens `path` and reads its header (trimmed, lower case); throws naming the file when it cannot be
    /// opened, has no header, or lacks one of `required` (the message lists `expected`).
    static func opening(_ path: String, sheet: String? = nil, required: [String],
                        expected: [String]) throws -> (reader: CSVReader, header: [String]) {
        let reader = try TabularFile.open(path, sheet: sheet)
        guard case .success(let headerRecord)? = reader.next() else {
            throw InputError(file: path, line: 1, message: "no header row")
        }
        let header = headerRecord.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for name in Set(expected) where header.filter({ $0 == name }).count > 1 {
            let places = header.indices.filter { header[$0] == name }.map { String($0 + 1) }
            throw InputError(file: path, line: 1, column: name, message: "column '\(name)' appears more than once "
                                + "(columns \(places.joined(separator: " and "))): keep one")
        }
        for name in required where !header.contains(name) {
            throw InputError(file: path, line: 1, column: name, message: "required column '\(name)' is missing; the header "
                                + "must name " + expected.joined(separator: ", "))
        }
        return (reader, header)
    }

    /// Calls `body` with each record that has as many fields as `header`. Blank lines are skipped; a record
    /// that cannot be read, or has another number of fields, is reported through `reject` with the reason.
    func forEachRecord(header: [String], reject: (RejectedRow) -> Void, _ body: (CSVRecord) throws -> Void) rethrows {
        while let result = next() {
            switch result {
            case .failure(let error):
                reject(RejectedRow(line: error.line, column: error.column(in: header), errorCode: error.kind.code,
                                   message: error.advice, raw: error.raw))
            case .success(let record):
                if record.fields == [""] { continue }
                guard record.fields.count == header.count else {
                    reject(RejectedRow(line: record.line, column: nil, errorCode: RejectCode.columnCount,
                                       message: Self.columnCountMessage(found: record.fields.count, expected: header.count),
                                       raw: record.raw))
                    continue
                }
                try body(record)
            }
        }
    }

    /// The reason for a record whose field count differs from the header's.
    static func columnCountMessage(found: Int, expected: Int) -> String {
        "\(found) fields where the header has \(expected): check delimiters and quotes"
    }
}
