import CSQLite
import Foundation

/// What the warehouse needs of SQLite beyond portable SQL. The query files beside this folder
/// (`Warehouse+*.swift`) hold only SQL that SQLite and PostgreSQL both accept - `?` placeholders (an engine
/// translates them), `ON CONFLICT ... DO UPDATE/NOTHING`, `RETURNING`, `CAST`, `coalesce`, `substr` - and
/// `SourceLayoutTests` refuses SQLite-only constructs there.
extension SQLiteEngine {
    func tableExists(_ name: String) throws -> Bool {
        try rows("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]).first?.values.first == 1
    }

    func columns(of table: String) throws -> [String] {
        try rows("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]).compactMap { $0["name"].text }
    }

    func digest(of table: String) throws -> (rows: Int, digest: UInt64) {
        let columns = try columns(of: table)
        let row = try rows("SELECT count(*) AS n, chiso_digest(\(columns.joined(separator: ", "))) AS d FROM \(table)")
        return (Int(row.first?["n"].int ?? 0), UInt64(bitPattern: row.first?["d"].int ?? 0))
    }

    /// Registers `chiso_digest(...)` (in `CSQLite/shim.h`), the aggregate of `digest(of:)`, on this
    /// connection: before any statement runs, as SQLite requires.
    func registerDigestFunction() throws {
        let rc = sqlite3_create_function_v2(handle, "chiso_digest", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, nil,
                                            chiso_digest_step, chiso_digest_final, nil)
        guard rc == SQLITE_OK else { throw SQLiteError(code: rc, connection: handle, sql: "chiso_digest") }
    }

    /// SQLite's quick check of the file's structure, its lines joined into one.
    func structureCheck() throws -> String {
        try rows("PRAGMA quick_check").compactMap { $0.values.first?.text }.joined(separator: "\n")
            .split(whereSeparator: \.isNewline).joined(separator: "; ")
    }

    /// The migrations are written in SQLite's dialect.
    func dialect(of migrationSQL: String) -> String { migrationSQL }

    func statements(of migration: Migration) -> String { migration.sql }

    /// SQLite keeps each table whole: one file, one writer.
    func partition(byProvinces provinces: [(id: Int64, code: String)]) throws {}

    /// A bulk load runs in its own transaction and a failure fails the whole load, so the statement keeps no
    /// journal of its own to undo itself (`OR FAIL`). Without it, SQLite copies the page each 64-row
    /// statement adds to before changing it, and a 5-million-row load wrote 6.4 GB for a 425 MB table.
    func bulkInsertSQL(into table: String, columns: [String], rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT OR FAIL INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    var hasCopy: Bool { false }

    /// A fixed 64 MiB page cache, bounded so memory does not grow with the file; the engine's temporary files
    /// (statement journals) stay on disk for the same reason. SQLite does not check foreign keys inside (a
    /// look-up of the unit and the load for every row written, half the cost of writing it): what `body`
    /// writes must check its own references, as `RegistryWriter` does.
    /// SQLite's bulk path is the multi-row INSERT of `bulkInsertSQL`.
    func copyStream(into table: String, columns: [String]) throws -> CopyStream? { nil }

    func bulkLoading<T>(_ body: () throws -> T) throws -> T {
        try execute("PRAGMA cache_size = -65536; PRAGMA temp_store = FILE; PRAGMA foreign_keys = OFF")
        defer { try? execute("PRAGMA temp_store = DEFAULT; PRAGMA foreign_keys = ON") }
        return try body()
    }
}
