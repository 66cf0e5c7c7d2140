import Foundation

/// Writes a file's validated registry rows in two passes, so that the cost grows with the rows and not with
/// the table: the rows are appended to a staging table with no key (`stage`), then applied all at once
/// (`merge`), in key order. In key order each of the table's pages is visited once, whatever order the file's
/// keys come in (a pseudonym is random): inserting them in file order lands each on a random page, which
/// slows down more and more once the table outgrows the page cache.
public struct RegistryWriter {
    /// Why a merge refused a row: its key is on an earlier line of the file, or the stored record of its key
    /// has another value in a column that never changes.
    public enum Refusal: Equatable, Sendable {
        case duplicate(line: Int), conflict(column: String, loadID: Int)
    }

    public let registry: Registry
    public let loadID: Int
    private let db: Database
    private let table: String, columns: [String], staging: String
    private let stageMany, update, revision: Statement
    private let immutable: [Int]
    /// Where a staged row is in its file: its line, and the byte offset and length of its text.
    static let position = ["line", "raw_at", "raw_length"]
    /// Rows per multi-row INSERT: one statement run for many rows is much cheaper than one per row.
    static let rowsPerInsert = 64

    init(db: Database, registry: Registry, loadID: Int) throws {
        self.db = db
        self.registry = registry
        self.loadID = loadID
        let (table, columns) = registry.table
        (self.table, self.columns) = (table, columns)
        let staging = "staged_\(table)"
        self.staging = staging
        try db.execute("""
            DROP TABLE IF EXISTS \(staging);
            CREATE TEMP TABLE \(staging) AS
                SELECT \(columns.joined(separator: ", ")), line, 0 AS raw_at, 0 AS raw_length FROM \(table) WHERE FALSE
            """)
        stageMany = try db.prepare(Self.insertSQL(into: staging, columns: columns + Self.position,
                                                  rows: Self.rowsPerInsert))
        update = try db.prepare("UPDATE \(table) SET " + columns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
                                + ", load_id = ?, line = ? WHERE \(columns[0]) = ?")
        revision = try db.prepare("""
            INSERT INTO registry_revision (registry, record_key, previous, load_id, replaced_by_load) VALUES (?, ?, ?, ?, ?)
            """)
        immutable = registry.immutableColumns.compactMap { columns.firstIndex(of: $0) }
    }

