import Foundation
import Ingest
import Reference
import Warehouse
import XCTest

final class IndicatorFileLoaderTests: XCTestCase {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets").path
    static let reference = Result { try ReferenceDataset(directory: datasets + "/reference") }

    var warehouse: Warehouse!
    var loader: IndicatorFileLoader!

    override func setUpWithError() throws {
        (warehouse, loader) = try Self.referenceLoader(indicators: [
            ("DOSSIER_FULLY_ONLINE_SHARE", "percent", "RATIO"), ("POPULATION", "count", "SUM"),
        ])
    }

    /// An in-memory warehouse with the reference units and `indicators` (code, unit, aggregation), and a loader.
    static func referenceLoader(indicators: [(String, String, String)]) throws -> (Warehouse, IndicatorFileLoader) {
        let warehouse = try Warehouse(path: ":memory:")
        let reference = try Self.reference.get()
        try ReferenceStore.store(units: reference.units, crosswalk: reference.crosswalk, aliases: reference.aliases,
                                 in: warehouse.db)
        for (code, unit, aggregation) in indicators {
            try warehouse.db.run("INSERT INTO indicator VALUES (?, ?, ?, ?, 1, ?)", [code, code, code, unit, aggregation])
        }
        let loader = IndicatorFileLoader(warehouse: warehouse, units: try ReferenceStore.directory(from: warehouse.db),
                                         indicators: Set(indicators.map(\.0)))
        return (warehouse, loader)
    }

    func count(_ table: String) throws -> Int64 { try warehouse.db.scalar("SELECT count(*) FROM \(table)").int ?? -1 }

    func testGoodRowsLoadAndEachBadRowGetsItsReason() throws {
        loader.maxRejectRate = 1
        let path = Self.corpus("mixed.csv")
        let (summary, rejects) = try loader.load(path: path)
        XCTAssertEqual(summary.status, "loaded")
        XCTAssertEqual(summary.loaded, 5)
        let reasons = Dictionary(grouping: rejects, by: \.line).mapValues { $0.map(\.errorCode).sorted() }
        XCTAssertEqual(reasons, [
            7: ["unknown_indicator"], 8: ["unknown_unit"], 9: ["bad_period"], 10: ["not_a_number"],
            11: ["column_count"], 12: ["incomplete_ratio"], 13: ["duplicate_key"], 14: ["unit_not_in_force"],
            15: ["out_of_range"],
        ])
        XCTAssertEqual(summary.rejected, 9)
        XCTAssertEqual(try count("observation"), 5)
        XCTAssertEqual(try count("reject"), 9)
        let stored = try warehouse.rejects(load: try XCTUnwrap(summary.loadID))
        XCTAssertEqual(stored.first { $0.line == 8 }?.column, "unit")
        XCTAssertTrue(stored.first { $0.line == 8 }?.message.contains("nearest") ?? false)
        XCTAssertEqual(stored.first { $0.line == 14 }?.raw, "POPULATION,17,2025,850000,,,")
        // Names written as real files write them resolve to the right units.
        let units = try warehouse.db.rows("""
            SELECT u.code, u.version FROM observation o JOIN unit u ON u.id = o.unit_id ORDER BY u.code
            """).map { "\($0["code"].text ?? "")/\($0["version"].text ?? "")" }
        XCTAssertEqual(Set(units), ["17/pre2025", "79/pre2025", "79/2025", "VN/pre2025"])
    }

    func testTooManyRejectsFailTheFileAndLeaveTheWarehouseAsItWas() throws {
        let (summary, rejects) = try loader.load(path: Self.corpus("mixed.csv"))
        XCTAssertEqual(summary.status, "failed")
        XCTAssertEqual(rejects.count, 9)
        XCTAssertEqual(try count("observation"), 0)
        XCTAssertEqual(try warehouse.db.scalar("SELECT status FROM load"), .text("failed"), "the failure is on record")
        XCTAssertEqual(try count("reject"), 9, "its rejected rows are kept with their reasons")
    }

    func testSameFileAgainIsSkippedAndChangedValuesKeepRevisions() throws {
        let first = temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,VN,2023,40\n")
        XCTAssertEqual(try loader.load(path: first).summary.loaded, 1)
        let again = try loader.load(path: first).summary
        XCTAssertEqual(again.status, "skipped")
        let changed = temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,VN,2023,42.5\n")
        let revised = try loader.load(path: changed).summary
        XCTAssertEqual(revised.updated, 1)
        XCTAssertEqual(try warehouse.db.scalar("SELECT value FROM observation"), .real(42.5))
        XCTAssertEqual(try warehouse.db.scalar("SELECT value FROM observation_revision"), .real(40))
    }

    func testDryRunWritesNothing() throws {
        loader.dryRun = true
        let path = temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,VN,2023,40\n")
        XCTAssertEqual(try loader.load(path: path).summary.loaded, 1)
        XCTAssertEqual(try count("observation"), 0)
        XCTAssertEqual(try count("load"), 0)
    }

    func testMissingRequiredColumnNamesIt() {
        let path = temporaryFile("indicator,unit,value\nX,VN,1\n")
        XCTAssertThrowsError(try loader.load(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.column, "period")
            XCTAssertEqual((error as? InputError)?.line, 1)
        }
    }

    static func corpus(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/\(name)").path
    }
}
