import Foundation

/// One numbered step of the schema. Applied once, in its own transaction together with its record.
public struct Migration: Sendable {
    /// Strictly increasing version number.
    public let version: Int
    /// A short description, stored with the record.
    public let name: String
    /// The statements of the step, written for SQLite (`Engine.dialect(of:)` translates them).
    public let sql: String
    /// PostgreSQL's own statements for the step, when a translation of `sql` cannot say what it does there.
    public let postgresql: String?

    /// The sealed tables whose rows the step changes (a column added): sealed again after it.
    public let changesSealedTables: [String]

    public init(version: Int, name: String, sql: String, postgresql: String? = nil, changesSealedTables: [String] = []) {
        self.version = version
        self.name = name
        self.sql = sql
        self.postgresql = postgresql
        self.changesSealedTables = changesSealedTables
    }
}

extension Database {
    /// The newest migration applied (0 for an empty database), read without writing anything.
    public func schemaVersion() throws -> Int {
        guard try engine.tableExists("schema_migration") else { return 0 }
        return Int(try scalar("SELECT coalesce(max(version), 0) FROM schema_migration").int ?? 0)
    }

    /// The versions of the migrations applied so far, in order.
    public func appliedMigrations() throws -> [Int] {
        try execute(engine.dialect(of: """
            CREATE TABLE IF NOT EXISTS schema_migration (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
            """))
        return try rows("SELECT version FROM schema_migration ORDER BY version").compactMap { $0["version"].int }
            .map { Int($0) }
    }

    /// Applies the migrations not applied yet, each in a transaction with its record; returns how many ran.
    @discardableResult
    public func migrate(_ migrations: [Migration]) throws -> Int {
        let applied = Set(try appliedMigrations())
        var count = 0
        for migration in migrations.sorted(by: { $0.version < $1.version }) where !applied.contains(migration.version) {
            try transaction {
                try execute(engine.statements(of: migration))
                try run("INSERT INTO schema_migration (version, name, applied_at) VALUES (?, ?, ?)",
                        [migration.version, migration.name, ISO8601DateFormatter().string(from: Date())])
            }
            count += 1
        }
        return count
    }
}
