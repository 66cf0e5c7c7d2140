import Foundation
import Ingest
import Reference
@testable import Warehouse
import TestSupport
import XCTest

class IndicatorFileLoaderTests: XCTestCase {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets").path
    static let reference = Result { try ReferenceDataset(directory: datasets + "/reference") }

    var warehouse: Warehouse!
    var loader: IndicatorFileLoader!

    override func setUpWithError() throws {
        (warehouse, loader) = try Self.referenceLoader(at: try referenceWarehouse(), indicators: [
            ("DOSSIER_FULLY_ONLINE_SHARE", "percent", "RATIO"), ("POPULATION", "count", "SUM"),
        ])
    }

    /// A fresh warehouse with the reference units: in memory (`PostgresIndicatorFileLoaderTests`: on the
    /// test server).
    func referenceWarehouse() throws -> Warehouse {
        let warehouse = try Warehouse(path: ":memory:")
        try Self.storeReferenceUnits(warehouse)
        return warehouse
    }

    static func storeReferenceUnits(_ warehouse: Warehouse) throws {
        let reference = try Self.reference.get()
        try warehouse.storeUnits(reference.units, crosswalk: reference.crosswalk, aliases: reference.aliases)
    }

    /// A warehouse with the reference units (an in-memory one by default) with `indicators` (code, unit,
    /// aggregation), and a loader.
    static func referenceLoader(at given: Warehouse? = nil, indicators: [(String, String, String)]) throws
        -> (Warehouse, IndicatorFileLoader) {
        let warehouse = try given ?? {
            let warehouse = try Warehouse(path: ":memory:")
            try storeReferenceUnits(warehouse)
            return warehouse
        }()
        for (code, unit, aggregation) in indicators {
            try warehouse.db.run("INSERT INTO indicator VALUES (?, ?, ?, ?, 1, ?)", [code, code, code, unit, aggregation])
        }
        let loader = IndicatorFileLoader(warehouse: warehouse, units: try warehouse.unitDirectory(),
                                         indicators: try warehouse.indicators())
        return (warehouse, loader)
    }

    func count(_ table: String) throws -> Int64 { try warehouse.db.scalar("SELECT count(*) FROM \(table)").int ?? -1 }

    func testGoodRowsLoadAndEachBadRowGetsItsReason() throws {
        loader.maxRejectRate = 1
        let path = Self.corpus("mixed.csv")
        let (summary, rejects) = try loader.load(path: path)
        XCTAssertEqual(summary.status, .loaded)
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
        XCTAssertEqual(summary.status, .failed)
        XCTAssertEqual(rejects.count, 9)
        XCTAssertEqual(try count("observation"), 0)
        XCTAssertEqual(try warehouse.db.scalar("SELECT status FROM load"), .text("failed"), "the failure is on record")
        XCTAssertEqual(try count("reject"), 9, "its rejected rows are kept with their reasons")
    }

    func testSameFileAgainIsSkippedAndChangedValuesKeepRevisions() throws {
        let first = temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,VN,2023,40\n")
        XCTAssertEqual(try loader.load(path: first).summary.loaded, 1)
        let again = try loader.load(path: first).summary
        XCTAssertEqual(again.status, .skipped)
        let changed = temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,VN,2023,42.5\n")
        let revised = try loader.load(path: changed).summary
        XCTAssertEqual(revised.updated, 1)
        XCTAssertEqual(try warehouse.db.scalar("SELECT value FROM observation"), .real(42.5))
        XCTAssertEqual(try warehouse.db.scalar("SELECT value FROM observation_revision"), .real(40))
        // The first file again: its value was replaced, so it is loaded, not skipped, and puts it back; then it
        // stands, and is skipped.
        let restored = try loader.load(path: first).summary
        XCTAssertEqual([restored.status == .skipped ? 1 : 0, restored.updated], [0, 1])
        XCTAssertEqual(try warehouse.db.scalar("SELECT value FROM observation"), .real(40))
        XCTAssertEqual(try loader.load(path: first).summary.status, .skipped)
        XCTAssertEqual(try loader.load(path: changed).summary.updated, 1, "and the change again")
        // A file that only lists a value as stored (other bytes, same value) writes nothing; once a later file
        // changes the value, it is read again, not skipped, and puts it back.
        let same = temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,VN,2023,42.50\n")
        XCTAssertEqual(try loader.load(path: same).summary.unchanged, 1)
        XCTAssertEqual(try loader.load(path: first).summary.updated, 1)
        XCTAssertEqual(try loader.load(path: same).summary.updated, 1)
        XCTAssertEqual(try warehouse.db.scalar("SELECT value FROM observation"), .real(42.5))
        XCTAssertEqual(try loader.load(path: same).summary.status, .skipped, "then it stands")
    }

