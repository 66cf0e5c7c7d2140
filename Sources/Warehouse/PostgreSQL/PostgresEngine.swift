import CLibPQ
import Foundation

/// PostgreSQL as the warehouse's engine: what portable SQL cannot say, in PostgreSQL's words.
extension PostgresConnection: Engine {
    func execute(_ sql: String, marking: (Set<String>) -> Void) throws {
        marking(Self.tablesWritten(by: sql))
        try execute(sql)
    }

    func prepare(_ sql: String) throws -> EngineStatement { PostgresStatement(connection: self, sql: sql) }

    /// The server takes each row's locks as it writes it; the one-writer rule is the warehouse's own lock.
    func begin() throws { try execute("BEGIN") }

    func tableExists(_ name: String) throws -> Bool {
        try scalar("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?",
                   [name]) == 1
    }

    /// The columns of `table` in their declared order, without `rowid`, the insertion-order column that
    /// `dialect(of:)` gives the tables the warehouse reads in that order (SQLite's tables have it hidden).
    func columns(of table: String) throws -> [String] {
        try rows("""
            SELECT column_name AS name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ? AND column_name <> 'rowid' ORDER BY ordinal_position
            """, [table]).compactMap { $0["name"].text }
    }

    /// The digest SQLite's `chiso_digest` makes, each row hashed here as it arrives: a table holds the same
    /// digest on both engines. The rows come through a cursor, `digestBatch` at a time, so memory does not grow
    /// with the table (libpq holds a whole result in memory).
    func digest(of table: String) throws -> (rows: Int, digest: UInt64) {
        let select = "SELECT \(try columns(of: table).joined(separator: ", ")) FROM \(table)"
        func read() throws -> DigestChange {
            try execute("DECLARE chiso_digest NO SCROLL CURSOR FOR \(select)")
            defer { try? execute("CLOSE chiso_digest") }
            var change = DigestChange()
            while true {
                let batch = try rows("FETCH \(Self.digestBatch) FROM chiso_digest")
                for row in batch {
                    var hash = RowHash()
                    for value in row.values { hash.add(value) }
                    change.add(hash)
                }
                if batch.count < Self.digestBatch { return change }
            }
        }
        // A cursor lives in a transaction: the open one, or one of its own.
        let change = try isInTransaction ? read() : transaction(read)
        return (change.rows, change.digest)
    }

    static let digestBatch = 10_000

    /// PostgreSQL checks its own pages (with data checksums, when the cluster has them): nothing for chiso to
    /// run, and nothing found.
    func structureCheck() throws -> String { "ok" }

