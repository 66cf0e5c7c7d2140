import Foundation

/// A connection to the warehouse's database, on either engine: an SQLite file (the embedded default) or a
/// PostgreSQL server (a `postgresql://` URL). Adds to the engine what does not depend on it: nested
/// transactions, the tables each commit changed and the changes writers made known, for the seals.
public final class Database {
    let engine: Engine
    /// The path (or the URL without its password) the connection was opened with.
    public var path: String { engine.location }

    /// Whether the connection was opened read-only: any write fails.
    public let isReadOnly: Bool

    /// Opens the database at `location`: a `postgresql://` (or `postgres://`) URL connects to that server;
    /// anything else is an SQLite file (with `create`, created when missing; `":memory:"`, a private
    /// in-memory one). With `readOnly`, any write fails.
    public init(path location: String, create: Bool = true, readOnly: Bool = false) throws {
        try PostgresConnection.refuseMistypedURL(location)
        if PostgresConnection.isURL(location) {
            engine = try PostgresConnection(url: location, readOnly: readOnly)
        } else {
            engine = try SQLiteEngine(path: location, create: create, readOnly: readOnly)
        }
        isReadOnly = readOnly
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws {
        try engine.execute(sql) { markChanged($0) }
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

    /// Runs `head` (an INSERT naming its columns) on `rows`, 256 rows to a statement - one round trip each on a
    /// server, where a statement per row made storing the reference units take 4 s - then `tail`; the rows the
    /// statements return.
    @discardableResult
    func insert(_ head: String, _ rows: [[SQLBindable]], then tail: String = "") throws -> [Row] {
        var returned: [Row] = [], statements: [Int: Statement] = [:]
        for start in stride(from: 0, to: rows.count, by: 256) {
            let chunk = rows[start..<min(start + 256, rows.count)]
            let row = "(" + Array(repeating: "?", count: chunk[start].count).joined(separator: ", ") + ")"
            let statement = try statements[chunk.count]
                ?? prepare(head + " VALUES " + Array(repeating: row, count: chunk.count).joined(separator: ", ") + " " + tail)
            statements[chunk.count] = statement
            returned += try statement.rows(chunk.flatMap { $0 })
        }
        return returned
    }

    /// The first column of the first row, `.null` when there is no row.
    /// A write with `RETURNING` runs to completion.
    public func scalar(_ sql: String, _ values: [SQLBindable] = []) throws -> SQLValue {
        try rows(sql, values).first?.values.first ?? .null
    }

    /// The number of rows the last INSERT, UPDATE or DELETE changed.
    public var changes: Int { engine.changes }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { engine.isInTransaction }

    private var savepointDepth = 0
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
    /// The outermost call takes the write lock at once where the engine has one (SQLite's `BEGIN IMMEDIATE`),
    /// so a concurrent writer waits or fails before any work is done; nested calls become savepoints that roll
    /// back on their own.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction {
            savepointDepth += 1
            defer { savepointDepth -= 1 }
            return try inSavepoint("chiso_sp\(savepointDepth)", execute: execute,
                                   undo: { digestChanges = digestChanges.filter { $0.value.depth < savepointDepth } }, body)
        }
        try engine.begin()
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

/// What portable SQL cannot say, as the engine says it.
extension Database {
    /// The columns of `table`, in their declared order.
    func columns(of table: String) throws -> [String] { try engine.columns(of: table) }

    /// The row count of `table` and the order-independent digest of its rows (`Warehouse.seal`), in one pass.
    func digest(of table: String) throws -> (rows: Int, digest: UInt64) { try engine.digest(of: table) }

    /// The engine's check of its own storage: "ok", else what is damaged, on one line.
    func structureCheck() throws -> String { try engine.structureCheck() }

    /// An INSERT of `rows` rows of `columns` into `table` for a bulk load inside its own transaction.
    func bulkInsertSQL(into table: String, columns: [String], rows: Int) -> String {
        engine.bulkInsertSQL(into: table, columns: columns, rows: rows)
    }

    /// A stream of rows into `table` by the engine's bulk path (PostgreSQL's COPY), `nil` where the engine has
    /// none. The table counts as changed in the open transaction, as a statement writing it would.
    func copyStream(into table: String, columns: [String]) throws -> CopyStream? {
        guard let stream = try engine.copyStream(into: table, columns: columns) else { return nil }
        markChanged([table])
        return stream
    }

    /// Runs `body` (a long bulk load) in the engine's settings for one; what `body` writes must check its own
    /// references, as `RegistryWriter` does (SQLite does not check foreign keys inside).
    func bulkLoading<T>(_ body: () throws -> T) throws -> T { try engine.bulkLoading(body) }
}
