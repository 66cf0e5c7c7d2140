import Foundation
@testable import Warehouse
import XCTest

/// The registry writer sorts a file's rows in runs written to temporary files and merges them: whatever the
/// number of runs, each key's first row is applied beside its stored record and the others are refused.
class RegistryWriterTests: XCTestCase {
    /// A row of a file as the loader stages it: the table's values, its line, and where its text is.
    struct Row {
        let values: [SQLValue]
        let line: Int, rawAt: Int, rawLength: Int
        var key: String { values[0].text! }
    }

    /// `rows` packed for the writer.
    func packed(_ rows: ArraySlice<Row>) -> StagedRows {
        var packed = StagedRows()
        for row in rows { packed.append(row.values, line: row.line, rawAt: row.rawAt, rawLength: row.rawLength) }
        return packed
    }

    /// A warehouse schema (as of `version`, the latest by default) on a fresh file, with foreign keys off so the
    /// rows need no units or loads.
    func database(through version: Int = .max) throws -> Database {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).sqlite")
        addTeardownBlock {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) }
        }
        let db = try Database(path: file.path)
        try db.migrate(Schema.migrations.filter { $0.version <= version })
        try db.execute("PRAGMA foreign_keys = OFF")
        return db
    }

    /// Unit 7 (in province 1) and loads 1 and 2, which the rows written name.
    func addUnitAndLoads(_ db: Database) throws {
        try db.execute("""
            INSERT INTO unit (id, code, level, version, name_vi) VALUES (1, '01', 'province', '2025', 'Tỉnh Một');
            INSERT INTO unit (id, code, level, version, name_vi, parent_id) VALUES (7, '00007', 'commune', '2025', 'Xã Bảy', 1);
            INSERT INTO load (id, file, sha256, format, dataset, status, started_at) VALUES
                (1, 'a.csv', 'a', 'registry-csv', 'population', 'loaded', '2026-12-01'),
                (2, 'b.csv', 'b', 'registry-csv', 'population', 'loaded', '2026-12-02');
            """)
        try db.execute(Warehouse.placeUnitsSQL)
    }

    /// A person's row of the table: key, birth date, sex, unit, identity level, registered on, status.
    func person(_ key: String, born: String, sex: String, level: Int64, line: Int) -> Row {
        Row(values: [.text(key), .text(born), .text(sex), .integer(7), .integer(level),
                     level == 0 ? .null : .text("2024-01-0\(level)"), .text("active")],
            line: line, rawAt: 10 * line, rawLength: line % 5 + 1)
    }

    /// Rows of a file in the order written: keys drawn from a small set so that many repeat, in no order.
    /// Two keys are the same letter written two ways (precomposed and combined): equal as Swift strings,
    /// different to SQLite, so both are records.
    func file(seed: UInt64, rows: Int, keys: Int) -> [Row] {
        var state = seed
        func draw(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let names = (0..<keys).map { "K\(($0 * 7919) % 1009)" } + ["\u{E9}", "e\u{301}"]
        return (1...rows).map { line in
            person(names[draw(names.count)], born: ["1990-01-01", "1985-06-30"][draw(2)], sex: ["M", "F"][draw(2)],
                   level: Int64(draw(3)), line: line + 1)
        }
    }

    /// What a merge must do, worked out row by row: the first row of each key is kept; a stored record with
    /// another birth date or sex is a conflict; with other values, updated; with the same, unchanged.
    /// Keys are compared as bytes, as SQLite does (a Swift dictionary keyed by String would merge the two ways
    /// of writing a letter).
    func expected(_ rows: [Row], stored: [[UInt8]: [SQLValue]])
        -> (table: [[UInt8]: [SQLValue]], inserted: Int, updated: Int, unchanged: Int,
            refused: [(line: Int, reason: RegistryWriter.Refusal)]) {
        var table = stored, firstLine: [[UInt8]: Int] = [:]
        var inserted = 0, updated = 0, unchanged = 0, refused: [(line: Int, reason: RegistryWriter.Refusal)] = []
        for row in rows {
            let bytes = Array(row.key.utf8)
            if let first = firstLine[bytes] {
                refused.append((row.line, .duplicate(line: first)))
                continue
            }
            firstLine[bytes] = row.line
            if let record = table[bytes] {
                if let column = [1, 2].first(where: { record[$0] != row.values[$0] }) {
                    refused.append((row.line, .conflict(column: ["", "birth_date", "sex"][column], loadID: 1)))
                } else if record != row.values {
                    table[bytes] = row.values
                    updated += 1
                } else {
                    unchanged += 1
                }
            } else {
                table[bytes] = row.values
                inserted += 1
            }
        }
        return (table, inserted, updated, unchanged, refused)
    }

    func contents(_ db: Database) throws -> [[UInt8]: [SQLValue]] {
        let columns = Registry.population.table.columns
        var table: [[UInt8]: [SQLValue]] = [:]
        for row in try db.rows("SELECT " + columns.joined(separator: ", ") + " FROM person") {
            table[Array((row.values[0].text ?? "").utf8)] = row.values
        }
        return table
    }

    func testMergingManyRunsGivesTheRowByRowResult() throws {
        let first = file(seed: 1, rows: 40, keys: 30), second = file(seed: 2, rows: 300, keys: 80)
        for rowsPerRun in [7, 1 << 18] {
            let db = try database()
            try addUnitAndLoads(db)
            var stored: [[UInt8]: [SQLValue]] = [:]
            for (load, rows) in [(1, first), (2, second)] {
                let before = try db.digest(of: "person")
                let want = expected(rows, stored: stored)
                if load == 2 {
                    XCTAssertTrue(want.updated > 0 && want.unchanged > 0 && want.inserted > 0, "every path is taken")
                    XCTAssertTrue(want.refused.contains { if case .conflict = $0.reason { true } else { false } })
                }
                // In a transaction, as every load runs: what the merge made known to the seal, before the commit. On a
                // server, with few rows to a run the filter of keys sent is one block: most rows are held back.
                let (merged, change) = try db.transaction {
                    let writer = try RegistryWriter(db: db, registry: .population, loadID: load,
                                                    fileBytes: rowsPerRun < 100 ? 0 : 1 << 20, rowsPerRun: rowsPerRun)
                    for start in stride(from: 0, to: rows.count, by: 13) {
                        try writer.stage(packed(rows[start..<min(start + 13, rows.count)]))
                    }
                    return (try writer.merge(), db.digestChanges["person"])
                }
                XCTAssertEqual(merged.inserted, want.inserted, "load \(load), \(rowsPerRun) rows per run")
                XCTAssertEqual(merged.updated, want.updated, "load \(load), \(rowsPerRun) rows per run")
                XCTAssertEqual(merged.unchanged, want.unchanged, "load \(load), \(rowsPerRun) rows per run")
                XCTAssertEqual(merged.refused.map(\.line), want.refused.map(\.line))
                XCTAssertEqual(merged.refused.map(\.reason), want.refused.map(\.reason))
                let quoted = Dictionary(uniqueKeysWithValues: rows.map { ($0.line, ($0.rawAt, $0.rawLength)) })
                XCTAssertTrue(merged.refused.allSatisfy { quoted[$0.line]! == ($0.rawAt, $0.rawLength) })
                XCTAssertEqual(try contents(db), want.table)
                // A record's load is the one that wrote its values: an unchanged record keeps the earlier one.
                let written = try db.rows("SELECT count(*) AS n FROM person WHERE load_id = ?", [load]).first?["n"].int
                XCTAssertEqual(Int(written ?? 0), want.inserted + want.updated)
                XCTAssertEqual(try db.scalar("SELECT count(*) FROM person WHERE load_id < ?", [load]).int.map(Int.init),
                               stored.count - want.updated, "load \(load): the records it left as they were")
                let revisions = try db.rows("SELECT count(*) AS n FROM registry_revision WHERE replaced_by_load = ?",
                                            [load]).first?["n"].int
                XCTAssertEqual(Int(revisions ?? 0), want.updated)
                // The load's change to the seal, made known row by row, added to the table before it, is the table
                // read whole after it.
                let known = try XCTUnwrap(change)
                let whole = try db.digest(of: "person")
                XCTAssertEqual(known.emptyBefore, load == 1)
                XCTAssertEqual(before.rows + known.change.rows, whole.rows)
                XCTAssertEqual(before.digest &+ known.change.digest, whole.digest, "load \(load), \(rowsPerRun) rows per run")
                stored = want.table
            }
            XCTAssertGreaterThan(stored.count, 60)
            XCTAssertNotNil(stored[Array("\u{E9}".utf8)])
            XCTAssertNotNil(stored[Array("e\u{301}".utf8)], "the combined letter is a record of its own")
        }
    }

    /// A bulk load runs without the engine's foreign-key checks, so the writer makes them: a row naming a unit
    /// the warehouse does not have fails the merge, and so does a load that was never recorded.
    func testAUnitOrLoadTheWarehouseDoesNotHaveFailsTheMerge() throws {
        let db = try database()
        try addUnitAndLoads(db)
        XCTAssertThrowsError(try RegistryWriter(db: db, registry: .population, loadID: 3, fileBytes: 100))
        let writer = try RegistryWriter(db: db, registry: .population, loadID: 1, fileBytes: 100)
        let good = person("a", born: "1990-01-01", sex: "F", level: 0, line: 2)
        var bad = good.values
        bad[0] = .text("b")
        bad[3] = .integer(8)
        try writer.stage(packed([good, Row(values: bad, line: 3, rawAt: 30, rawLength: 4)][...]))
        XCTAssertThrowsError(try writer.merge()) { error in
            XCTAssertTrue("\(error)".contains("not in the warehouse: 8"), "\(error)")
        }
    }

    /// A row the table refuses, written while later rows are still being merged (more rows than the merge hands
    /// over at once), fails the merge with the engine's message instead of leaving the merging thread waiting;
    /// the connection then works as before.
    func testARowTheTableRefusesMidMergeFailsTheMerge() throws {
        let db = try database()
        try addUnitAndLoads(db)
        let rows = [person("0 refused", born: "1990-01-01", sex: "X", level: 0, line: 2)]
            + (0..<30_000).map { person(String(format: "k%06d", $0), born: "1990-01-01", sex: "F", level: 0, line: 3 + $0) }
        XCTAssertThrowsError(try db.transaction {
            let writer = try RegistryWriter(db: db, registry: .population, loadID: 1, fileBytes: 1 << 20)
            try writer.stage(packed(rows[...]))
            _ = try writer.merge()
        }) { error in
            XCTAssertTrue("\(error)".lowercased().contains("check"), "\(error)")
        }
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM person").int, 0)
    }

    /// A packed row gives back every kind of value as it was, and the sort order is SQLite's: bytes, shorter
    /// first, then line.
    func testPackedRowsKeepTheirValuesAndSortAsSQLiteDoes() throws {
        let values: [SQLValue] = [.text("ab\u{E9}"), .null, .integer(-7), .integer(Int64.max), .real(-0.125), .real(1e300),
                                  .text(""), .text("Hòa Bình, \"quoted\"")]
        var rows = StagedRows()
        rows.append(values, line: 12, rawAt: 1 << 40, rawLength: 99)
        rows.append([.text("ab")], line: 13, rawAt: 0, rawLength: 1)
        rows.append([.text("ab")], line: 3, rawAt: 0, rawLength: 1)
        XCTAssertEqual(rows.count, 3)
        try rows.bytes.withUnsafeBytes { buffer in
            let first = PackedRow(buffer.baseAddress!)
            XCTAssertEqual(first.values, values)
            XCTAssertEqual([first.line, first.rawAt, first.rawLength], [12, 1 << 40, 99])
            XCTAssertEqual(Array(first.key), Array("ab\u{E9}".utf8))
            let second = PackedRow(buffer.baseAddress! + first.length)
            let third = PackedRow(second.base + second.length)
            XCTAssertEqual(third.base + third.length, buffer.baseAddress! + buffer.count, "three rows, end to end")
            XCTAssertTrue(PackedRow.precedes(second, first), "a key before its extensions")
            XCTAssertTrue(PackedRow.precedes(third, second), "the same key: the earlier line first")
            XCTAssertFalse(PackedRow.precedes(first, third))
            XCTAssertEqual(second.prefix, PackedRow.KeyPrefix(high: UInt64(0x6162) << 48, low: 0))
            let storedOrder = try database().rows("SELECT k FROM (SELECT 'ab' AS k UNION ALL SELECT 'ab\u{E9}') ORDER BY k")
            XCTAssertEqual(storedOrder.map { $0.values[0] }, [.text("ab"), .text("ab\u{E9}")])
        }
    }

    /// A key's 16-byte prefix orders keys as their bytes do wherever two prefixes differ: keys that share their
    /// first eight bytes (a parcel's commune and sheet), keys shorter and longer than 16 bytes.
    func testKeyPrefixesOrderKeysAsTheirBytesDo() throws {
        let keys = ["00205-1-9", "00205-1-10", "00205-1-1", "00205-1-", "00205-2-1", "0123456789abcdefXYZ",
                    "0123456789abcdefXY", "0123456789abcdeg", "0123456789abcdef", "0123456789abcde", "", "\u{E9}"]
        var rows = StagedRows()
        for (line, key) in keys.enumerated() { rows.append([.text(key)], line: line, rawAt: 0, rawLength: 1) }
        try rows.bytes.withUnsafeBytes { buffer in
            var packed: [PackedRow] = []
            var at = 0
            while at < buffer.count {
                packed.append(PackedRow(buffer.baseAddress! + at))
                at += packed.last!.length
            }
            XCTAssertEqual(packed.count, keys.count)
            for a in packed {
                for b in packed where a.prefix != b.prefix {
                    let bytesOrder = Array(a.key).lexicographicallyPrecedes(Array(b.key))
                    XCTAssertEqual(a.prefix < b.prefix, bytesOrder, "\(Array(a.key)) against \(Array(b.key))")
                }
            }
            let long = try XCTUnwrap(packed.first { $0.key.count == 19 })
            XCTAssertEqual(long.prefix, PackedRow.KeyPrefix(high: 0x3031_3233_3435_3637, low: 0x3839_6162_6364_6566))
        }
    }

    /// Migration 11 rebuilds `person` and `enterprise` with their checks written as comparisons: every row is
    /// kept, and a value outside the rules is still refused.
    func testTheRebuiltRegistryTablesKeepTheirRowsAndTheirRules() throws {
        let db = try database(through: 10)
        XCTAssertTrue(try db.rows("SELECT sql FROM sqlite_master WHERE name = 'person'").first?["sql"].text?
                        .contains("IN ('M', 'F')") ?? false, "the table as version 5 made it")
        try db.execute("""
            INSERT INTO person VALUES ('b', '1990-01-01', 'F', 7, 2, '2024-01-02', 'emigrated', 1, 3),
                                      ('a', '1985-06-30', 'M', 8, 0, NULL, 'active', 1, 2);
            INSERT INTO enterprise VALUES ('0101', 'Công ty A', 7, 'C', '10', '2020-01-01', 'suspended', 1, '2022-01-01', 1, 2);
            """)
        let before = try ["person", "enterprise"].map { try db.rows("SELECT * FROM \($0) ORDER BY 1") }
        try db.migrate(Schema.migrations.filter { $0.version <= 11 })
        XCTAssertEqual(try ["person", "enterprise"].map { try db.rows("SELECT * FROM \($0) ORDER BY 1") }, before)
        XCTAssertFalse(try db.rows("SELECT sql FROM sqlite_master WHERE name = 'person'").first?["sql"].text?
                        .contains(" IN (") ?? true)
        for bad in ["('c', '1990-01-01', 'X', 7, 2, NULL, 'active', 1, 4)", "('c', '1990-01-01', 'M', 7, 3, NULL, 'active', 1, 4)",
                    "('c', '1990-01-01', 'M', 7, 1, NULL, 'moved', 1, 4)"] {
            XCTAssertThrowsError(try db.execute("INSERT INTO person VALUES " + bad), bad)
        }
        XCTAssertThrowsError(try db.execute(
            "INSERT INTO enterprise VALUES ('0102', 'B', 7, 'C', '10', '2020-01-01', 'closed', 1, NULL, 1, 3)"))
        XCTAssertNoThrow(try db.execute("INSERT INTO person VALUES ('c', '1990-01-01', 'M', 7, 1, NULL, 'deceased', 1, 4)"))
    }
}