    /// An INSERT of `rows` rows of `columns` into `table`.
    private static func insertSQL(into table: String, columns: [String], rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// A staged row: the table's values, and where the row is in its file (its line, and the byte offset and
    /// length of its text, to quote it if it is refused).
    public struct StagedRow: Sendable {
        public let values: [SQLValue]
        public let line: Int, rawAt: Int, rawLength: Int
        public init(values: [SQLValue], line: Int, rawAt: Int, rawLength: Int) {
            (self.values, self.line, self.rawAt, self.rawLength) = (values, line, rawAt, rawLength)
        }
    }

    /// Appends `rows` to the staging table, by multi-row INSERTs.
    public func stage(_ rows: [StagedRow]) throws {
        let columns = columns + Self.position, into = staging
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + Self.rowsPerInsert, rows.count)]
            let run = chunk.count == Self.rowsPerInsert ? stageMany
                : try db.prepare(Self.insertSQL(into: into, columns: columns, rows: chunk.count))
            try run.bind([])
            var index: Int32 = 1
            for row in chunk {
                for value in row.values {
                    try run.bind(value, at: index)
                    index += 1
                }
                for number in [row.line, row.rawAt, row.rawLength] {
                    try run.bind(.integer(Int64(number)), at: index)
                    index += 1
                }
            }
            while try run.step() {}
            try run.bind([])
            start = chunk.endIndex
        }
    }

    /// What a merge did: how many rows were inserted, updated and unchanged, and the rows it refused, by line.
    public struct Merged: Sendable {
        public var inserted = 0, updated = 0, unchanged = 0
        /// Each refused row: its line, why, and where its text is in the file.
        public var refused: [(line: Int, reason: Refusal, rawAt: Int, rawLength: Int)] = []
    }

    /// Applies the staged rows, in key order, beside the stored record of each key, mostly as whole statements
    /// so that the engine does the work: a key seen on an earlier line of the file is a duplicate of that line;
    /// a stored record with another value in an immutable column is a conflict; one with other values is
    /// updated, its previous values kept as a revision; one with the same values is unchanged, relisted under
    /// this load (a record's load is the last one that listed it); a key new to the table is inserted. Drops
    /// the staging table.
    public func merge() throws -> Merged {
        var merged = Merged()
        let key = columns[0], staged = staging
        // Ordered by key, then line, and covering every column, so each pass below reads the staged rows in key
        // order and the table's pages in order.
        try db.execute("CREATE INDEX \(staging)_order ON \(staging) (\(key), line, "
                       + (columns.dropFirst() + ["raw_at", "raw_length"]).joined(separator: ", ") + ")")
        // One pass in key order sorts every row out: a repeated key, a conflict, a change, or nothing to do.
        let n = columns.count
        let differs = immutable.map { "s.\(columns[$0]) IS DISTINCT FROM t.\(columns[$0])" }
        let changed = columns.dropFirst().map { "s.\($0) IS DISTINCT FROM t.\($0)" }.joined(separator: " OR ")
        let scan = try db.prepare("SELECT s.rowid, s.\(key), s.line, t.load_id, (\(changed)), s.raw_at, s.raw_length"
                                  + differs.map { ", " + $0 }.joined()
                                  + " FROM \(staged) s LEFT JOIN \(table) t ON t.\(key) = s.\(key) ORDER BY s.\(key), s.line")
        try scan.bind([])
        var refusedRows: [Int64] = [], changedRows: [Int64] = [], matched = 0
        var previous: String?, firstLine = 0
        while try scan.step() {
            let current = scan.text(1), line = scan.int(2) ?? 0
            if current == previous {
                merged.refused.append((line, .duplicate(line: firstLine), scan.int(5) ?? 0, scan.int(6) ?? 0))
                refusedRows.append(Int64(scan.int(0) ?? 0))
                continue
            }
            previous = current
            firstLine = line
            guard let storedLoad = scan.int(3) else { continue }
            if let column = immutable.indices.first(where: { scan.int(Int32(7 + $0)) == 1 }) {
                merged.refused.append((line, .conflict(column: columns[immutable[column]], loadID: storedLoad),
                                       scan.int(5) ?? 0, scan.int(6) ?? 0))
                refusedRows.append(Int64(scan.int(0) ?? 0))
                continue
            }
            matched += 1
            if scan.int(4) == 1 { changedRows.append(Int64(scan.int(0) ?? 0)) }
        }
        let delete = try db.prepare("DELETE FROM \(staged) WHERE rowid = ?")
        for rowid in refusedRows { try delete.execute([SQLValue.integer(rowid)]) }
        // Changes: the stored values kept as a revision, then replaced.
        let read = try db.prepare("SELECT s.line, " + columns.map { "s.\($0)" }.joined(separator: ", ") + ", "
                                  + columns.map { "t.\($0)" }.joined(separator: ", ")
                                  + ", t.load_id FROM \(staged) s JOIN \(table) t ON t.\(key) = s.\(key) WHERE s.rowid = ?")
        var values = [SQLValue](repeating: .null, count: n), stored = values
        for rowid in changedRows {
            try read.bind([SQLValue.integer(rowid)])
            guard try read.step() else { continue }
            let line = read.int(0) ?? 0
            for i in 0..<n {
                values[i] = read.value(Int32(1 + i))
                stored[i] = read.value(Int32(1 + n + i))
            }
            let storedLoad = read.int(Int32(1 + 2 * n)) ?? 0
            try read.bind([])
            let previous = Dictionary(uniqueKeysWithValues: zip(columns, stored).map { ($0, $1.jsonValue) })
            let json = String(decoding: try JSONSerialization.data(withJSONObject: previous, options: [.sortedKeys]),
                              as: UTF8.self)
            try revision.execute([registry.rawValue, values[0], json, storedLoad, loadID])
            try update.execute(Array(values.dropFirst()) + [.integer(Int64(loadID)), .integer(Int64(line)), values[0]])
        }
        merged.updated = changedRows.count
        merged.unchanged = matched - changedRows.count
        // Every stored key of the file is relisted under this load; the new ones are inserted in key order.
        if matched > 0 {
            try db.run("UPDATE \(table) SET load_id = ?, line = s.line FROM \(staged) s WHERE s.\(key) = \(table).\(key)",
                       [loadID])
        }
        try db.run("INSERT INTO \(table) (\(columns.joined(separator: ", ")), load_id, line) SELECT "
                   + columns.map { "s.\($0)" }.joined(separator: ", ") + ", ?, s.line FROM \(staged) s "
                   + (matched > 0 ? "WHERE NOT EXISTS (SELECT 1 FROM \(table) t WHERE t.\(key) = s.\(key)) " : "")
                   + "ORDER BY s.\(key)", [loadID])
        merged.inserted = db.changes
        try db.execute("DROP TABLE \(staged)")
        merged.refused.sort { $0.line < $1.line }
        return merged
    }
}

private extension SQLValue {
    var jsonValue: Any {
        switch self {
        case .null: return NSNull()
        case .integer(let v): return v
        case .real(let v): return v
        case .text(let v): return v
        }
    }
}
