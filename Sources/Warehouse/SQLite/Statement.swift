import CSQLite

/// A prepared statement. Reuse one statement for many rows: `bind`, `step`, `reset`.
public final class Statement {
    let handle: OpaquePointer
    /// The SQL text, kept for error messages.
    public let sql: String
    unowned let database: Database
    /// The tables the statement writes, and the transaction in which it last marked them changed.
    private let writes: Set<String>
    private var markedIn = -1

    init(database: Database, sql: String) throws {
        var stmt: OpaquePointer?
        database.compiledWrites = []
        let rc = sqlite3_prepare_v2(database.handle, sql, -1, &stmt, nil)
        writes = database.compiledWrites
        guard rc == SQLITE_OK, let stmt else {
            throw SQLiteError(code: rc, connection: database.handle, sql: sql)
        }
        self.handle = stmt
        self.sql = sql
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `value` to the 1-based parameter `index`.
    public func bind(_ value: SQLValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v): rc = sqlite3_bind_double(handle, index, v)
        case .text(let v): rc = sqlite3_bind_text(handle, index, v, -1, chiso_sqlite_transient)
        }
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, connection: database.handle, sql: sql) }
    }

    /// Binds a value of a packed row to the 1-based parameter `index`. Text is bound where it lies, not copied:
    /// its bytes must stay there, unchanged, until the statement has run and been reset.
    func bind(_ value: PackedRow.Value, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v): rc = sqlite3_bind_double(handle, index, v)
        case .text(let bytes):
            if let start = bytes.baseAddress {
                rc = sqlite3_bind_text(handle, index, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
            } else {
                rc = sqlite3_bind_text(handle, index, "", 0, chiso_sqlite_transient)
            }
        }
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, connection: database.handle, sql: sql) }
    }

    /// Resets the statement and binds `values` to its parameters in order.
    public func bind(_ values: [SQLBindable]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            try bind(value.sqlValue, at: Int32(offset + 1))
        }
    }

    /// Advances to the next row: `true` when a row is available, `false` when done.
    @discardableResult
    public func step() throws -> Bool {
        if !writes.isEmpty && (markedIn != database.transactionNumber || !database.isInTransaction) {
            database.markChanged(writes)
            markedIn = database.transactionNumber
        }
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError(code: sqlite3_extended_errcode(database.handle),
                                    connection: database.handle, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Binds `values`, runs the statement to completion and resets it.
    public func execute(_ values: [SQLBindable] = []) throws {
        try bind(values)
        while try step() {}
        sqlite3_reset(handle)
        try database.afterAutocommit()
    }

    /// The number of result columns.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The name of result column `index` (0-based).
    public func columnName(_ index: Int32) -> String { String(cString: sqlite3_column_name(handle, index)) }

    /// Column `index` of the current row (0-based).
    public func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        default:
            guard let text = sqlite3_column_text(handle, index) else { return .null }
            return .text(String(cString: text))
        }
    }

    /// Column `index` as an integer, `nil` when NULL.
    public func int(_ index: Int32) -> Int? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : Int(sqlite3_column_int64(handle, index))
    }

    /// Column `index` as a Double, `nil` when NULL.
    public func double(_ index: Int32) -> Double? {
        sqlite3_column_type(handle, index) == SQLITE_NULL ? nil : sqlite3_column_double(handle, index)
    }

    /// Column `index` as text, `nil` when NULL.
    public func text(_ index: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, index) else { return nil }
        return String(cString: text)
    }

    /// Runs the query with `values` and returns every row.
    public func rows(_ values: [SQLBindable] = []) throws -> [Row] {
        try bind(values)
        var rows: [Row] = []
        let names = (0..<columnCount).map(columnName)
        while try step() {
            rows.append(Row(columns: names, values: (0..<columnCount).map(value)))
        }
        sqlite3_reset(handle)
        try database.afterAutocommit()
        return rows
    }
}

/// One result row, addressable by column name.
public struct Row: Equatable {
    /// Column names in result order.
    public let columns: [String]
    /// Values in result order.
    public let values: [SQLValue]

    /// The value of column `name`, `.null` when there is no such column.
    public subscript(name: String) -> SQLValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }
}
