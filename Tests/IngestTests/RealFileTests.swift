import Foundation
import Ingest
import Reference
@testable import Warehouse
import TestSupport
import XCTest

/// Files as a new user tried them (a review with fresh eyes): each loads the published values or is refused
/// with the option that decides, never loaded as another number.
final class RealFileTests: XCTestCase {
    var warehouse: Warehouse!
    var loader: IndicatorFileLoader!

    override func setUpWithError() throws {
        (warehouse, loader) = try IndicatorFileLoaderTests.referenceLoader(indicators: [
            ("POPULATION", "count", "SUM"), ("DOSSIER_FULLY_ONLINE_SHARE", "percent", "RATIO"),
            ("NEW_ENTERPRISES", "count", "SUM"),
        ])
        loader.maxRejectRate = 0
        loader.asOf = "2026-12-01"
    }

    func stored() throws -> [String: Double] { try storedValues(warehouse) }

    func table(_ text: String, indicator: String = "POPULATION", measures: [String] = [],
               period: String? = nil) throws -> LoadSummary {
        let (summary, rejects) = try loader.loadStatisticsOfficeTable(path: temporaryFile(text), indicator: indicator,
                                                                      measures: measures.map(MeasureChoice.init),
                                                                      period: period)
        XCTAssertEqual(rejects, [])
        return summary
    }

