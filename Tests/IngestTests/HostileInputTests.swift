import Foundation
import Ingest
import Reference
@testable import Warehouse
import XCTest

/// Bytes that would change a number, markers of missing values and fields of any size: each is accounted for
/// the same way in every format, and costs in proportion to its size.
final class HostileInputTests: XCTestCase {
    var warehouse: Warehouse!
    var loader: IndicatorFileLoader!

    override func setUpWithError() throws {
        (warehouse, loader) = try IndicatorFileLoaderTests.referenceLoader(indicators: [
            ("POPULATION", "count", "SUM"), ("DOSSIER_FULLY_ONLINE_SHARE", "percent", "RATIO"),
        ])
        loader.maxRejectRate = 1
        loader.asOf = "2026-12-01"
    }

    func codes(_ rejects: [RejectedRow]) -> [String] { rejects.map { "\($0.line):\($0.errorCode)" } }

    func landLoader() throws -> RegistryLoader {
        var land = try RegistryLoader(warehouse: warehouse, units: try warehouse.unitDirectory(),
                                      registry: .land, asOf: "2024-12-31", pseudonymiser: nil)
        land.maxRejectRate = 1
        return land
    }

    func testControlBytesInsideAFieldRejectTheRowShownEscaped() throws {
        let tidy = try loader.load(path: temporaryFile(
            "indicator,unit,period,value\nPOPULATION,01,2024,4\u{0}0.5\nPOPULATION,02,2024,911\u{1B}400\nPOPULATION,04,2024,7\n"))
        XCTAssertEqual(codes(tidy.rejects), ["2:control_character", "3:control_character"])
        XCTAssertEqual(tidy.rejects[0].raw, "POPULATION,01,2024,4\\u00000.5")
        XCTAssertTrue(tidy.rejects[1].message.contains("\\u001B after '911'"), tidy.rejects[1].message)
        XCTAssertEqual(tidy.summary.loaded, 1)
        // In a registry too: a NUL inside an area would have read 4 where 40.5 was written.
        let parcels = try landLoader().load(path: temporaryFile("""
            parcel_id,unit,area_m2,land_use,certificate_issued,record_digitised
            00001-1-1,00001,4\u{0}0.5,ONT,true,true
            00001-1-2,00001,1200,LUA,có,không

            """))
        XCTAssertEqual(codes(parcels.rejects), ["2:control_character"])
        XCTAssertEqual(parcels.rejects.first?.column, "area_m2")
        XCTAssertEqual(try warehouse.db.scalar("SELECT count(*) FROM parcel").int, 1)
        // A tab and a quoted line break are text.
        let text = try loader.load(path: temporaryFile("indicator,unit,period,value,source\nPOPULATION,06,2024,5,\"a\tb\nc\"\n"))
        XCTAssertEqual(text.rejects, [])
    }

    func testALastLineWithoutItsLineBreakIsCheckedAndAThinnerNumberThereIsCutShort() throws {
        let header = "indicator,unit,period,value\n"
        let cut = try loader.load(path: temporaryFile(header + "DOSSIER_FULLY_ONLINE_SHARE,01,2024,61.25\n"
                                                      + "DOSSIER_FULLY_ONLINE_SHARE,02,2024,50.50\nDOSSIER_FULLY_ONLINE_SHARE,04,2024,48.7"))
        XCTAssertEqual(codes(cut.rejects), ["4:cut_short"])
        XCTAssertTrue(cut.rejects[0].message.contains("'48.7' has 1 decimal where every other value of the file has 2"))
        XCTAssertEqual(cut.summary.loaded, 2)
        // The same file whole loads all three; without its last line break but complete, with a warning.
        let whole = try loader.load(path: temporaryFile(header + "DOSSIER_FULLY_ONLINE_SHARE,01,2023,61.25\n"
                                                        + "DOSSIER_FULLY_ONLINE_SHARE,02,2023,50.50\nDOSSIER_FULLY_ONLINE_SHARE,04,2023,48.70\n"))
        XCTAssertEqual([whole.summary.loaded, whole.rejects.count], [3, 0])
        XCTAssertEqual(whole.summary.warnedByReason, [:])
        let unterminated = try loader.load(path: temporaryFile(header + "POPULATION,01,2022,8717\nPOPULATION,02,2022,911\n"
                                                               + "POPULATION,04,2022,48"))
        XCTAssertEqual([unterminated.summary.loaded, unterminated.rejects.count], [3, 0])
        XCTAssertEqual(unterminated.summary.warnedByReason, ["no_final_line_break": 1])
        XCTAssertTrue(unterminated.summary.message?.contains("ends without a line break after line 4") ?? false)
        XCTAssertEqual(try warehouse.db.scalar("SELECT count(*) FROM load_warning WHERE code = 'no_final_line_break'").int, 1)
        // A registry row cut inside its last field fails its own rule; a complete one gets the warning.
        let parcels = try landLoader().load(path: temporaryFile("""
            parcel_id,unit,area_m2,land_use,certificate_issued,record_digitised
            00001-1-1,00001,40.5,ONT,true,true
            00001-1-2,00001,1200,LUA,có,khô
            """))
        XCTAssertEqual(codes(parcels.rejects), ["3:bad_flag"])
        XCTAssertEqual(parcels.summary.warnedByReason, ["no_final_line_break": 1])
    }

