import Foundation

/// Rows streamed into one table by `COPY table (columns) FROM STDIN` in COPY's binary format, sent in blocks of
/// 1 MiB: each value as its length and bytes in the column's own type (read from the catalogue when the COPY
/// starts), which the server takes as they are instead of parsing and unescaping text - in a profile of a
/// million-row registry load, parsing the text format was 37% of the server's COPY. Until `finish`, nothing
/// else may run on the connection; a row the table refuses fails the whole COPY when it ends, and with it the
/// transaction it runs in.
final class PostgresCopy: CopyStream {
    /// The types a value is written as.
    private enum ColumnType { case int8, int4, int2, float8, float4, bool, text }

    private let connection: PostgresConnection
    private let sql: String
    private let columns: [String]
    private let types: [ColumnType]
    private let block = ByteBuffer(capacity: PostgresCopy.blockSize + 4096)
    private var column = 0
    /// The first value that cannot be written in its column's type: thrown at the end of its row.
    private var unwritable: String?
    private var finished = false

    init(connection: PostgresConnection, table: String, columns: [String]) throws {
        self.connection = connection
        self.columns = columns
        let statement = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN (FORMAT binary)"
        sql = statement
        let stored = try connection.rows("""
            SELECT attname AS name, format_type(atttypid, NULL) AS type FROM pg_attribute
            WHERE attrelid = CAST(? AS regclass) AND attnum > 0 AND NOT attisdropped
            """, [table])
        let typeOf = Dictionary(stored.map { ($0["name"].text ?? "", $0["type"].text ?? "") }, uniquingKeysWith: { a, _ in a })
        types = try columns.map { name in
            switch typeOf[name] {
            case "bigint": return .int8
            case "integer": return .int4
            case "smallint": return .int2
            case "double precision": return .float8
            case "real": return .float4
            case "boolean": return .bool
            case "text", "character varying": return .text
            case let type:
                throw PostgresError(message: "COPY cannot write \(table).\(name) (\(type ?? "no such column"))", sql: statement)
            }
        }
        try connection.startCopy(sql)
        // The signature, no flags, no header extension.
        Self.signature.withUnsafeBytes { block.append($0) }
        append(Int32(0))
        append(Int32(0))
    }

    /// A COPY left unfinished (an error on the way) is abandoned, so the connection can go on.
    deinit { if !finished { _ = try? connection.endCopy(sql: sql, abandon: "chiso stopped the load") } }

    static let blockSize = 1 << 20
    private static let signature: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00]

    func add(_ value: SQLValue) {
        switch value {
        case .null: add(PackedRow.Value.null)
        case .integer(let v): add(PackedRow.Value.integer(v))
        case .real(let v): add(PackedRow.Value.real(v))
        case .text(var text): text.withUTF8 { add(PackedRow.Value.text(UnsafeRawBufferPointer($0))) }
        }
    }

    func add(_ value: PackedRow.Value) {
        if column == 0 { append(Int16(columns.count)) }
        defer { column += 1 }
        guard column < types.count else { return fail("more values than the \(columns.count) columns") }
        let type = types[column]
        switch (value, type) {
        case (.null, _): append(Int32(-1))
        case (.text(let bytes), .text): appendField(bytes)
        case (.text(let bytes), _): fail("'\(String(decoding: bytes, as: UTF8.self))' is text, and the column takes numbers")
        default: add(value, as: type)
        }
    }

    /// A number written as `type`.
    private func add(_ value: PackedRow.Value, as type: ColumnType) {
        let integer: Int64?
        switch value {
        case .integer(let v): integer = v
        case .real(let v): integer = v.rounded() == v && abs(v) < 9.2e18 ? Int64(v) : nil
        default: integer = nil
        }
        let real: Double? = switch value {
        case .integer(let v): Double(v)
        case .real(let v): v
        default: nil
        }
        switch type {
        case .int8, .int4, .int2, .bool:
            guard let integer else { return fail("\(real.map { "\($0)" } ?? "a value") has a fraction, and the column takes integers") }
            switch type {
            case .int8: appendNumber(integer)
            case .int4:
                guard let v = Int32(exactly: integer) else { return fail("\(integer) is out of an integer's range") }
                appendNumber(v)
            case .int2:
                guard let v = Int16(exactly: integer) else { return fail("\(integer) is out of a smallint's range") }
                appendNumber(v)
            default: appendField([UInt8(integer != 0 ? 1 : 0)])
            }
        case .float8: appendNumber(real!.bitPattern)
        case .float4: appendNumber(Float(real!).bitPattern)
        case .text:
            var text = PostgresConnection.text(of: value.sqlValue)!
            text.withUTF8 { appendField(UnsafeRawBufferPointer($0)) }
        }
    }

    func endRow() throws {
        defer { column = 0 }
        if column != columns.count { fail("\(column) values for \(columns.count) columns") }
        if let unwritable { throw PostgresError(message: unwritable, sql: sql) }
        if block.count >= Self.blockSize { try send() }
    }

    @discardableResult
    func finish() throws -> Int {
        append(Int16(-1))
        try send()
        finished = true
        return try connection.endCopy(sql: sql)
    }

    private func send() throws {
        try connection.sendCopyData(block.bytes, sql: sql)
        block.removeAll()
    }

    private func fail(_ message: String) {
        unwritable = unwritable ?? "COPY cannot write column \(columns[min(column, columns.count - 1)]): \(message)"
    }

    private func append<T: FixedWidthInteger>(_ number: T) {
        withUnsafeBytes(of: number.bigEndian) { block.append($0) }
    }

    /// A fixed-width value: its length, then its bytes in network order.
    private func appendNumber<T: FixedWidthInteger>(_ number: T) {
        append(Int32(MemoryLayout<T>.size))
        append(number)
    }

    private func appendField(_ bytes: UnsafeRawBufferPointer) {
        append(Int32(bytes.count))
        block.append(bytes)
    }

    private func appendField(_ bytes: [UInt8]) { bytes.withUnsafeBytes { appendField($0) } }
}
