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

/// A batch of a file's rows once checked: how many were read, the furthest byte reached, the rows refused with
/// their problems, and the valid rows packed for the writer.
struct CheckedBatch {
    var read = 0
    var byteOffset = 0
    var refused: [CheckedRow] = []
    var valid = StagedRows()
}

/// Reads a registry file's records and validates them, in batches, on threads of its own.
final class RowValidator: @unchecked Sendable {
    private let check: RegistryRecordCheck
    private let header: [String]
    /// The registry's columns, in the order of a row's fields as checked.
    private let columns: [String]
    private let fieldPosition: [Int?]

    init(check: RegistryRecordCheck, header: [String]) {
        self.check = check
        self.header = header
        let position = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        columns = check.registry.requiredColumns + check.registry.optionalColumns
        fieldPosition = columns.map { position[$0] }
    }

    /// Starts reading `reader`'s records on one thread and checking them on `workers` others, in batches put into
    /// `queue` in no set order (each row carries its line and offset). `queue` is closed once every record is
    /// checked; closing it sooner stops every thread.
    func start(_ reader: CSVReader, into queue: BatchQueue<CheckedBatch>, workers: Int) {
        let records = BatchQueue<[Result<CSVRecord, CSVRecordError>]>(capacity: 2 * workers)
        let running = Countdown(workers)
        let readerThread = Thread {
            var batch: [Result<CSVRecord, CSVRecordError>] = []
            batch.reserveCapacity(Self.batchSize)
            while let result = reader.next() {
                if case .success(let record) = result, record.fields == [""] { continue }
                batch.append(result)
                if batch.count == Self.batchSize {
                    guard records.put(batch) else { return }
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { _ = records.put(batch) }
            records.close()
        }
        var threads = [readerThread]
        for _ in 0..<max(1, workers) {
            threads.append(Thread {
                while let read = records.take() {
                    guard queue.put(self.checked(read)) else { break }
                }
                records.close()
                if running.finishOne() { queue.close() }
            })
        }
        for thread in threads {
            thread.stackSize = 1 << 22
            thread.start()
        }
    }

    static let batchSize = 4096

    private func checked(_ records: [Result<CSVRecord, CSVRecordError>]) -> CheckedBatch {
        var batch = CheckedBatch()
        batch.read = records.count
        for record in records {
            let row = check(record)
            batch.byteOffset = max(batch.byteOffset, row.byteOffset)
            if let values = row.values {
                batch.valid.append(values, line: row.line, rawAt: row.byteOffset, rawLength: row.rawBytes.count)
            } else {
                batch.refused.append(row)
            }
        }
        return batch
    }

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
            // A field by its column's name: a few short names, compared faster than they hash.
            let values = check.validate({ fields[self.columns.firstIndex(of: $0)!] }) { problems.append(($0, $1, $2)) }
            return CheckedRow(line: record.line, byteOffset: record.byteOffset, rawBytes: record.rawBytes,
                              values: problems.isEmpty ? values : nil, problems: problems)
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs; the string itself, not a copy, when it has none.
    var trimmedOfSpaces: String {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        var text = self
        let trimmed: String? = text.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last, isSpace(first) || isSpace(last) else { return nil }
            guard let start = bytes.firstIndex(where: { !isSpace($0) }), let end = bytes.lastIndex(where: { !isSpace($0) })
            else { return "" }
            return String(decoding: bytes[start...end], as: UTF8.self)
        }
        return trimmed ?? self
    }
}

/// Counts down the threads still working; the last to finish is told so.
final class Countdown: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int

    init(_ count: Int) { left = max(1, count) }

    /// Whether the caller was the last.
    func finishOne() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        left -= 1
        return left == 0
    }
}
