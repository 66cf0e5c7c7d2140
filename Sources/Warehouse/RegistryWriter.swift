import Foundation

/// Writes a file's validated registry rows in two passes, so that the cost grows with the rows and not with
/// the table: the rows are collected and sorted by key in bounded memory (`stage`), then applied in key order
/// (`merge`), the sorted runs merged and each new row sealed on a thread of their own (`KeyOrderedChunks`)
/// while this one writes. In key order each of the table's pages is visited once, whatever order the file's
/// keys come in (a pseudonym is random): inserting them in file order lands each on a random page, which slows
/// down more and more once the table outgrows the page cache. On a server, each row is written as it is staged
/// instead and only the keys are sorted (`RegistryWriter+Server.swift`).
public final class RegistryWriter {
    /// Why a merge refused a row: its key is on an earlier line of the file, or the stored record of its key
    /// has another value in a column that never changes.
    public enum Refusal: Equatable, Sendable {
        case duplicate(line: Int), conflict(column: String, loadID: Int)
    }

    public let registry: Registry
    public let loadID: Int
    let db: Database
    let table: String, columns: [String]
    /// The columns written: the registry's, then the load, the line and the unit's province.
    let written: [String]
    private let insertMany, insertOne, stored, update, remove, revision: Statement
    let immutable: [Int]
    /// The `unit_id` column and each unit's province (`unit.province_id`), which every row carries, with the
    /// load: what seals a new row. A unit not in the warehouse is noted and refuses the load at the end of the
    /// merge: the check a foreign key would make, which a bulk load runs without.
    let sealer: Sealer
    private var missingUnits = Set<Int64>()
    let staged: SortedRuns
    private var stagedCount = 0
    /// On a server: the COPY the rows stream into as they are staged (`RegistryWriter+Server.swift`).
    private var serverLoad: ServerLoad?
    /// What the merge did to the table's seal, row by row, when the table's columns are `columns`, `load_id`
    /// and `line` in that order (`nil` otherwise: the seal then reads the table).
    var digestChange: DigestChange?
    /// Rows per multi-row INSERT: one statement run for many rows is much cheaper than one per row.
    static let rowsPerInsert = 64

    /// A writer of `registry` rows under `loadID` from a file of `fileBytes` bytes (which sizes a server's
    /// filter of the keys sent; `Int.max` for a size unknown).
    init(db: Database, registry: Registry, loadID: Int, fileBytes: Int, rowsPerRun: Int = 1 << 18) throws {
        self.db = db
        self.registry = registry
        self.loadID = loadID
        let (table, columns) = registry.table
        (self.table, self.columns) = (table, columns)
        staged = SortedRuns(rowsPerRun: rowsPerRun)
        written = columns + ["load_id", "line", "province_id"]
        insertMany = try db.prepare(db.bulkInsertSQL(into: table, columns: written, rows: Self.rowsPerInsert))
        insertOne = try db.prepare(db.bulkInsertSQL(into: table, columns: written, rows: 1))
        immutable = registry.immutableColumns.compactMap { columns.firstIndex(of: $0) }
        sealer = Sealer(loadID: loadID, unitColumn: columns.firstIndex(of: "unit_id")!, provinces: try UnitProvinces(db))
        digestChange = try db.columns(of: table) == written ? DigestChange() : nil
        guard try db.scalar("SELECT count(*) FROM load WHERE id = ?", [loadID]).int == 1 else {
            throw ReferenceError(message: "no load \(loadID) to write \(table) rows under")
        }
        // The stored record of a key, whether any column differs from the file's row, and which immutable ones
        // do: compared by the engine, each bound value taking its column's type as it would when stored.
        let parameter = { (column: Int) in "?\(column + 1)" }
        let differs = { (column: Int) in "\(columns[column]) IS DISTINCT FROM \(parameter(column))" }
        stored = try db.prepare("SELECT load_id, (" + columns.indices.dropFirst().map(differs).joined(separator: " OR ") + ")"
                                + immutable.map { ", " + differs($0) }.joined() + ", " + columns.joined(separator: ", ")
                                + ", line, province_id FROM \(table) WHERE \(columns[0]) = ?1")
        // A stored record is changed where it is, found by its key and province (one partition on a server);
        // one whose unit moves to another province is deleted there and written anew, as a table distributed
        // by province cannot change a row's province in place.
        let whereStored = " WHERE \(columns[0]) = ? AND province_id = ?"
        update = try db.prepare("UPDATE \(table) SET " + columns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
                                + ", load_id = ?, line = ?" + whereStored)
        remove = try db.prepare("DELETE FROM \(table)" + whereStored)
        revision = try db.prepare("""
            INSERT INTO registry_revision (registry, record_key, previous, load_id, replaced_by_load) VALUES (?, ?, ?, ?, ?)
            """)
        if db.engine.hasCopy { serverLoad = try startServerLoad(fileBytes: fileBytes) }
    }