    func testMissingValueMarkersAreOneSetCountedAsMissingInEveryFormat() throws {
        let markers = ["", "..", "...", "…", "-", "x", "NA", "N/A", "#N/A", "NaN", "nan", "-NaN"]
        let units = ["01", "02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "19"]
        let tidy = try loader.load(path: temporaryFile("indicator,unit,period,value\n"
            + zip(units, markers).map { "POPULATION,\($0),2024,\"\($1)\"\n" }.joined()))
        XCTAssertEqual(tidy.rejects, [])
        XCTAssertEqual([tidy.summary.loaded, tidy.summary.missing], [12, 12])
        XCTAssertEqual(try warehouse.db.scalar("SELECT count(*) FROM observation WHERE value IS NULL").int, 12)
        let sdmx = try loader.loadSDMX(path: temporaryFile("STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n"
            + zip(units, markers).map { "dataflow,X:Y(1.0),I,POPULATION,\($0),2023,\"\($1)\"\n" }.joined()))
        XCTAssertEqual(sdmx.rejects, [])
        XCTAssertEqual([sdmx.summary.loaded, sdmx.summary.missing], [12, 12])
        // A table's missing cells are no observation, counted the same.
        let table = try loader.loadStatisticsOfficeTable(path: temporaryFile(
            "Tỉnh;2019;2020;2021\n" + zip(["Hà Nội", "Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai"],
                                         markers.chunked(2)).map { "\($0);100;\($1[0]);\($1[1])\n" }.joined()),
            indicator: "POPULATION", measures: [], period: nil)
        XCTAssertEqual(table.rejects, [])
        XCTAssertEqual([table.summary.loaded, table.summary.missing], [6, 12])
        // Not a marker, not a number: rejected.
        let other = try loader.load(path: temporaryFile("indicator,unit,period,value\nPOPULATION,01,2022,n.a.\nPOPULATION,02,2022,inf\n"))
        XCTAssertEqual(codes(other.rejects), ["2:not_a_number", "3:not_a_number"])
    }

    func testAPeriodAfterTheLoadsDateIsRejectedInEveryFormat() throws {
        let tidy = try loader.load(path: temporaryFile("indicator,unit,period,value\nPOPULATION,01,2099,5\nPOPULATION,01,2026-Q4,5\n"))
        XCTAssertEqual(codes(tidy.rejects), ["2:future_period"])
        let sdmx = try loader.loadSDMX(path: temporaryFile(
            "STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\ndataflow,X:Y(1.0),I,POPULATION,01,2099,5\n"))
        XCTAssertEqual(codes(sdmx.rejects), ["2:future_period"])
        let table = try loader.loadStatisticsOfficeTable(path: temporaryFile("Tỉnh;2024;2099\nHà Nội;8718;9000\n"),
                                                         indicator: "POPULATION", measures: [], period: nil)
        XCTAssertEqual(table.rejects.map(\.errorCode), ["future_period"])
        XCTAssertEqual(table.summary.loaded, 1)
    }

    func testAFieldOfAnySizeCostsItsBytesAndItsRejectStaysSmall() throws {
        let mebibyte = String(repeating: "x", count: 1 << 20)
        let huge = try loader.load(path: temporaryFile("indicator,unit,period,value\nPOPULATION,\(mebibyte),2024,5\nPOPULATION,01,2024,6\n"))
        XCTAssertEqual(codes(huge.rejects), ["2:field_too_long"])
        XCTAssertEqual(huge.rejects[0].column, "unit")
        XCTAssertTrue(huge.rejects[0].message.contains("field 2 has 1048576 bytes, more than the 65536"))
        // Just under the limit: an unknown name, searched for no nearest names, its reject an excerpt.
        let long = String(repeating: "Hà Nội ", count: 6_000)
        let unknown = try loader.load(path: temporaryFile("indicator,unit,period,value\nPOPULATION,\(long),2023,5\n"))
        XCTAssertEqual(codes(unknown.rejects), ["2:unknown_unit"])
        for reject in [huge.rejects[0], unknown.rejects[0]] {
            XCTAssertLessThanOrEqual(reject.message.count, RejectedRow.excerptLimit)
            XCTAssertLessThanOrEqual(reject.raw?.count ?? 0, RejectedRow.excerptLimit)
        }
        XCTAssertTrue(unknown.rejects[0].raw?.contains("bytes in all]") ?? false)
        let stored = try warehouse.db.scalar("SELECT max(length(raw) + length(message)) FROM reject").int ?? 0
        XCTAssertLessThanOrEqual(stored, Int64(2 * RejectedRow.excerptLimit))
    }
}

private extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
