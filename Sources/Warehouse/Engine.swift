/// What the warehouse needs of a database engine: statements with `?` placeholders and their rows,
/// transactions, and what portable SQL cannot say. SQLite's (`SQLiteEngine`, Warehouse/SQLite/) is the embedded
/// default; PostgreSQL's (`PostgresConnection`, Warehouse/PostgreSQL/) serves a shared warehouse. `Database`
/// holds one and adds what does not depend on it: nested transactions, the tables each commit changed, seals.
protocol Engine: AnyObject {
    /// The file path, or the server's URL without its password, for messages.
    var location: String { get }
    /// Runs one or more statements without parameters or rows, telling `marking` the tables they wrote (also
    /// when one fails: those before it may have).
    func execute(_ sql: String, marking: (Set<String>) -> Void) throws
    /// Prepares `sql` (with `?` placeholders) for repeated use.
    func prepare(_ sql: String) throws -> EngineStatement
    /// Whether a transaction is open.
    var isInTransaction: Bool { get }
    /// Opens the outermost transaction, taking the write lock at once where the engine has one.
    func begin() throws
    /// The number of rows the last INSERT, UPDATE or DELETE changed.
    var changes: Int { get }

    /// Whether the table `name` exists.
    func tableExists(_ name: String) throws -> Bool
    /// The columns of `table`, in their declared order.
    func columns(of table: String) throws -> [String]
    /// The row count of `table` and the order-independent digest of its rows (`RowHash`, summed), in one pass.
    func digest(of table: String) throws -> (rows: Int, digest: UInt64)
    /// The engine's check of its own storage: "ok", else what is damaged, on one line.
    func structureCheck() throws -> String
    /// A migration's SQL, written for SQLite, in this engine's dialect.
    func dialect(of migrationSQL: String) -> String
    /// The statements that apply `migration` on this engine.
    func statements(of migration: Migration) -> String
    /// Gives each of the `provinces` (unit ids of the 2025 provinces) its own partition of the tables kept by
    /// province, moving their rows out of the partition for everything else; nothing where the engine keeps
    /// each table whole (SQLite).
    func partition(byProvinces provinces: [(id: Int64, code: String)]) throws
    /// An INSERT of `rows` rows of `columns` into `table` for a bulk load inside its own transaction.
    func bulkInsertSQL(into table: String, columns: [String], rows: Int) -> String
    /// Runs `body`, a long bulk load, in the engine's settings for one (see each engine).
    func bulkLoading<T>(_ body: () throws -> T) throws -> T
    /// A stream of rows into `table`'s `columns` by the engine's own bulk path (PostgreSQL's COPY), inside the
    /// open transaction; `nil` when the engine has none, and multi-row INSERTs are its bulk path (SQLite).
    func copyStream(into table: String, columns: [String]) throws -> CopyStream?
    /// Whether `copyStream` gives a stream (the engine has a bulk path of its own).
    var hasCopy: Bool { get }
}

/// Rows streamed into one table (`Engine.copyStream`): nothing else may run on the connection until `finish`.
protocol CopyStream: AnyObject {
    /// Adds the next column's value of the current row.
    func add(_ value: SQLValue)
    /// Adds the next column's value of the current row, from a packed row.
    func add(_ value: PackedRow.Value)
    /// Ends the current row (sending what is held once it is large).
    func endRow() throws
    /// Ends the stream: returns how many rows the table took, or throws the first row it refused.
    @discardableResult
    func finish() throws -> Int
}

extension CopyStream {
    /// Adds a whole row, its values in the stream's column order.
    func add(row values: [SQLBindable]) throws {
        for value in values { add(value.sqlValue) }
        try endRow()
    }
}

/// A prepared statement of an engine: bind, step through the rows, read the current one.
protocol EngineStatement: AnyObject {
    /// The tables the statement writes (INSERT, UPDATE or DELETE), for the seals.
    var writes: Set<String> { get }
    /// Clears the bindings and makes the statement ready to run again.
    func reset()
    /// Binds `value` to the 1-based parameter `index`.
    func bind(_ value: SQLValue, at index: Int32) throws
    /// Binds a value of a packed row to the 1-based parameter `index`; text may be bound where it lies, so its
    /// bytes must stay unchanged until the statement has run and been reset.
    func bind(_ value: PackedRow.Value, at index: Int32) throws
    /// Runs the statement or advances to its next row: `true` when a row is available.
    func step() throws -> Bool
    var columnCount: Int32 { get }
    func columnName(_ index: Int32) -> String
    /// Column `index` of the current row (0-based).
    func value(_ index: Int32) -> SQLValue
    /// Adds column `index` of the current row, as stored, to `hash`.
    func add(column index: Int32, to hash: inout RowHash)
}
