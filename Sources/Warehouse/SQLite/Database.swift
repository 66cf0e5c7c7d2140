import CSQLite
import Foundation

/// A connection to one SQLite database file (or `:memory:`), with WAL and foreign keys on.
public final class Database {
    let handle: OpaquePointer
    /// The path the connection was opened with.
    public let path: String

    /// Whether the connection was opened read-only: any write fails.
    public let isReadOnly: Bool

    /// Opens (with `create`, creating when missing; with `readOnly`, for reading only) the database at `path`.
    /// `":memory:"` opens a private in-memory one. A file that is not an SQLite database, or a directory, is
    /// refused with one sentence naming it.
    public init(path: String, create: Bool = true, readOnly: Bool = false) throws {
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
        self.path = path
        isReadOnly = readOnly
        sqlite3_busy_timeout(db, 5_000)
        // Each statement names here, as SQLite compiles it, the tables it writes; running it marks them changed,
        // so a commit knows which tables it changed (tables without rowid included, unlike the update hook).
        sqlite3_set_authorizer(db, { context, action, table, _, _, _ in
            if let context, let table, action == SQLITE_INSERT || action == SQLITE_UPDATE || action == SQLITE_DELETE {
                Unmanaged<Database>.fromOpaque(context).takeUnretainedValue().compiledWrites.insert(String(cString: table))
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
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        compiledWrites = []
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        markChanged(compiledWrites)
        guard rc == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw SQLiteError(code: rc, message: text, sql: sql, file: path)
        }
        try afterAutocommit()
    }

    /// Prepares `sql` for repeated use.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(database: self, sql: sql)
    }

    /// Runs one statement with `values` bound to its parameters.
    public func run(_ sql: String, _ values: [SQLBindable] = []) throws {
        try prepare(sql).execute(values)
    }

    /// Runs a query and returns all its rows.
    public func rows(_ sql: String, _ values: [SQLBindable] = []) throws -> [Row] {
        try prepare(sql).rows(values)
    }

    /// The first column of the first row, `.null` when there is no row.
    /// A write with `RETURNING` runs to completion.
    public func scalar(_ sql: String, _ values: [SQLBindable] = []) throws -> SQLValue {
        try rows(sql, values).first?.values.first ?? .null
    }

    /// The number of rows the last INSERT, UPDATE or DELETE changed.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    private var savepointDepth = 0
    /// The tables the statements compiled since it was last emptied write (filled by the authorizer).
    var compiledWrites: Set<String> = []
    /// The tables written since the last commit.
    private var changedTables: Set<String> = []
    /// Counts outermost transactions, so a statement marks its tables once per transaction.
    private(set) var transactionNumber = 0

    /// Marks `tables` changed in the current transaction (or statement, outside one).
    func markChanged(_ tables: Set<String>) { changedTables.formUnion(tables) }
    /// Called inside each write transaction just before it commits, with the tables it changed: its writes
    /// commit with the transaction's (the warehouse's seals).
    public var beforeCommit: ((Set<String>) throws -> Void)?

    /// Changes writers made known to the seals of the tables they alone wrote in the open transaction, each with
    /// whether the table was empty before and the savepoint depth it was made at.
    private(set) var digestChanges: [String: (change: DigestChange, emptyBefore: Bool, depth: Int)] = [:]

    /// Makes known that `change` is what a writer did to `table`, which was empty before it when `emptyBefore`:
    /// with every write to the table in the open transaction made known so, its seal adds the changes to the
    /// last one instead of reading the table.
    func recordDigestChange(_ change: DigestChange, of table: String, emptyBefore: Bool) {
        guard let earlier = digestChanges[table] else {
            digestChanges[table] = (change, emptyBefore, savepointDepth)
            return
        }
        let sum = DigestChange(rows: earlier.change.rows + change.rows, digest: earlier.change.digest &+ change.digest)
        digestChanges[table] = (sum, earlier.emptyBefore, max(earlier.depth, savepointDepth))
    }

    /// Hands the tables changed so far to `beforeCommit`, inside the open transaction.
    private func flushChangedTables() throws {
        let tables = changedTables
        changedTables = []
        if !tables.isEmpty { try beforeCommit?(tables) }
        changedTables = []
    }

    /// After a statement outside a transaction changed tables: their `beforeCommit` in a transaction of its own.
    func afterAutocommit() throws {
        if !isInTransaction && !changedTables.isEmpty { try transaction {} }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// The outermost call takes the write lock at once (`BEGIN IMMEDIATE`), so a concurrent writer waits or
    /// fails before any work is done; nested calls become savepoints that roll back on their own.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction {
            savepointDepth += 1
            defer { savepointDepth -= 1 }
            return try inSavepoint("chiso_sp\(savepointDepth)", execute: execute,
                                   undo: { digestChanges = digestChanges.filter { $0.value.depth < savepointDepth } }, body)
        }
        try execute("BEGIN IMMEDIATE")
        transactionNumber += 1
        do {
            let result = try body()
            try flushChangedTables()
            digestChanges = [:]
            try execute("COMMIT")
            return result
        } catch {
            // Forgotten before the rollback runs, which would otherwise seal them in a transaction of its own.
            changedTables = []
            digestChanges = [:]
            try? execute("ROLLBACK")
            throw error
        }
    }
}