    /// Adds `rows` to the rows to merge: kept in memory, sorted and written to a temporary file by the run. On
    /// a server the rows are written at once and only their keys are kept.
    public func stage(_ rows: StagedRows) throws {
        try staged.append(serverLoad.map { try stream(rows, into: $0) } ?? rows)
        stagedCount += rows.count
    }

    /// What a merge did: how many rows were inserted, updated and unchanged, and the rows it refused, by line.
    public struct Merged: Sendable {
        public var inserted = 0, updated = 0, unchanged = 0
        /// Each refused row: its line, why, and where its text is in the file.
        public var refused: [(line: Int, reason: Refusal, rawAt: Int, rawLength: Int)] = []
    }

    /// Applies the staged rows in key order, each beside the stored record of its key: a key seen on an earlier
    /// line of the file is a duplicate of that line; a stored record with another value in an immutable column
    /// is a conflict; one with other values is updated, its previous values kept as a revision; one with the
    /// same values is unchanged and left as it is (a record's load and line are those of the file that wrote
    /// its values: a nightly's extract, mostly unchanged, writes only what changed); a key new to the table is
    /// inserted. A table with no records yet is never looked up.
    public func merge() throws -> Merged {
        var merged = Merged()
        let (count, emptyBefore) = try serverLoad.map { (try finish($0, counting: &merged), $0.primaryKey != nil) }
            ?? mergeInKeyOrder(counting: &merged)
        guard count == stagedCount else {
            throw RunFileError(message: "\(stagedCount) rows were staged but \(count) came back in key order")
        }
        try refuseMissingUnits()
        if let digestChange { db.recordDigestChange(digestChange, of: table, emptyBefore: emptyBefore) }
        merged.inserted = count - merged.refused.count - merged.updated - merged.unchanged
        merged.refused.sort { $0.line < $1.line }
        return merged
    }

