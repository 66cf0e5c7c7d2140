import Foundation
import Ingest
import TestSupport
@testable import Warehouse
import XCTest

/// Registry loads into a PostgreSQL warehouse, with every test and assertion of `RegistryLoaderTests`: among
/// them every bad row of each registry's corpus rejected with its reason and the good ones loaded (by COPY, into
/// empty tables), and a changed file revising stored records (looked up key by key) with their revisions and
/// seals.
final class PostgresRegistryLoaderTests: RegistryLoaderTests {
    override func setUpWithError() throws {
        warehouse = try Warehouse(path: try PostgresTestServer.freshDatabase(
            for: self, prefix: "chiso_registry", template: try PostgresIndicatorFileLoaderTests.referenceTemplate()))
        units = try warehouse.unitDirectory()
    }

    // Linux's XCTest discovers a subclass's tests only when it declares one; then every test it inherits runs
    // too: all of RegistryLoaderTests', here on PostgreSQL.
    override func testSameFileIsSkippedAndAChangedFileUpdatesKeepingRevisions() throws {
        try super.testSameFileIsSkippedAndAChangedFileUpdatesKeepingRevisions()
    }

    /// A changed extract beside ten thousand stored records - records updated, moved to another province,
    /// refused for a changed birth date, new and unchanged - is merged on the server set by set, and leaves
    /// the same records, revisions and rejects as SQLite's merge key by key.
    func testARevisedExtractLeavesTheSameRecordsAsOnSQLite() throws {
        let original = IndicatorFileLoaderTests.datasets + "/sample/synthetic/population.csv"
        var lines = try String(contentsOfFile: original, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for i in 1..<lines.count where lines[i].count == 7 {
            if i % 7 == 0 { lines[i][6] = lines[i][6] == "active" ? "deceased" : "active" }
            if i % 11 == 0, i + 1 < lines.count, lines[i + 1].count == 7 { lines[i][3] = lines[i + 1][3] }
            if i % 13 == 0, lines[i][1].count == 10 { lines[i][1] = String(lines[i][1].prefix(8)) + "01" }
        }
        lines += (0..<50).map { ["0790\(String(format: "%08d", 10_000_000 + $0))", "1990-05-05", "F", lines[1][3], "2", "2024-02-02", "active"] }
        let revised = temporaryFile(lines.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n", name: "revised.csv")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        let (local, localUnits) = try Self.referenceWarehouse(path: folder + "/w.sqlite")
        var outcomes: [[String]] = []
        for (store, directory) in [(local, localUnits), (warehouse!, units!)] {
            var results: [String] = []
            for path in [original, revised] {
                var loader = try RegistryLoader(warehouse: store, units: directory, registry: .population, asOf: "2024-12-31",
                                                pseudonymiser: try Pseudonymiser(key: Self.key))
                loader.maxRejectRate = 1
                let (summary, rejects) = try loader.load(path: path)
                results.append("\(summary.loaded) \(summary.updated) \(summary.unchanged) \(summary.rejected) "
                               + rejects.map { "\($0.line):\($0.errorCode)" }.joined(separator: ","))
            }
            results += try store.db.rows("""
                SELECT p.pseudonym, p.birth_date, p.sex, u.code AS unit, u.version, p.identity_level, p.identity_registered_on,
                       p.status, p.line, province.code AS province
                FROM person p JOIN unit u ON u.id = p.unit_id JOIN unit province ON province.id = p.province_id ORDER BY p.pseudonym
                """).map { $0.values.map { "\($0)" }.joined(separator: "|") }
            results += try store.db.rows("SELECT record_key, previous FROM registry_revision ORDER BY record_key")
                .map { $0.values.map { "\($0)" }.joined(separator: "|") }
            XCTAssertTrue(try store.verify().allSatisfy(\.intact), "seals made from the rows merged")
            outcomes.append(results)
        }
        XCTAssertGreaterThan(outcomes[0].count, 10_000)
        let counts = outcomes[0][1].split(separator: " ").prefix(4).compactMap { Int($0) }
        XCTAssertTrue(counts.count == 4 && counts.allSatisfy { $0 > 0 }, "every path is taken: \(outcomes[0][1].prefix(80))")
        XCTAssertEqual(outcomes[1].count, outcomes[0].count)
        for (server, file) in zip(outcomes[1], outcomes[0]) where server != file {
            XCTFail("PostgreSQL: \(server.prefix(300))\nSQLite:     \(file.prefix(300))")
            break
        }
    }

    /// A row whose key may have been sent already is held back until the file's keys are compared, and a row
    /// may be sent before an earlier line of its key (batches come in the order their checks end). A filter of
    /// keys sent of 8,192 bits fills as 2,000 keys go in, so that rows are held back for their key and for
    /// nothing; some keys repeat, on later and on earlier lines in batches staged out of order; in a first load
    /// and beside stored records. Each key's earliest line is the one kept, the others refused naming it, and
    /// the table, the refusals and the seal are those of SQLite's merge in key order.
    func testRowsHeldBackOrSentBeforeAnEarlierLineLeaveEachKeysFirstLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        let (local, _) = try Self.referenceWarehouse(path: folder + "/w.sqlite")
        // Lines 2...2001, each with a key of its own but every 97th line, which has the key of the line 50 before
        // it, and every 89th, the key of the line 30 after it (lines 890, 920 and 970 share one). The batches of
        // 250 lines go second, first, fourth, third, then the rest from the last: line 291 (the key of line 241)
        // comes before line 241. The area differs from the first load to the second.
        let keyOfLine = { (line: Int) in String(format: "00001-1-%d", line % 97 == 0 ? line - 50 : line % 89 == 0 ? line + 30 : line) }
        let order = [1, 0, 3, 2, 7, 6, 5, 4], fileBytes = 16_384
        func batches(area: Double, unit: Int64) -> [StagedRows] {
            order.map { index in
                var rows = StagedRows()
                for line in (2 + 250 * index)..<(2 + 250 * (index + 1)) {
                    rows.append([.text(keyOfLine(line)), .integer(unit), .real(area + Double(line)), .text("ONT"), .integer(1),
                                 .integer(Int64(line % 2))], line: line, rawAt: line, rawLength: 1)
                }
                return rows
            }
        }
        // What the writer's filter says of each line, in the order they are staged: the paths this test takes.
        let filter = try KeyFilter(fileBytes: fileBytes)
        var held: [Int: Bool] = [:], keysStaged = Set<String>(), heldForNothing = 0
        for line in order.flatMap({ (2 + 250 * $0)..<(2 + 250 * ($0 + 1)) }) {
            let key = keyOfLine(line)
            held[line] = key.utf8.withContiguousStorageIfAvailable { filter.insert(UnsafeRawBufferPointer($0)) }!
            if held[line]! && !keysStaged.contains(key) { heldForNothing += 1 }
            keysStaged.insert(key)
        }
        XCTAssertEqual([291, 241, 890, 920, 970].map { held[$0] }, [false, true, false, true, true],
                       "line 291 sent before line 241, held; of 890, 920 and 970 the first sent")
        XCTAssertTrue((1...1500).contains(heldForNothing), "\(heldForNothing) rows held back for nothing")
        var outcomes: [[String]] = []
        for store in [local, warehouse!] {
            let db: Database = store.db
            let unit = try XCTUnwrap(try db.scalar("SELECT id FROM unit WHERE code = '00001'").int)
            var results: [String] = []
            for (load, area) in [(98, 100.0), (99, 200.0)] {
                try db.transaction {
                    try db.run("""
                        INSERT INTO load (id, file, sha256, format, dataset, status, started_at)
                        VALUES (?, 'x.csv', ?, 'registry-csv', 'land', 'loaded', '2026-12-01')
                        """, [load, "x\(load)"])
                    let writer = try RegistryWriter(db: db, registry: .land, loadID: load, fileBytes: fileBytes)
                    for batch in batches(area: area, unit: unit) { try writer.stage(batch) }
                    let merged = try writer.merge()
                    results.append("\(merged.inserted) \(merged.updated) \(merged.unchanged) "
                                   + merged.refused.map { "\($0.line):\($0.reason)" }.joined(separator: ","))
                }
            }
            results += try db.rows("SELECT parcel_id, area_m2, load_id, line FROM parcel ORDER BY parcel_id")
                .map { $0.values.map { "\($0)" }.joined(separator: "|") }
            XCTAssertTrue(try store.verify().allSatisfy(\.intact), "seals made from the rows merged")
            outcomes.append(results)
        }
        XCTAssertEqual(outcomes[1], outcomes[0])
        // Independently: the keys of lines 2...2001 and the earliest line of each.
        var first: [String: Int] = [:]
        for line in 2...2001 { first[keyOfLine(line)] = min(first[keyOfLine(line)] ?? line, line) }
        XCTAssertEqual(outcomes[1][0].split(separator: " ").first.flatMap { Int($0) }, first.count)
        XCTAssertEqual(outcomes[1].count, 2 + first.count)
        for row in outcomes[1].dropFirst(2) {
            let fields = row.split(separator: "|").map(String.init)
            XCTAssertEqual(fields.last.flatMap { Int($0) }, first[fields[0]], row)
        }
        XCTAssertTrue(outcomes[1][1].hasPrefix("0 \(first.count) 0 "), outcomes[1][1].prefix(40) + "")
    }

    /// A first load streams into its table without the primary key and builds the key once the rows are in,
    /// inside the load's transaction: the key is there after a load that commits, and after one refused for
    /// its rejects or failing on a unit the warehouse lacks (rolled back, the key's drop with it). The keys
    /// compare as bytes, as on SQLite.
    func testAFirstLoadLeavesThePrimaryKeyWhetherItCommitsOrNot() throws {
        let primaryKeys = {
            try self.warehouse.db.rows("""
                SELECT c.relname || ' ' || pg_get_constraintdef(k.oid) AS key FROM pg_constraint k
                JOIN pg_class c ON c.oid = k.conrelid WHERE k.contype = 'p' AND c.relname IN ('parcel', 'parcel_p01')
                ORDER BY 1
                """).compactMap { $0["key"].text }
        }
        let keys = ["parcel PRIMARY KEY (parcel_id, province_id)", "parcel_p01 PRIMARY KEY (parcel_id, province_id)"]
        XCTAssertEqual(try primaryKeys(), keys)
        var strict = try loader(.land)
        strict.maxRejectRate = 0.05
        XCTAssertEqual(try strict.load(path: IndicatorFileLoaderTests.corpus("registries/land-malformed.csv")).summary.status, .failed)
        XCTAssertEqual(try primaryKeys(), keys, "a refused first load")
        // A writer that fails (a unit the warehouse lacks) inside its transaction, after the key's drop.
        let db: Database = warehouse.db
        XCTAssertThrowsError(try db.transaction {
            try db.run("""
                INSERT INTO load (id, file, sha256, format, dataset, status, started_at)
                VALUES (99, 'x.csv', 'x', 'registry-csv', 'land', 'loaded', '2026-12-01')
                """)
            let writer = try RegistryWriter(db: db, registry: .land, loadID: 99, fileBytes: 100)
            var rows = StagedRows()
            rows.append([.text("00001-1-1"), .integer(999_999), .real(1), .text("ONT"), .integer(1), .integer(1)],
                        line: 2, rawAt: 0, rawLength: 1)
            try writer.stage(rows)
            _ = try writer.merge()
        }) { XCTAssertTrue("\($0)".contains("not in the warehouse: 999999"), "\($0)") }
        XCTAssertEqual(try count("parcel"), 0)
        XCTAssertEqual(try primaryKeys(), keys, "a first load that failed")
        let header = "parcel_id,unit,area_m2,land_use,certificate_issued,record_digitised\n"
        let (loaded, _) = try loader(.land).load(path: temporaryFile(header + "00001-1-2,00001,250.5,ONT,true,true\n"
                                                                      + "00001-1-1,00001,100,LUA,true,false\n"))
        XCTAssertEqual(loaded.loaded, 2)
        XCTAssertEqual(try primaryKeys(), keys)
        XCTAssertEqual(try warehouse.db.rows("SELECT parcel_id FROM parcel ORDER BY parcel_id").compactMap { $0["parcel_id"].text },
                       ["00001-1-1", "00001-1-2"])
        XCTAssertEqual(try warehouse.db.scalar("""
            SELECT collation_name FROM information_schema.columns WHERE table_name = 'parcel' AND column_name = 'parcel_id'
            """).text, "C")
    }
}
