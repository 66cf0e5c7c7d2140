import Foundation
@testable import Warehouse
import XCTest

final class DatabaseTests: XCTestCase {
    /// The same checks run on an in-memory and an on-disk database.
    func databases() throws -> [Database] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).sqlite")
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }
        return [try Database(path: ":memory:"), try Database(path: file.path)]
    }

    /// A damaged file's quick check is reported on one line, however many problems SQLite lists.
    func testADamagedFilesCheckIsOneLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).sqlite")
        addTeardownBlock { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.path + suffix) } }
        do {
            let db = try Database(path: file.path)
            try db.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, s TEXT); CREATE INDEX t_s ON t (s)")
            try db.transaction { for k in 0..<3000 { try db.run("INSERT INTO t (s) VALUES (?)", ["row \(k) " + String(repeating: "x", count: 40)]) } }
            try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        // Bytes inside a page of the middle overwritten: the file opens, its check finds the damage.
        let handle = try FileHandle(forUpdating: file)
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2 + 100)
        handle.write(Data(repeating: 0xff, count: 4000))
        try handle.close()
        let check = try Database(path: file.path, readOnly: true).structureCheck()
        XCTAssertNotEqual(check, "ok")
        XCTAssertFalse(check.contains("\n"), check)
        XCTAssertTrue(check.contains("; "), "several problems, joined: \(check)")
    }

    func testTypedBindAndReadRoundTrip() throws {
        for db in try databases() {
            try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, n REAL)")
            try db.run("INSERT INTO t VALUES (?, ?, ?, ?)", [42, 2.5, "Hòa Bình – \"x\"", Double.nan])
            let row = try XCTUnwrap(try db.rows("SELECT i, r, s, n FROM t").first)
            XCTAssertEqual(row["i"], .integer(42))
            XCTAssertEqual(row["r"], .real(2.5))
            XCTAssertEqual(row["s"], .text("Hòa Bình – \"x\""))
            XCTAssertEqual(row["n"], .null, "NaN is stored as NULL, never as NaN")
        }
    }

    func testTransactionRollsBackWhenBodyThrows() throws {
        struct Boom: Error {}
        for db in try databases() {
            try db.execute("CREATE TABLE t (x INTEGER)")
            XCTAssertThrowsError(try db.transaction {
                try db.run("INSERT INTO t VALUES (1)")
                throw Boom()
            })
            XCTAssertEqual(try db.scalar("SELECT count(*) FROM t"), .integer(0))
            XCTAssertFalse(db.isInTransaction)
        }
    }

    func testNestedTransactionRollsBackOnlyItsOwnWork() throws {
        struct Boom: Error {}
        for db in try databases() {
            try db.execute("CREATE TABLE t (x INTEGER)")
            try db.transaction {
                try db.run("INSERT INTO t VALUES (1)")
                try? db.transaction {
                    try db.run("INSERT INTO t VALUES (2)")
                    throw Boom()
                }
            }
            XCTAssertEqual(try db.rows("SELECT x FROM t").map { $0["x"] }, [.integer(1)])
        }
    }

    func testErrorsCarryCodeMessageAndSQL() throws {
        let db = try Database(path: ":memory:")
        try db.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        try db.run("INSERT INTO t VALUES (1)")
        do {
            try db.run("INSERT INTO t VALUES (1)")
            XCTFail("a duplicate key must fail")
        } catch let error as SQLiteError {
            XCTAssertTrue(error.isConstraintViolation)
            XCTAssertTrue(error.message.contains("UNIQUE"), error.message)
            XCTAssertEqual(error.sql, "INSERT INTO t VALUES (1)")
        }
        XCTAssertThrowsError(try db.prepare("SELEKT 1")) { error in
            XCTAssertEqual((error as? SQLiteError)?.sql, "SELEKT 1")
        }
    }

    func testForeignKeysAreEnforced() throws {
        for db in try databases() {
            try db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER REFERENCES p(id))")
            XCTAssertThrowsError(try db.run("INSERT INTO c VALUES (7)"))
        }
    }

    func testMigrationsApplyOnceInOrderAndAreRecorded() throws {
        for db in try databases() {
            let migrations = [
                Migration(version: 2, name: "add column", sql: "ALTER TABLE t ADD COLUMN y TEXT"),
                Migration(version: 1, name: "create", sql: "CREATE TABLE t (x INTEGER)"),
            ]
            XCTAssertEqual(try db.migrate(migrations), 2)
            XCTAssertEqual(try db.migrate(migrations), 0)
            XCTAssertEqual(try db.appliedMigrations(), [1, 2])
            try db.run("INSERT INTO t (x, y) VALUES (1, 'a')")
        }
    }

    func testFailedMigrationLeavesNoTraceOfItself() throws {
        let db = try Database(path: ":memory:")
        let broken = [Migration(version: 1, name: "half", sql: "CREATE TABLE a (x INTEGER); CREATE TABLE a (x INTEGER)")]
        XCTAssertThrowsError(try db.migrate(broken))
        XCTAssertEqual(try db.appliedMigrations(), [])
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'a'"), .integer(0))
    }

    func testWarehouseSchemaMigratesAndReopens() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try Warehouse(path: file.path)
        let again = try Warehouse(path: file.path)
        XCTAssertEqual(try again.db.appliedMigrations(), Schema.migrations.map(\.version))
        XCTAssertEqual(try again.db.scalar("PRAGMA journal_mode"), .text("wal"))
    }
}
