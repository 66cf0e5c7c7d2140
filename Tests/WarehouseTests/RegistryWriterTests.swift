import Foundation
@testable import Warehouse
import XCTest

/// The registry writer sorts a file's rows in runs written to temporary files and merges them: whatever the
/// number of runs, each key's first row is applied beside its stored record and the others are refused.
final class RegistryWriterTests: XCTestCase {
    typealias Row = RegistryWriter.StagedRow

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
            var stored: [[UInt8]: [SQLValue]] = [:]
            for (load, rows) in [(1, first), (2, second)] {
                let writer = try RegistryWriter(db: db, registry: .population, loadID: load, rowsPerRun: rowsPerRun)
                for start in stride(from: 0, to: rows.count, by: 13) {
                    try writer.stage(Array(rows[start..<min(start + 13, rows.count)]))
                }
                let want = expected(rows, stored: stored)
                if load == 2 {
                    XCTAssertTrue(want.updated > 0 && want.unchanged > 0 && want.inserted > 0, "every path is taken")
                    XCTAssertTrue(want.refused.contains { if case .conflict = $0.reason { true } else { false } })
                }
                let merged = try writer.merge()
                XCTAssertEqual(merged.inserted, want.inserted, "load \(load), \(rowsPerRun) rows per run")
                XCTAssertEqual(merged.updated, want.updated, "load \(load), \(rowsPerRun) rows per run")
                XCTAssertEqual(merged.unchanged, want.unchanged, "load \(load), \(rowsPerRun) rows per run")
                XCTAssertEqual(merged.refused.map(\.line), want.refused.map(\.line))
                XCTAssertEqual(merged.refused.map(\.reason), want.refused.map(\.reason))
                let quoted = Dictionary(uniqueKeysWithValues: rows.map { ($0.line, ($0.rawAt, $0.rawLength)) })
                XCTAssertTrue(merged.refused.allSatisfy { quoted[$0.line]! == ($0.rawAt, $0.rawLength) })
                XCTAssertEqual(try contents(db), want.table)
                let listed = try db.rows("SELECT count(*) AS n FROM person WHERE load_id = ?", [load]).first?["n"].int
                XCTAssertEqual(Int(listed ?? 0), want.inserted + want.updated + want.unchanged)
                let revisions = try db.rows("SELECT count(*) AS n FROM registry_revision WHERE replaced_by_load = ?",
                                            [load]).first?["n"].int
                XCTAssertEqual(Int(revisions ?? 0), want.updated)
                stored = want.table
            }
            XCTAssertGreaterThan(stored.count, 60)
            XCTAssertNotNil(stored[Array("\u{E9}".utf8)])
            XCTAssertNotNil(stored[Array("e\u{301}".utf8)], "the combined letter is a record of its own")
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
        try db.migrate(Schema.migrations)
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
