/// Rows streamed into one table by `COPY table (columns) FROM STDIN` in text format, sent in blocks of 1 MiB.
/// Until `finish`, nothing else may run on the connection; a row the table refuses fails the whole COPY when
/// it ends, and with it the transaction it runs in.
final class PostgresCopy: CopyStream {
    private let connection: PostgresConnection
    private let sql: String
    private let block = ByteBuffer(capacity: PostgresCopy.blockSize + 4096)
    private var columnsInRow = 0
    private var finished = false

    init(connection: PostgresConnection, table: String, columns: [String]) throws {
        self.connection = connection
        sql = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
        try connection.startCopy(sql)
    }

    /// A COPY left unfinished (an error on the way) is abandoned, so the connection can go on.
    deinit { if !finished { _ = try? connection.endCopy(sql: sql, abandon: "chiso stopped the load") } }

    static let blockSize = 1 << 20

    func add(_ value: SQLValue) {
        separate()
        switch value {
        case .null: appendEscaped(nil)
        case .text(var text): text.withUTF8 { appendEscaped(UnsafeRawBufferPointer($0)) }
        default:
            var text = PostgresConnection.text(of: value)!
            text.withUTF8 { block.append(UnsafeRawBufferPointer($0)) }
        }
    }

    func add(_ value: PackedRow.Value) {
        switch value {
        case .null: add(SQLValue.null)
        case .integer(let v): add(SQLValue.integer(v))
        case .real(let v): add(SQLValue.real(v))
        case .text(let bytes):
            separate()
            appendEscaped(bytes)
        }
    }

    func endRow() throws {
        block.write(upTo: 1) { $0.pointee = UInt8(ascii: "\n"); return 1 }
        columnsInRow = 0
        if block.count >= Self.blockSize { try send() }
    }

    @discardableResult
    func finish() throws -> Int {
        if block.count > 0 { try send() }
        finished = true
        return try connection.endCopy(sql: sql)
    }

    private func send() throws {
        try connection.sendCopyData(block.bytes, sql: sql)
        block.removeAll()
    }

    private func separate() {
        if columnsInRow > 0 { block.write(upTo: 1) { $0.pointee = UInt8(ascii: "\t"); return 1 } }
        columnsInRow += 1
    }

    /// Text in COPY's format, backslash, tab, newline and carriage return escaped; `nil` is NULL (`\N`).
    private func appendEscaped(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else {
            block.write(upTo: 2) { $0[0] = UInt8(ascii: "\\"); $0[1] = UInt8(ascii: "N"); return 2 }
            return
        }
        block.write(upTo: 2 * bytes.count) { out in
            var written = 0
            for byte in bytes {
                let escaped: UInt8
                switch byte {
                case UInt8(ascii: "\\"): escaped = UInt8(ascii: "\\")
                case UInt8(ascii: "\t"): escaped = UInt8(ascii: "t")
                case UInt8(ascii: "\n"): escaped = UInt8(ascii: "n")
                case UInt8(ascii: "\r"): escaped = UInt8(ascii: "r")
                default:
                    out[written] = byte
                    written += 1
                    continue
                }
                out[written] = UInt8(ascii: "\\")
                out[written + 1] = escaped
                written += 2
            }
            return written
        }
    }
}
