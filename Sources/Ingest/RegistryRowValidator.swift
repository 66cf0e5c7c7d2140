import Foundation
import Reference
import Warehouse

/// A row after reading and validation: the table's values, or its problems.
struct CheckedRow {
    let line: Int
    let byteOffset: Int
    let rawBytes: ArraySlice<UInt8>
    let values: [SQLValue]?
    let problems: [(column: String?, code: RejectCode, message: String)]

    var raw: String { String(decoding: rawBytes, as: UTF8.self) }
}

/// Reads a registry file's records and validates them, in batches, on its own thread.
final class RowValidator: @unchecked Sendable {
    private let check: RegistryRecordCheck
    private let header: [String]
    private let columnIndex: [String: Int]
    private let fieldPosition: [Int?]

    init(check: RegistryRecordCheck, header: [String]) {
        self.check = check
        self.header = header
        let position = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let columns = check.registry.requiredColumns + check.registry.optionalColumns
        columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        fieldPosition = columns.map { position[$0] }
    }

    func run(_ reader: CSVReader, into queue: BatchQueue<CheckedRow>) {
        var batch: [CheckedRow] = []
        batch.reserveCapacity(Self.batchSize)
        while let result = reader.next() {
            if case .success(let record) = result, record.fields == [""] { continue }
            batch.append(check(result))
            if batch.count == Self.batchSize {
                guard queue.put(batch) else { return }
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { _ = queue.put(batch) }
        queue.close()
    }

    static let batchSize = 4096

    private func check(_ result: Result<CSVRecord, CSVRecordError>) -> CheckedRow {
        switch result {
        case .failure(let error):
            return CheckedRow(line: error.line, byteOffset: error.byteOffset, rawBytes: ArraySlice(error.raw.utf8),
                              values: nil, problems: [(error.column(in: header), error.kind.code, error.advice)])
        case .success(let record):
            guard record.fields.count == header.count else {
                return CheckedRow(line: record.line, byteOffset: record.byteOffset, rawBytes: record.rawBytes, values: nil,
                                  problems: [(nil, RejectCode.columnCount, CSVReader.columnCountMessage(found: record.fields.count,
                                                                                                 expected: header.count))])
            }
            let fields = fieldPosition.map { $0.map { record.fields[$0].trimmedOfSpaces } ?? "" }
            var problems: [(column: String?, code: RejectCode, message: String)] = []
            let values = check.validate({ fields[self.columnIndex[$0]!] }) { problems.append(($0, $1, $2)) }
            return CheckedRow(line: record.line, byteOffset: record.byteOffset, rawBytes: record.rawBytes,
                              values: problems.isEmpty ? values : nil, problems: problems)
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs; the string itself, not a copy, when it has none.
    var trimmedOfSpaces: String {
        let utf8 = self.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return self }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }), let end = utf8.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