    func assertRefused(_ text: String, measures: [String] = [], period: String? = nil, tidy: Bool = false,
                       _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try tidy ? loader.load(path: temporaryFile(text))
                                : loader.loadStatisticsOfficeTable(path: temporaryFile(text), indicator: "POPULATION",
                                                                   measures: measures.map(MeasureChoice.init),
                                                                   period: period),
                             file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(expected), "\(error)", file: file, line: line)
        }
    }

    func testTheNamesOfTheNewProvincesIn2024AreRefusedUntilTheVersionIsSaid() throws {
        // Lào Cai kept its name but took Yên Bái's code (15): by name, it is one of the 34.
        let names = ["Hà Nội", "Lào Cai", "Tuyên Quang", "Thái Nguyên", "Hồ Chí Minh", "Cần Thơ"]
        let text = "indicator,unit,period,value\n" + names.map { "POPULATION,\($0),2024,1000000\n" }.joined()
        assertRefused(text, tidy: true, "--units 2025")
        loader.unitsVersion = .v2025
        XCTAssertEqual(try loader.load(path: temporaryFile(text)).summary.loaded, 6)
        XCTAssertEqual(try stored()["2025 15|2024"], 1_000_000, "the new Lào Cai")
    }

    func testThousandsWrittenAsNumbersScaleTheValues() throws {
        _ = try table("Dân số trung bình\nĐơn vị: 1000 người\nTỉnh;2023;2024\nHà Nội;8587;8718\nHà Giang;900;911\n")
        XCTAssertEqual(try stored()["pre2025 01|2024"], 8_718_000)
        try warehouse.db.run("DELETE FROM observation")
        _ = try table("Tỉnh;2023 (1.000 người);2024 (1.000 người)\nHà Nội;8587;8719\nHà Giang;900;911\n")
        XCTAssertEqual(try stored()["pre2025 01|2024"], 8_719_000)
        try warehouse.db.run("DELETE FROM observation")
        _ = try table("Province,2023 ('000),2024 ('000)\nHà Nội,8587,8720\nHà Giang,900,911\n")
        XCTAssertEqual(try stored()["pre2025 01|2024"], 8_720_000)
    }

    func testNamIsMenAndNamIsTheYearOnlyWithItsDiacritics() throws {
        assertRefused("Tỉnh;Nam 2023;Nam 2024\nHà Nội;4207,7;4250,1\nHà Giang;450,2;455,3\n",
                      "only measure is \"Nam\"")
        assertRefused("Tỉnh;Tổng số 2024;Nam 2024;Nữ 2024\nHà Nội;8717,6;4250,1;4467,5\nHà Giang;911,4;455,3;456,1\n",
                      "3 measures: \"Tổng số\", \"Nam\", \"Nữ\"")
        let summary = try table("Tỉnh (Nghìn người);Năm 2023;Năm 2024\nHà Nội;8587,1;8717,6\nHà Giang;899,9;911,4\n")
        XCTAssertEqual(summary.loaded, 4)
        XCTAssertEqual(try stored()["pre2025 01|2024"], 8_717_600)
    }

    func testPartsOfAYearAreQuartersMonthsOrLeftOutNeverAYear() throws {
        let summary = try table("Tỉnh;2023;6 tháng 2024;Quý I/2024;Tháng 6/2024\nHà Nội;31000;16000;7000;2600\n"
                                + "Hà Giang;900;400;200;70\n", indicator: "NEW_ENTERPRISES")
        let values = try stored()
        XCTAssertEqual(values["pre2025 01|2023"], 31000)
        XCTAssertEqual(values["pre2025 01|2024-Q1"], 7000)
        XCTAssertEqual(values["pre2025 01|2024-06"], 2600)
        XCTAssertNil(values["pre2025 01|2024"], "six months are not the year")
        XCTAssertTrue(summary.message?.contains("columns left out, holding no year, quarter or month: \"6 tháng 2024\"")
                      ?? false, summary.message ?? "")
    }

    func testAPreliminaryColumnGivesWayToTheFinalOneOfItsYear() throws {
        let summary = try table("Tỉnh (Nghìn người);2024;Sơ bộ 2024\nHà Nội;8718,0;8717,6\nHà Giang;911,4;911,0\n")
        XCTAssertEqual(try stored()["pre2025 01|2024"], 8_718_000)
        XCTAssertTrue(summary.message?.contains("preliminary columns left out for the final ones of their year: "
                                                + "\"Sơ bộ 2024\"") ?? false, summary.message ?? "")
    }

    func testCodeNameAndRowNumberColumnsBeforeTheYears() throws {
        _ = try table("STT;Mã;Tỉnh, thành phố;2023 (Nghìn người);2024 (Nghìn người)\n1;01;Hà Nội;8587,1;8717,6\n"
                      + "2;02;Hà Giang;899,9;911,4\n")
        XCTAssertEqual(try stored()["pre2025 02|2024"], 911_400, "by the code, not the row number")
    }

    func testATransposedTableAndAHeaderWithoutRowsAreRefused() {
        assertRefused("Năm;Hà Nội;Hà Giang;Cao Bằng\n2023;8587,1;899,9;543,1\n2024;8717,6;911,4;558,5\n", "transposed")
        assertRefused("Tỉnh;2023;2024\n", "no header row was found")
        assertRefused("Tỉnh;2023;2024\n;;\n", "no header row was found")
    }

    func testAPeriodThatContradictsTheTitleIsRefused() {
        assertRefused("Dân số năm 2024 (Nghìn người)\nTỉnh;Dân số;Diện tích (km2)\nHà Nội;8717,6;3359,8\n"
                      + "Hà Giang;911,4;7927,6\n", measures: ["Dân số"], period: "2023", "contradicts the title")
    }

    func testAValueThatContradictsItsNumeratorAndDenominatorIsRejected() throws {
        loader.maxRejectRate = 1
        let (summary, rejects) = try loader.load(path: temporaryFile("""
            indicator,unit,period,value,numerator,denominator
            DOSSIER_FULLY_ONLINE_SHARE,01,2024,90,482,1000
            DOSSIER_FULLY_ONLINE_SHARE,02,2024,0.482,482,1000
            DOSSIER_FULLY_ONLINE_SHARE,04,2024,48.2,482,1000
            DOSSIER_FULLY_ONLINE_SHARE,06,2024,48,482,1000

            """))
        XCTAssertEqual(summary.loaded, 2, "48.2 and 48, rounded")
        XCTAssertEqual(rejects.map(\.line), [2, 3])
        XCTAssertEqual(Set(rejects.map(\.errorCode)), ["inconsistent"])
    }

    func testNumbersThatAreNotPlainDecimalsAreRejected() throws {
        loader.maxRejectRate = 1
        var text = "indicator,unit,period,value\n"
        for (code, value) in [("01", "0x10"), ("02", "1e400"), ("04", "99999999999999999999999"), ("06", "inf"),
                              ("08", "1.5e3")] {
            text += "POPULATION,\(code),2024,\(value)\n"
        }
        text += "POPULATION,10,2024,87\u{0}17600\n"
        let (summary, rejects) = try loader.load(path: temporaryFile(text))
        XCTAssertEqual(summary.loaded, 1)
        XCTAssertEqual(try stored()["pre2025 08|2024"], 1500)
        XCTAssertEqual(rejects.map(\.line), [2, 3, 4, 5, 7])
        // The NUL is refused by the reader, shown escaped.
        XCTAssertEqual(rejects.last?.errorCode, "control_character")
        XCTAssertEqual(rejects.last?.raw, "POPULATION,10,2024,87\\u000017600")
    }

    func testARepeatedColumnIsRefused() {
        assertRefused("indicator,unit,period,value,value\nPOPULATION,01,2024,1,2\n", tidy: true,
                      "column 'value' appears more than once")
    }

    func testGroupedThousandsDecideTheDecimalMark() throws {
        _ = try loader.load(path: temporaryFile("indicator;unit;period;value\nPOPULATION;01;2024;8.717.600\n"))
        XCTAssertEqual(try stored()["pre2025 01|2024"], 8_717_600)
    }

    func testNamesWithFootnoteMarksCitiesAndCodesWithoutTheirZeros() throws {
        loader.maxRejectRate = 1
        let (summary, rejects) = try loader.load(path: temporaryFile("""
            indicator,unit,period,value
            POPULATION,Hà Nội (*),2024,8717600
            POPULATION,Cả nước (*),2024,101112700
            POPULATION,Thành phố Kon Tum,2024,180000
            POPULATION,Kon Tum,2024,580000
            POPULATION,Hà Giang,2024,911400
            POPULATION,Cao Bằng,2024,558500
            POPULATION,2,2024,911400

            """))
        XCTAssertEqual(summary.loaded, 6)
        let values = try stored()
        XCTAssertEqual(values["pre2025 01|2024"], 8_717_600)
        XCTAssertEqual(values["pre2025 VN|2024"], 101_112_700)
        XCTAssertEqual(values["pre2025 608|2024"], 180_000, "the city of Kon Tum, a district")
        XCTAssertEqual(values["pre2025 62|2024"], 580_000, "the province")
        XCTAssertTrue(rejects.first?.message.contains("the code is 02") ?? false, "\(rejects)")
    }

    func testUnitMultiplierOfSDMX() throws {
        let path = temporaryFile("""
            STRUCTURE,STRUCTURE_ID,ACTION,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MULT
            dataflow,CHISO:DG942_OBS(1.0),I,POPULATION,01,2024,8717.6,3
            dataflow,CHISO:DG942_OBS(1.0),I,POPULATION,02,2024,911400,

            """)
        let (summary, rejects) = try loader.loadSDMX(path: path)
        XCTAssertEqual(rejects, [])
        XCTAssertEqual(summary.loaded, 2)
        XCTAssertEqual(try stored()["pre2025 01|2024"], 8_717_600)
        XCTAssertEqual(try stored()["pre2025 02|2024"], 911_400)
    }

    func testCellsFormattedAsPercentagesInAWorkbookAreReadAsShown() throws {
        let (summary, rejects) = try loader.load(path: IndicatorFileLoaderTests.corpus(
            "statistics-office/shares-percent-format.xlsx"))
        XCTAssertEqual(rejects, [])
        XCTAssertTrue(summary.message?.contains("2 cells formatted as percentages read as shown") ?? false,
                      summary.message ?? "")
        let values = try stored()
        assertClose(values["pre2025 01|2024"] ?? .nan, 45.8, Tolerance.rounding)
        assertClose(values["pre2025 79|2024"] ?? .nan, 50, Tolerance.rounding)
        assertClose(values["pre2025 48|2024"] ?? .nan, 61.2, Tolerance.rounding)
        assertClose(values["pre2025 31|2024"] ?? .nan, 0.3, Tolerance.solve, "a literal % sign is not a percent format")
    }
}