    /// A dry run writes nothing and counts what the load would do beside the stored values: it said "loaded"
    /// for every row of a file whose rows were all as stored.
    func testDryRunWritesNothingAndCountsWhatTheLoadWouldDo() throws {
        loader.dryRun = true
        let path = temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,VN,2023,40\nDOSSIER_FULLY_ONLINE_SHARE,VN,2022,30\n")
        XCTAssertEqual(try loader.load(path: path).summary.loaded, 2)
        XCTAssertEqual(try count("observation"), 0)
        XCTAssertEqual(try count("load"), 0)
        loader.dryRun = false
        XCTAssertEqual(try loader.load(path: path).summary.loaded, 2)
        let next = temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,VN,2023,40.0\n"
                                 + "DOSSIER_FULLY_ONLINE_SHARE,VN,2022,31\nDOSSIER_FULLY_ONLINE_SHARE,VN,2024,45\n")
        loader.dryRun = true
        let dry = try loader.load(path: next).summary
        XCTAssertEqual([dry.loaded, dry.updated, dry.unchanged], [1, 1, 1])
        XCTAssertEqual(dry.status, .checked, "not 'loaded': nothing was")
        XCTAssertTrue(dry.message?.hasSuffix("would add 1, revise 1 and find 1 as stored") ?? false, dry.message ?? "")
        loader.dryRun = false
        let stored = try loader.load(path: next).summary
        XCTAssertEqual([stored.loaded, stored.updated, stored.unchanged], [1, 1, 1], "as the dry run said")
        // A figure `aggregate` computed is replaced by a loaded one, not revised: the dry run counts it so too.
        try warehouse.db.run("UPDATE observation SET origin = 'aggregated' WHERE period = '2024'")
        let over = temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,VN,2024,46\n")
        loader.dryRun = true
        let wouldReplace = try loader.load(path: over).summary
        loader.dryRun = false
        let replaced = try loader.load(path: over).summary
        XCTAssertEqual([wouldReplace.loaded, wouldReplace.updated, wouldReplace.unchanged],
                       [replaced.loaded, replaced.updated, replaced.unchanged])
        XCTAssertEqual(replaced.loaded, 1)
    }

    /// Rows for Việt Nam or Hà Nội (which merged with nothing) before and after 1 July 2025 name one unit;
    /// province 79's (which took in two provinces) name two territories.
    func testTheSummaryCountsTheNationOnceAcrossTheTwoVersions() throws {
        let path = temporaryFile("""
            indicator,unit,period,value
            DOSSIER_FULLY_ONLINE_SHARE,VN,2024,40
            DOSSIER_FULLY_ONLINE_SHARE,VN,2025,45
            DOSSIER_FULLY_ONLINE_SHARE,79,2024,50
            DOSSIER_FULLY_ONLINE_SHARE,79,2025,55
            DOSSIER_FULLY_ONLINE_SHARE,01,2024,60
            DOSSIER_FULLY_ONLINE_SHARE,01,2025,65

            """)
        let summary = try loader.load(path: path).summary
        XCTAssertTrue(summary.message?.contains(", 4 units (1 nation, 3 provinces), DOSSIER_FULLY_ONLINE_SHARE, 2024-2025") ?? false,
                      summary.message ?? "")
    }

    func testMissingRequiredColumnNamesIt() {
        let path = temporaryFile("indicator,unit,value\nX,VN,1\n")
        XCTAssertThrowsError(try loader.load(path: path)) { error in
            XCTAssertEqual((error as? InputError)?.column, "period")
            XCTAssertEqual((error as? InputError)?.line, 1)
        }
    }

    func stored() throws -> [String: Double] { try storedValues(warehouse) }

    func testNamesAsRealFilesWriteThemResolveInTheirPeriod() throws {
        loader.maxRejectRate = 1
        let (summary, rejects) = try loader.load(path: Self.corpus("statistics-office/names.csv"))
        XCTAssertEqual(summary.loaded, 5, "\(rejects)")
        let values = try stored()
        XCTAssertEqual(values["2025 01|2025"], 8_807_000, "Ha Noi in 2025 is the 2025 Hà Nội")
        XCTAssertEqual(values["pre2025 79|2024"], 9_521_000, "ISO 3166-2 VN-SG")
        XCTAssertEqual(values["pre2025 VN|2024"], 101_112_700, "Country")
        XCTAssertEqual(values["pre2025 NCC|2024"], 20_968_500, "the statistics office's English region name")
        XCTAssertEqual(values["pre2025 760|2024"], 142_000, "Quận 1, a district with its type")
        let byLine = Dictionary(grouping: rejects, by: \.line)
        XCTAssertTrue(byLine[7]?.first?.message.contains("was a province until 2008") ?? false, "\(byLine[7] as Any)")
        XCTAssertEqual(byLine[8]?.first?.errorCode, "unit_not_in_force")
        XCTAssertTrue(byLine[8]?.first?.message.contains("it became 37 Ninh Bình") ?? false, "\(byLine[8] as Any)")
    }

    func testAUnitsVersionColumnSaysWhichVersionEachRowSpeaks() throws {
        let path = temporaryFile("""
            indicator,unit,period,value,units_version
            POPULATION,79,2024,14002600,2025
            POPULATION,79,2024,9521000,pre2025
            POPULATION,74,2024,2763100,
            POPULATION,74,2024,1,2025
            POPULATION,01,2024,1,2026

            """)
        loader.maxRejectRate = 1
        let (summary, rejects) = try loader.load(path: path)
        XCTAssertEqual(summary.loaded, 3)
        let values = try stored()
        XCTAssertEqual(values["2025 79|2024"], 14_002_600, "the new Hồ Chí Minh City's 2024, recomputed")
        XCTAssertEqual(values["pre2025 79|2024"], 9_521_000)
        XCTAssertEqual(values["pre2025 74|2024"], 2_763_100)
        XCTAssertEqual(rejects.map(\.errorCode), ["unit_not_in_force", "bad_version"])
        XCTAssertTrue(rejects[0].message.contains("it became 79"), rejects[0].message)
    }

    func testImplausibleValuesAndFuturePeriodsAreRejectedWithTheirReason() throws {
        var (warehouse, loader) = try Self.referenceLoader(at: try referenceWarehouse(), indicators: [
            ("DOSSIER_FULLY_ONLINE_SHARE", "percent", "RATIO"), ("POPULATION", "count", "SUM"), ("EGDI_RANK", "rank", "RANK"),
        ])
        loader.maxRejectRate = 1
        loader.asOf = "2026-12-01"
        let (summary, rejects) = try loader.load(path: Self.corpus("statistics-office/plausibility.csv"))
        XCTAssertEqual(summary.loaded, 1)
        XCTAssertEqual(summary.rejected, 6)
        let reasons = Dictionary(grouping: rejects, by: \.line).mapValues { $0.map { "\($0.column ?? "-") \($0.errorCode)" } }
        XCTAssertEqual(reasons, [
            2: ["value out_of_range"], 3: ["value out_of_range"], 4: ["period future_period"],
            5: ["numerator out_of_range"], 6: ["value out_of_range"], 7: ["value out_of_range"],
        ])
        XCTAssertTrue(rejects[0].message.contains("outside 0-100"), rejects[0].message)
        XCTAssertEqual(try warehouse.db.scalar("SELECT value FROM observation"), .real(45.8))
    }

    func testDecimalCommasAreReadAndAFileThatCouldMeanTwoThingsIsRefused() throws {
        let (summary, rejects) = try loader.load(path: Self.corpus("statistics-office/semicolon-decimal-comma.csv"))
        XCTAssertEqual(rejects, [])
        XCTAssertTrue(summary.message?.contains("decimal comma") ?? false, summary.message ?? "")
        let values = try storedValues(warehouse, indicator: "POPULATION")
        XCTAssertEqual(values["pre2025 01|2024"], 8_717_600)
        XCTAssertEqual(try warehouse.db.rows("SELECT value FROM observation WHERE indicator = 'DOSSIER_FULLY_ONLINE_SHARE' "
                                             + "ORDER BY value").map { $0["value"].double ?? .nan }, [0.5, 45.8])
        let ambiguous = Self.corpus("statistics-office/semicolon-ambiguous.csv")
        XCTAssertThrowsError(try loader.load(path: ambiguous)) { error in
            XCTAssertTrue("\(error)".contains("--decimal point or --decimal comma"), "\(error)")
        }
        loader.decimalMark = .comma
        let read = try loader.load(path: ambiguous).summary
        XCTAssertEqual(read.loaded + read.updated, 2)
        XCTAssertEqual(try stored()["pre2025 02|2024"], 911)
        XCTAssertEqual(try stored()["pre2025 01|2024"], 8717, "the later load revised Hà Nội with 8.717 read as 8717")
    }

    /// A quoted "8,718" in a comma-separated table in millions is 8.718 million or 8,718 million: refused until
    /// --decimal says (it loaded as 8,718,000,000 people); a "0,911" beside it decides, a "1.234" does not.
    func testAQuotedCommaNumberInACommaSeparatedFileIsRefusedUntilTheMarkIsSaid() throws {
        let table = "Dân số năm 2024\nTỉnh,Dân số (Triệu người)\nHà Nội,\"8,718\"\nSơn La,\"1,331\"\n"
        var refused = loader!
        XCTAssertThrowsError(try refused.loadStatisticsOfficeTable(path: temporaryFile(table), indicator: "POPULATION")) { error in
            XCTAssertTrue("\(error)".contains("numbers such as '8,718' could be read with a decimal point or a decimal comma"),
                          "\(error)")
        }
        XCTAssertEqual(try stored(), [:])
        refused.decimalMark = .comma
        XCTAssertEqual(try refused.loadStatisticsOfficeTable(path: temporaryFile(table), indicator: "POPULATION").summary.loaded, 2)
        XCTAssertEqual(try stored()["pre2025 01|2024"], 8_718_000)
        let decided = table + "Hà Giang,\"0,911\"\n"
        XCTAssertEqual(try loader.loadStatisticsOfficeTable(path: temporaryFile(decided), indicator: "POPULATION").summary.updated, 0)
        XCTAssertEqual(try stored()["pre2025 02|2024"], 911_000)
        XCTAssertEqual(try loader.load(path: temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,02,2023,1.234\n"))
                        .summary.loaded, 1)
        XCTAssertEqual(try warehouse.db.scalar("SELECT value FROM observation WHERE indicator = 'DOSSIER_FULLY_ONLINE_SHARE'"),
                       .real(1.234), "unquoted in comma-separated text, 1.234 has a decimal point")
    }

    /// A percentage written with its sign, as a spreadsheet formats it ("45,8%"), is that percentage; a count
    /// with one is still refused.
    func testAPercentageWrittenWithItsSignIsThatPercentage() throws {
        let path = temporaryFile("indicator;unit;period;value\nDOSSIER_FULLY_ONLINE_SHARE;01;2024;45,8%\n"
                                 + "DOSSIER_FULLY_ONLINE_SHARE;02;2024;50%\nPOPULATION;01;2024;8%\n")
        loader.maxRejectRate = 0.5
        let (summary, rejects) = try loader.load(path: path)
        XCTAssertEqual(summary.loaded, 2)
        XCTAssertEqual(rejects.map(\.line), [4])
        XCTAssertEqual(try stored()["pre2025 01|2024"], 45.8)
        XCTAssertEqual(try stored()["pre2025 02|2024"], 50)
    }

    /// Shares exported as fractions (0.458) loaded as less than 1%: a file whose every share lies within 0 and 1
    /// could mean either, and is refused until --shares says which; a column labelled "%" says percent.
    func testSharesWithinZeroAndOneAreRefusedUntilTheScaleIsSaid() throws {
        let path = temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,01,2024,0.458\n"
                                 + "DOSSIER_FULLY_ONLINE_SHARE,02,2024,0.512\nDOSSIER_FULLY_ONLINE_SHARE,VN,2024,1\n")
        XCTAssertThrowsError(try loader.load(path: path)) { error in
            XCTAssertTrue("\(error)".contains("every DOSSIER_FULLY_ONLINE_SHARE value in the file lies within 0 and 1 (such as "
                                              + "0.458): say --shares fraction if they are fractions (read as 45.8%), or "
                                              + "--shares percent"), "\(error)")
        }
        XCTAssertEqual(try count("observation"), 0)
        loader.shares = .fraction
        XCTAssertEqual(try loader.load(path: path).summary.loaded, 3)
        XCTAssertEqual(try stored(), ["pre2025 01|2024": 45.8, "pre2025 02|2024": 51.2, "pre2025 VN|2024": 100])
        loader.shares = .percent
        XCTAssertEqual(try loader.load(path: path).summary.updated, 3)
        XCTAssertEqual(try stored()["pre2025 01|2024"], 0.458)
        // A share above 1 says percent for its indicator only: another indicator's fractions beside it are
        // refused all the same. A table's column labelled "(%)" says percent itself; "Tỷ lệ" (a ratio) does not.
        loader.shares = nil
        XCTAssertEqual(try loader.load(path: temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,01,2023,0.5\n"
                                                            + "DOSSIER_FULLY_ONLINE_SHARE,02,2023,12.5\n")).summary.loaded, 2)
        XCTAssertThrowsError(try loader.load(path: temporaryFile("indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,01,2021,0.458\n"
                                                                 + "DOSSIER_FULLY_ONLINE_SHARE,02,2021,0.5\nPOPULATION,01,2021,8330800\n"))) {
            XCTAssertTrue("\($0)".contains("every DOSSIER_FULLY_ONLINE_SHARE value"), "\($0)")
        }
        let table = temporaryFile("Tỉnh,Tỷ lệ hồ sơ trực tuyến toàn trình 2022 (%)\nHà Nội,0.6\nHà Giang,0.4\n")
        XCTAssertEqual(try loader.loadStatisticsOfficeTable(path: table, indicator: "DOSSIER_FULLY_ONLINE_SHARE").summary.loaded, 2)
        XCTAssertEqual(try stored()["pre2025 01|2022"], 0.6)
        let ratio = temporaryFile("Tỉnh,Tỷ lệ hồ sơ trực tuyến toàn trình 2020\nHà Nội,0.6\nHà Giang,0.4\n")
        XCTAssertThrowsError(try loader.loadStatisticsOfficeTable(path: ratio, indicator: "DOSSIER_FULLY_ONLINE_SHARE")) {
            XCTAssertTrue("\($0)".contains("--shares fraction"), "\($0)")
        }
    }

    func testAValueFarFromTheRestOfItsSeriesIsKeptWithAWarning() throws {
        var csv = "indicator,unit,period,value\n"
        for (year, thousands) in [(2016, 7590.8), (2017, 7742.2), (2018, 7914.5), (2019, 8093.9), (2020, 8246.5)] {
            csv += "POPULATION,01,\(year),\(Int(thousands * 1000))\n"
        }
        XCTAssertEqual(try loader.load(path: temporaryFile(csv)).summary.warnedByReason, [:])
        // The area in km2 where the population belongs.
        let (summary, rejects) = try loader.load(path: temporaryFile("indicator,unit,period,value\nPOPULATION,01,2021,3360\n"))
        XCTAssertEqual(rejects, [])
        XCTAssertEqual(summary.loaded, 1, "kept")
        XCTAssertEqual(summary.warnedByReason, ["outlier": 1])
        XCTAssertTrue(summary.message?.contains("POPULATION of 01 Hà Nội in 2021: 3360 against a median of 7828350")
                      ?? false, summary.message ?? "")
        let stored = try warehouse.warnings(load: try XCTUnwrap(summary.loadID))
        XCTAssertEqual(stored.map(\.errorCode), ["outlier"])
        XCTAssertEqual(stored.first?.line, 2)
        // The modified z-score, by hand: median 7828350 of the six values, MAD 251550.
        let values = [7590800.0, 7742200, 7914500, 8093900, 8246500, 3360]
        let scores = try XCTUnwrap(OutlierTest.scores(values))
        assertClose(scores[5], 0.6745 * (3360 - 7_828_350) / 251_550, Tolerance.rounding)
    }

    func testAWorkbookIsReadAsATidyFileAndAnOldExcelFileIsRefusedWithTheFix() throws {
        let xls = temporaryFile([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + Array(repeating: 0, count: 512),
                                name: "old.xls")
        XCTAssertThrowsError(try loader.load(path: xls)) { error in
            XCTAssertTrue("\(error)".contains("save it as .xlsx or CSV UTF-8"), "\(error)")
        }
        let folder = NSTemporaryDirectory() + "chiso-dir-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        XCTAssertThrowsError(try loader.load(path: folder)) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
    }

    static func corpus(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus/\(name)").path
    }
}

/// The stored observations (of `indicator`, or all) as "version code|period" -> value, e.g. "pre2025 01|2024".
func storedValues(_ warehouse: Warehouse, indicator: String? = nil) throws -> [String: Double] {
    var values: [String: Double] = [:]
    for row in try warehouse.db.rows("""
        SELECT u.version, u.code, o.period, o.value FROM observation o JOIN unit u ON u.id = o.unit_id
        WHERE CAST(? AS TEXT) IS NULL OR o.indicator = ?
        """, [indicator, indicator]) {
        values["\(row["version"].text ?? "") \(row["code"].text ?? "")|\(row["period"].text ?? "")"] = row["value"].double
    }
    return values
}