    /// The migrations, written for SQLite, with PostgreSQL's types: `INTEGER` is `BIGINT` (SQLite's integers
    /// have 64 bits), `REAL` is `DOUBLE PRECISION`, an `id INTEGER PRIMARY KEY` numbers itself (an identity,
    /// as SQLite's rowid alias does), `WITHOUT ROWID` is dropped (every table is so), the tables read in
    /// insertion order get a `rowid` column that numbers their rows, last, as SQLite's hidden one does, and the
    /// registry tables have no foreign keys (`registryTables`).
    func dialect(of migrationSQL: String) -> String {
        var sql = migrationSQL
        for (pattern, replacement) in Self.typeRules {
            sql = sql.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        for table in Self.insertionOrdered {
            guard let body = Self.body(of: table, in: sql) else { continue }
            sql.insert(contentsOf: ",\n    rowid BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE", at: body.upperBound)
        }
        for table in Self.registryTables {
            guard let body = Self.body(of: table, in: sql) else { continue }
            sql.replaceSubrange(body, with: sql[body].replacingOccurrences(of: #" REFERENCES (unit|load)\(id\)"#, with: "",
                                                                           options: .regularExpression))
        }
        return sql
    }

    /// PostgreSQL's own statements for the migration where it has them (`PostgresSchema`), else its SQLite
    /// statements translated.
    func statements(of migration: Migration) -> String { migration.postgresql ?? dialect(of: migration.sql) }

    /// The text between the parentheses of `CREATE TABLE table (...)` in `sql`, if it creates it.
    private static func body(of table: String, in sql: String) -> Range<String.Index>? {
        guard let open = sql.range(of: "CREATE TABLE \(table) (") else { return nil }
        var depth = 1, index = open.upperBound
        while depth > 0 && index < sql.endIndex {
            if sql[index] == "(" { depth += 1 } else if sql[index] == ")" { depth -= 1 }
            if depth > 0 { index = sql.index(after: index) }
        }
        return open.upperBound..<index
    }

    /// The registry tables, created without foreign keys on PostgreSQL: their only writer, `RegistryWriter`,
    /// checks the load and every unit it writes, as it must on SQLite too, where a bulk load runs with foreign
    /// keys off. PostgreSQL's per-row checks cannot be suspended but by a superuser, and cost three quarters of
    /// a load (6.8 s of a million-row COPY's 9.1 s).
    static let registryTables = ["person", "parcel", "enterprise", "person_rebuilt", "enterprise_rebuilt"]

    private static let typeRules = [
        (#"\bid INTEGER PRIMARY KEY\b"#, "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
        (#"\bINTEGER\b"#, "BIGINT"),
        (#"\bREAL\b"#, "DOUBLE PRECISION"),
        (#"\)\s*WITHOUT ROWID"#, ")"),
    ]

    /// The tables whose queries order by `rowid`.
    static let insertionOrdered = ["task", "run_step", "simulation", "simulation_gain"]

    /// A plain multi-row INSERT: the whole load fails with its transaction on the server anyway.
    func bulkInsertSQL(into table: String, columns: [String], rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// Nothing to change for a bulk load: the registry tables have no foreign keys here (`registryTables`),
    /// and the server's memory is its own.
    func bulkLoading<T>(_ body: () throws -> T) throws -> T { try body() }

    /// The tables `sql` writes, by the words that start each statement: `INSERT INTO t`, `UPDATE t`,
    /// `DELETE FROM t` (the warehouse's own statements, which name their table first).
    static func tablesWritten(by sql: String) -> Set<String> {
        let pattern = #"(?i)(?:^|;)\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([A-Za-z_][A-Za-z0-9_]*)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(sql.startIndex..., in: sql)
        return Set(regex.matches(in: sql, range: range).compactMap { match in
            Range(match.range(at: 1), in: sql).map { String(sql[$0]).lowercased() }
        })
    }
}

/// A statement run when stepped after each binding, its rows then read one by one: the first time with
/// `PQexecParams` (one round trip, for the many statements run once), then prepared on the server and run with
/// `PQexecPrepared` (parsed and planned once, for the statements run for every row).
final class PostgresStatement: EngineStatement {
    unowned let connection: PostgresConnection
    let sql: String
    private let numbered: String
    let writes: Set<String>
    private var parameters: [String?] = []
    private var result: OpaquePointer?
    private var row: Int32 = -1

    init(connection: PostgresConnection, sql: String) {
        self.connection = connection
        self.sql = sql
        numbered = PostgresConnection.numberingPlaceholders(sql)
        writes = PostgresConnection.tablesWritten(by: sql)
    }

    /// The server's name for the statement, once prepared there, and how many times it has run.
    private var prepared: String?
    private var runs = 0

    deinit {
        if let result { PQclear(result) }
        if let prepared { connection.deallocate(prepared) }
    }

    func reset() {
        if let result { PQclear(result) }
        result = nil
        row = -1
        parameters.removeAll(keepingCapacity: true)
    }

    func bind(_ value: SQLValue, at index: Int32) throws {
        let slot = Int(index) - 1
        if parameters.count <= slot { parameters.append(contentsOf: [String?](repeating: nil, count: slot + 1 - parameters.count)) }
        parameters[slot] = PostgresConnection.text(of: value)
    }

    func bind(_ value: PackedRow.Value, at index: Int32) throws { try bind(value.sqlValue, at: index) }

    func step() throws -> Bool {
        if result == nil {
            if runs == 0 {
                result = try connection.run(numbered: numbered, parameters, sql: sql)
            } else {
                let name = try prepared ?? connection.prepareOnServer(numbered, sql: sql)
                prepared = name
                result = try connection.run(numbered: numbered, prepared: name, parameters, sql: sql)
            }
            runs += 1
        }
        row += 1
        return row < PQntuples(result)
    }

    var columnCount: Int32 { result.map(PQnfields) ?? 0 }

    func columnName(_ index: Int32) -> String { String(cString: PQfname(result, index)) }

    func value(_ index: Int32) -> SQLValue {
        guard let result, row >= 0, row < PQntuples(result), PQgetisnull(result, row, index) == 0 else { return .null }
        return PostgresConnection.value(String(cString: PQgetvalue(result, row, index)), type: PQftype(result, index))
    }

    func add(column index: Int32, to hash: inout RowHash) { hash.add(value(index)) }
}

extension PostgresConnection {
    var hasCopy: Bool { true }

    /// COPY: the server's bulk path.
    func copyStream(into table: String, columns: [String]) throws -> CopyStream? {
        try PostgresCopy(connection: self, table: table, columns: columns)
    }
}
