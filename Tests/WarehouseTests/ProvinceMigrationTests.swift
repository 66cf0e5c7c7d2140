import Foundation
import TestSupport
@testable import Warehouse
import XCTest

/// Migration 12 on a warehouse written before it (schema version 11): every unit, registry record and
/// observation gets the 2025 province it lies in, the tables that were as sealed are sealed again, and one
/// changed behind chiso's back stays apart from its seal. `PostgresProvinceMigrationTests` runs the same on
/// PostgreSQL, where the rows must also end up in their province's partition.
class ProvinceMigrationTests: XCTestCase {
    /// Where a warehouse at version 11 is made.
    func makeLocation() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.appendingPathComponent("w.sqlite").path
    }

    /// Units in both versions: a 2025 province 01 with a commune, a province 02 before the merger with a
    /// district and a commune, merged into 01 by the crosswalk, and the nation; a person and a parcel in
    /// each commune, an enterprise in the district, a figure for each province and the nation.
    func makeVersion11Warehouse(at location: String) throws {
        let db = try Database(path: location)
        try db.migrate(Schema.migrations.filter { $0.version <= 11 })
        try db.transaction {
            try db.execute("""
                INSERT INTO unit (id, code, level, version, name_vi, parent_id) VALUES
                    (1, 'VN', 'nation', '2025', 'Việt Nam', NULL),
                    (2, '01', 'province', '2025', 'Hà Nội', 1),
                    (3, '00004', 'commune', '2025', 'Ba Đình', 2),
                    (4, 'VN', 'nation', 'pre2025', 'Việt Nam', NULL),
                    (5, '02', 'province', 'pre2025', 'Hà Tây', 4),
                    (6, '269', 'district', 'pre2025', 'Hà Đông', 5),
                    (7, '09556', 'commune', 'pre2025', 'Vạn Phúc', 6);
                INSERT INTO crosswalk (from_unit_id, to_unit_id, share, partial) VALUES (5, 2, 1, 0), (4, 1, 1, 0);
                INSERT INTO indicator (code, name_vi, name_en, unit_of_measure, direction, aggregation)
                    VALUES ('pop', 'Dân số', 'Population', 'people', 1, 'SUM');
                INSERT INTO load (id, file, sha256, format, dataset, status, started_at)
                    VALUES (1, 'f.csv', 'x', 'csv', 'population', 'loaded', '2025-01-01');
                INSERT INTO person (pseudonym, birth_date, sex, unit_id, identity_level, status, load_id, line) VALUES
                    ('a', '1990-01-01', 'F', 3, 2, 'active', 1, 2), ('b', '1980-01-01', 'M', 7, 1, 'active', 1, 3);
                INSERT INTO parcel (parcel_id, unit_id, area_m2, land_use, certificate_issued, record_digitised, load_id, line)
                    VALUES ('p1', 3, 100, 'ODT', 1, 1, 1, 2), ('p2', 7, 200, 'LUC', 0, 1, 1, 3);
                INSERT INTO enterprise (tax_code, name, unit_id, vsic_section, vsic_division, registered_on, status,
                                        e_invoice, load_id, line)
                    VALUES ('0100109106', 'X', 6, 'C', '10', '2001-01-01', 'active', 1, 1, 2);
                INSERT INTO observation (indicator, unit_id, period, year, value, load_id) VALUES
                    ('pop', 1, '2024', 2024, 3, 1), ('pop', 2, '2024', 2024, 2, 1), ('pop', 5, '2020', 2020, 1, 1)
                """)
            for table in Warehouse.sealedTables {
                let (rows, digest) = try db.digest(of: table)
                guard rows > 0 else { continue }
                try db.run("INSERT INTO seal (table_name, rows, digest, sealed_at, command) VALUES (?, ?, ?, ?, ?)",
                           [table, rows, String(format: "%016llx", digest), "2025-01-01T00:00:00Z", "chiso ingest"])
            }
            // Changed behind chiso's back after its seal: the migration must not make it look sealed.
            try db.run("UPDATE parcel SET area_m2 = 999 WHERE parcel_id = 'p2'")
        }
    }

    func testEveryRowGetsItsUnitsProvinceAndIntactTablesAreSealedAgain() throws {
        _ = try migrateAndCheck()
    }

    /// Makes a warehouse at version 11, opens it (which migrates it) and checks it: the database.
    func migrateAndCheck() throws -> Database {
        let location = try makeLocation()
        try makeVersion11Warehouse(at: location)
        let warehouse = try Warehouse(path: location)
        let db = warehouse.db
        XCTAssertEqual(try db.schemaVersion(), Schema.migrations.last?.version)
        XCTAssertEqual(try warehouse.quickCheck(), "ok", "SQLite's own check reads the rebuilt observation table right")
        let provinces = try db.rows("SELECT id, province_id FROM unit ORDER BY id").map { [$0["id"].int, $0["province_id"].int] }
        XCTAssertEqual(provinces, [[1, 1], [2, 2], [3, 2], [4, 4], [5, 2], [6, 2], [7, 2]],
                       "a unit before the merger lies in the 2025 province its province merged into; the nation in itself")
        for (table, key) in [("person", "pseudonym"), ("parcel", "parcel_id"), ("enterprise", "tax_code")] {
            let rows = try db.rows("SELECT \(key) AS k, province_id FROM \(table) ORDER BY \(key)")
            XCTAssertFalse(rows.isEmpty)
            XCTAssertTrue(rows.allSatisfy { $0["province_id"] == .integer(2) }, "\(table): \(rows.map(\.values))")
        }
        XCTAssertEqual(try db.rows("SELECT unit_id, province_id FROM observation ORDER BY unit_id").map { [$0["unit_id"].int, $0["province_id"].int] },
                       [[1, 1], [2, 2], [5, 2]])
        let checks = Dictionary(uniqueKeysWithValues: try warehouse.verify().map { ($0.table, $0) })
        for table in ["unit", "person", "enterprise", "observation", "crosswalk", "load"] {
            XCTAssertTrue(checks[table]?.intact == true, "\(table) is as sealed")
        }
        XCTAssertEqual(checks["person"]?.sealed?.command, "chiso (schema migration 12)")
        XCTAssertEqual(checks["load"]?.sealed?.command, "chiso ingest", "a table the migration left alone keeps its seal")
        XCTAssertEqual(checks["parcel"]?.intact, false, "a table changed before the migration still shows it")
        return db
    }
}

/// The same migration on PostgreSQL: the rows also move into their province's partition.
final class PostgresProvinceMigrationTests: ProvinceMigrationTests {
    override func makeLocation() throws -> String { try PostgresTestServer.freshDatabase(for: self, prefix: "chiso_migration") }

    override func testEveryRowGetsItsUnitsProvinceAndIntactTablesAreSealedAgain() throws {
        let db = try migrateAndCheck()
        for table in ["person", "parcel", "enterprise"] {
            let partitions = try db.rows("SELECT tableoid::regclass::text AS p, count(*) AS n FROM \(table) GROUP BY 1")
            XCTAssertEqual(partitions.map { $0["p"].text }, ["\(table)_p01"], "\(table)'s rows are in province 01's partition")
        }
        let figures = try db.rows("SELECT tableoid::regclass::text AS p, count(*) AS n FROM observation GROUP BY 1 ORDER BY 1")
        XCTAssertEqual(figures.map { [$0["p"].text, "\($0["n"].int ?? 0)"] }, [["observation_elsewhere", "1"], ["observation_p01", "2"]],
                       "the nation's figure lies in no province")
    }
}
