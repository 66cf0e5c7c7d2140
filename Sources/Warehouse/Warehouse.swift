import Foundation

/// The chiso warehouse: one SQLite file with the schema migrated to the latest version, and the query layer
/// that the rest of the toolkit uses instead of writing SQL of its own.
public final class Warehouse {
    /// The connection: only Warehouse speaks SQL.
    let db: Database
    /// The path it was opened with.
    public var path: String { db.path }
    /// Who writes, as each seal records it ("chiso ingest", "chiso nightly").
    public var sealedBy = Warehouse.writer
    /// How many times this process read each of the unit directory ("units"), the indicators, the targets, the
    /// observations, the forecasts, the assessments and the simulations: one run reads the reference data once,
    /// one report each table once, and tests count it.
    nonisolated(unsafe) public static var reads: [String: Int] = [:]
    /// The command of this process that writes (what `sealedBy` starts as).
    nonisolated(unsafe) public static var writer = "chiso"

    /// Opens the warehouse at `path` for writing and applies pending migrations; with `create` (the default) a
    /// missing one is created, else its absence is an error that says how to make one.
    public init(path: String, create: Bool = true) throws {
        try Self.checkExists(path, create: create)
        db = try Database(path: path, create: create)
        if PostgresConnection.isURL(path), try db.schemaVersion() == 0 {
            if let unreadable = try unreadable() { throw unreadable }
            if !create { throw noWarehouse() }
        }
        try refuseReadOnlyRole()
        // A warehouse partitioned before it held units gets its provinces' partitions once migrated (a new one
        // gets them when its units are stored).
        if try migrate() { try partitionByProvince() }
        // Every write transaction seals the tables it changed as it commits, so no kill leaves a change unsealed.
        db.beforeCommit = { [weak self] tables in try self?.seal(tables) }
    }

    /// Opens the warehouse at `path` for reading only: nothing is created, migrated or written (what commands
    /// that print use). A warehouse of another schema version is refused, saying what brings it up to date.
    public init(reading path: String) throws {
        try Self.checkExists(path, create: false)
        db = try Database(path: path, create: false, readOnly: true)
        let version = try db.schemaVersion(), latest = Schema.migrations.map(\.version).max() ?? 0
        if version == 0 { throw try unreadable() ?? noWarehouse() }
        if version < latest {
            throw WarehouseFileError(message: "\(db.path) is at schema version \(version), this chiso reads version \(latest): "
                                        + "any command that writes (such as 'chiso init --db \(db.path)') brings it up to date")
        }
        if version > latest {
            throw WarehouseFileError(message: "\(db.path) is at schema version \(version), written by a newer chiso than this "
                                        + "one (version \(latest)): use that chiso")
        }
    }

    /// On a server, a warehouse there that this connection's role may not read (no grant): told to make one,
    /// the role's user would find "permission denied for schema public".
    private func unreadable() throws -> WarehouseFileError? {
        guard PostgresConnection.isURL(db.path), try db.scalar("""
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = coalesce(current_schema(), 'public') AND c.relname = 'schema_migration'
            """).int == 1, let role = try db.scalar("SELECT current_user").text else { return nil }
        return WarehouseFileError(message: "the database at \(db.path) holds a warehouse that \(role) may not read: its "
                                    + "owner gives a province's role access with 'chiso grant --role \(role) --province CODE'")
    }

    /// A database or file that holds no warehouse.
    private func noWarehouse() -> WarehouseFileError {
        WarehouseFileError(message: "no warehouse in \(PostgresConnection.isURL(db.path) ? "the database at " : "")\(db.path): "
                                + "'chiso init --db \(PostgresConnection.isURL(db.path) ? "URL" : db.path)' makes one there")
    }

    private static func checkExists(_ path: String, create: Bool) throws {
        // 'postgresql:/host/db' is a slip in a URL, not a file to make ("no warehouse at postgresql:/...").
        try PostgresConnection.refuseMistypedURL(path)
        if !create && path != ":memory:" && !PostgresConnection.isURL(path) && !FileManager.default.fileExists(atPath: path) {
            throw WarehouseFileError(message: "no warehouse at \(path): 'chiso init --db \(path)' creates one (or give --db)")
        }
    }

    /// Runs `body` in one write transaction: committed when it returns, rolled back when it throws; nested
    /// calls roll back on their own.
    public func transaction<T>(_ body: () throws -> T) throws -> T { try db.transaction(body) }

    /// `column NOT IN (?, ...)` with one placeholder per value, or `TRUE` when there are none (an empty list
    /// is an error in standard SQL), and the values to bind.
    static func notIn(_ column: String, _ values: [String]) -> (sql: String, values: [SQLBindable]) {
        values.isEmpty ? ("TRUE", [])
            : ("\(column) NOT IN (" + Array(repeating: "?", count: values.count).joined(separator: ", ") + ")", values)
    }

    /// The current time as an ISO 8601 string, for load and run records.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