    /// Merges the staged rows in key order (`merge`): how many came back, and whether the table had no records.
    private func mergeInKeyOrder(counting merged: inout Merged) throws -> (count: Int, emptyBefore: Bool) {
        let chunks = KeyOrderedChunks(try staged.ordered(), rowsPerChunk: 1 << 12, sealer: sealer)
        defer { chunks.stop() }
        let lookUp = try !db.rows("SELECT 1 FROM \(table) LIMIT 1").isEmpty
        // New rows are copied here until a multi-row INSERT's worth is held.
        let inserts = ByteBuffer(capacity: 1 << 14)
        var insertsSealed: [SealedRow] = [], count = 0
        while let chunk = try chunks.next() {
            count += chunk.count
            merged.refused += chunk.repeats.map { ($0.line, .duplicate(line: $0.first), $0.rawAt, $0.rawLength) }
            try chunk.rows.bytes.withUnsafeBytes { buffer in
                var at = 0
                for sealed in chunk.sealed {
                    let row = PackedRow(buffer.baseAddress! + at)
                    at += row.length
                    if lookUp {
                        switch try apply(row.values, line: row.line, counting: &merged) {
                        case .stored: continue
                        case .refused(let refusal):
                            merged.refused.append((row.line, refusal, row.rawAt, row.rawLength))
                            continue
                        case .new: break
                        }
                    }
                    inserts.append(UnsafeRawBufferPointer(start: row.base, count: row.length))
                    insertsSealed.append(sealed)
                    if insertsSealed.count == Self.rowsPerInsert {
                        try insert(from: inserts, sealed: insertsSealed, with: insertMany)
                        inserts.removeAll()
                        insertsSealed.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
        if !insertsSealed.isEmpty {
            try insert(from: inserts, sealed: insertsSealed,
                       with: db.prepare(db.bulkInsertSQL(into: table, columns: written, rows: insertsSealed.count)))
        }
        return (count, !lookUp)
    }

    /// Refuses the load when a row written so far names a unit the warehouse does not have.
    func refuseMissingUnits() throws {
        guard missingUnits.isEmpty else {
            throw ReferenceError(message: "\(table) rows name units that are not in the warehouse: "
                                 + missingUnits.sorted().prefix(5).map(String.init).joined(separator: ", "))
        }
    }

    /// The province of `unit`, noting a unit the warehouse does not have (0 stands in until the merge ends
    /// and refuses the load).
    private func province(of unit: Int64) -> Int64 {
        if let province = sealer.provinces[unit] { return province }
        missingUnits.insert(unit)
        return 0
    }

    /// A record's values as its revision keeps them: JSON, the columns' names in order.
    func previousJSON(_ values: [SQLValue]) throws -> String {
        let previous = Dictionary(uniqueKeysWithValues: zip(columns, values.map(\.jsonValue)))
        return String(decoding: try JSONSerialization.data(withJSONObject: previous, options: [.sortedKeys]), as: UTF8.self)
    }

    /// What became of a row beside the stored record of its key.
    private enum Applied { case new, stored, refused(Refusal) }

    /// Writes `row` beside the stored record of its key: refused on a conflict, updated with a revision when
    /// it differs, left as it is when it does not; `.new` when the key has no record, for the caller to insert.
    private func apply(_ values: [SQLValue], line: Int, counting merged: inout Merged) throws -> Applied {
        try stored.bind(values)
        guard try stored.step() else { return .new }
        let storedLoad = stored.int(0) ?? 0
        if let column = immutable.indices.first(where: { stored.int(Int32(2 + $0)) == 1 }) {
            return .refused(.conflict(column: columns[immutable[column]], loadID: storedLoad))
        }
        guard stored.int(1) == 1 else {
            try stored.bind([])
            merged.unchanged += 1
            return .stored
        }
        let first = 2 + Int32(immutable.count)
        let storedProvince = stored.value(first + Int32(columns.count) + 1)
        let listed: [SQLValue] = [.integer(Int64(loadID)), .integer(Int64(line))]
        let located = [values[0], storedProvince]
        // The record as stored goes out of the seal, the record as written comes in.
        if digestChange != nil {
            var old = RowHash()
            for column in [Int32](first..<(first + Int32(columns.count))) + [0, first + Int32(columns.count)] {
                stored.base.add(column: column, to: &old)
            }
            old.add(storedProvince)
            digestChange?.remove(old)
        }
        let json = try previousJSON(columns.indices.map { stored.value(first + Int32($0)) })
        try stored.bind([])
        let province = SQLValue.integer(self.province(of: values[sealer.unitColumn].int ?? 0))
        try revision.execute([registry.rawValue, values[0], json, storedLoad, loadID])
        if province == storedProvince {
            try update.execute(Array(values.dropFirst()) + listed + located)
        } else {
            try remove.execute(located)
            try insertOne.execute(values + listed + [province])
        }
        if digestChange != nil {
            var updated = RowHash()
            for value in values + listed + [province] { updated.add(value) }
            digestChange?.add(updated)
        }
        merged.updated += 1
        return .stored
    }

    /// Inserts the rows packed in `rows`, new keys, by one run of `statement`, an INSERT of that many; `sealed`
    /// holds what the sealer gave for each. Their text is bound where it lies in `rows`, which stays unchanged
    /// until the statement is reset here.
    private func insert(from rows: ByteBuffer, sealed: [SealedRow], with statement: Statement) throws {
        try statement.bind([])
        var index: Int32 = 1, at = 0
        for rowSealed in sealed {
            let row = PackedRow(rows.base + at)
            try write(row, rowSealed, with: { try statement.bind($0, at: index); index += 1 },
                      { try statement.bind($0, at: index); index += 1 })
            at += row.length
        }
        while try statement.step() {}
        try statement.bind([])
    }

    /// What seals a new row: its hash as the seal adds it up (its values, then its load, line and province),
    /// its unit, and the unit's province (`nil` for a unit the warehouse lacks, written as 0 until the merge
    /// refuses the load). It holds only values that never change, so any thread may use it.
    struct Sealer {
        let loadID: Int, unitColumn: Int, provinces: UnitProvinces

        func sealed(_ row: PackedRow) -> SealedRow {
            var column = 0, hash = RowHash(), unit: Int64 = 0
            row.forEachValue { item in
                if column == unitColumn, case .integer(let id) = item { unit = id }
                hash.add(item)
                column += 1
            }
            let province = provinces[unit]
            hash.add(SQLValue.integer(Int64(loadID)))
            hash.add(SQLValue.integer(Int64(row.line)))
            hash.add(SQLValue.integer(province ?? 0))
            return SealedRow(hash: hash.value, unit: unit, province: province)
        }
    }

    struct SealedRow {
        let hash: UInt64, unit: Int64, province: Int64?
    }

    /// Writes a new row's values, then its load, line and province, by `value` and `extra`, adding its hash
    /// (`sealed`, what the sealer gave for it) to the seal's change.
    func write(_ row: PackedRow, _ sealed: SealedRow, with value: (PackedRow.Value) throws -> Void,
               _ extra: (SQLValue) throws -> Void) throws {
        try row.forEachValue(value)
        if sealed.province == nil { missingUnits.insert(sealed.unit) }
        try extra(.integer(Int64(loadID)))
        try extra(.integer(Int64(row.line)))
        try extra(.integer(sealed.province ?? 0))
        digestChange?.add(digest: sealed.hash)
    }
}

/// Rows in key order, each told apart when its key is the previous row's: a key repeated within a file.
struct RepeatedKeys {
    private let previous = ByteBuffer(capacity: 256)
    private var firstLine: Int?

    /// The line of the first row of `row`'s key when `row` repeats it; `nil` for the first row of a key.
    mutating func firstLine(ofRepeated row: PackedRow) -> Int? {
        if let firstLine, PackedRow.compare(row.key, previous.bytes) == 0 { return firstLine }
        previous.removeAll()
        previous.append(row.key)
        firstLine = row.line
        return nil
    }
}

/// A row would name a unit or load the warehouse does not have.
struct ReferenceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
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
