import CSQLite
import Foundation

/// A connection to one SQLite database file (or `:memory:`), with WAL and foreign keys on: the embedded engine.
final class SQLiteEngine: Engine {
    let handle: OpaquePointer
    let location: String
    /// The tables the statements compiled since it was last emptied write (filled by the authorizer).
    fileprivate var compiledWrites: Set<String> = []

    /// Opens (with `create`, creating when missing; with `readOnly`, for reading only) the database at `path`.
    /// `":memory:"` opens a private in-memory one. A file that is not an SQLite database, or a directory, is
    /// refused with one sentence naming it.
    init(path: String, create: Bool, readOnly: Bool) throws {
        var isDirectory: ObjCBool = false
        if path != ":memory:", FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw WarehouseFileError(message: "\(path) is a folder, not a warehouse file: give --db a file path")
        }
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0))
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError(code: rc, connection: db, sql: nil)
            sqlite3_close(db)
            throw SQLiteError(code: error.code, message: "cannot open \(path): \(error.message)")
        }
        handle = db
        location = path
        sqlite3_busy_timeout(db, 5_000)
        // Each statement names here, as SQLite compiles it, the tables it writes; running it marks them changed,
        // so a commit knows which tables it changed (tables without rowid included, unlike the update hook).
        sqlite3_set_authorizer(db, { context, action, table, _, _, _ in
            if let context, let table, action == SQLITE_INSERT || action == SQLITE_UPDATE || action == SQLITE_DELETE {
                Unmanaged<SQLiteEngine>.fromOpaque(context).takeUnretainedValue().compiledWrites.insert(String(cString: table))
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
        do {
            try execute("PRAGMA foreign_keys = ON")
            if readOnly {
                try execute("SELECT count(*) FROM sqlite_master")
            } else if path != ":memory:" {
                // A new file gets 16 KiB pages (SQLite's default is 4 KiB): a bulk load writes a quarter of the
                // pages and its commit takes a third of the time. A file made before keeps its pages.
                try execute("PRAGMA page_size = 16384")
                try execute("PRAGMA journal_mode = WAL")
                try execute("PRAGMA synchronous = NORMAL")
            }
        } catch let error as SQLiteError where error.code & 0xff == SQLITE_NOTADB {
            throw WarehouseFileError(message: "\(path) is not a chiso warehouse (not an SQLite database): check --db or CHISO_DB")
        }
        try registerDigestFunction()
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String, marking: (Set<String>) -> Void) throws {
        var message: UnsafeMutablePointer<CChar>?
        compiledWrites = []
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        marking(compiledWrites)
        guard rc == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw SQLiteError(code: rc, message: text, sql: sql, file: location)
        }
    }

    /// Runs `sql`, which writes no table of the warehouse (settings, transaction control).
    func execute(_ sql: String) throws { try execute(sql) { _ in } }

    func prepare(_ sql: String) throws -> EngineStatement { try SQLiteStatement(engine: self, sql: sql) }

    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// `BEGIN IMMEDIATE`: the write lock at once, so a concurrent writer waits or fails before any work is done.
    func begin() throws { try execute("BEGIN IMMEDIATE") }

    var changes: Int { Int(sqlite3_changes(handle)) }
}

/// A prepared SQLite statement.
final class SQLiteStatement: EngineStatement {
    let handle: OpaquePointer
    let sql: String
    unowned let engine: SQLiteEngine
    let writes: Set<String>

    init(engine: SQLiteEngine, sql: String) throws {
        var stmt: OpaquePointer?
        engine.compiledWrites = []
        let rc = sqlite3_prepare_v2(engine.handle, sql, -1, &stmt, nil)
        writes = engine.compiledWrites
        guard rc == SQLITE_OK, let stmt else {
            throw SQLiteError(code: rc, connection: engine.handle, sql: sql)
        }
        handle = stmt
        self.sql = sql
        self.engine = engine
    }

    deinit { sqlite3_finalize(handle) }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ value: SQLValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v): rc = sqlite3_bind_double(handle, index, v)
        case .text(let v): rc = sqlite3_bind_text(handle, index, v, -1, chiso_sqlite_transient)
        }
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, connection: engine.handle, sql: sql) }
    }

    /// Text is bound where it lies, not copied (a malloc, a copy and a free under SQLite's mutex each).
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
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, connection: engine.handle, sql: sql) }
    }

    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError(code: sqlite3_extended_errcode(engine.handle), connection: engine.handle, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    var columnCount: Int32 { sqlite3_column_count(handle) }

    func columnName(_ index: Int32) -> String { String(cString: sqlite3_column_name(handle, index)) }

    func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        default:
            guard let text = sqlite3_column_text(handle, index) else { return .null }
            return .text(String(cString: text))
        }
    }

    func add(column index: Int32, to hash: inout RowHash) {
        hash.add(column: index, of: self)
    }
}
