import Foundation
import Ingest
import Reference
import Warehouse
import TestSupport
import XCTest

/// The files of `Corpus/statistics-office/` (written by its make-corpus.py and make-xlsx.py from the real
/// reference tables): each loads exactly the published values, or is refused with a message naming the
/// problem and the option that resolves it.
final class StatisticsOfficeCorpusTests: XCTestCase {
    var warehouse: Warehouse!
    var loader: IndicatorFileLoader!

    override func setUpWithError() throws {
        (warehouse, loader) = try IndicatorFileLoaderTests.referenceLoader(indicators: [
            ("POPULATION", "count", "SUM"), ("DOSSIER_FULLY_ONLINE_SHARE", "percent", "RATIO"), ("EGDI_RANK", "rank", "RANK"),
        ])
        loader.maxRejectRate = 0
        loader.asOf = "2026-12-01"
    }

    static func file(_ name: String) -> String { IndicatorFileLoaderTests.corpus("statistics-office/" + name) }

    /// Average population (persons) by old province code and year, from the reference table.
    static let population: [String: Double] = {
        var values: [String: Double] = [:]
        guard let table = try? CSVTable(path: IndicatorFileLoaderTests.datasets
                                            + "/reference/population/population_by_province_2011_2024.csv") else { return [:] }
        for row in table.rows {
            guard let code = row.fields["gso_code"], let year = row.fields["year"],
                  let thousands = row.fields["avg_population_thousand"].flatMap(Double.init) else { continue }
            values["\(code)|\(year)"] = (thousands * 1000).rounded()
        }
        return values
    }()

    func stored() throws -> [String: Double] { try storedValues(warehouse, indicator: "POPULATION") }

    func load(_ name: String, measures: [String] = [], period: String? = nil) throws -> LoadSummary {
        let (summary, rejects) = try loader.loadStatisticsOfficeTable(path: Self.file(name), indicator: "POPULATION",
                                                                      measures: measures.map(MeasureChoice.init),
                                                                      period: period)
        XCTAssertEqual(rejects, [], name)
        XCTAssertEqual(summary.status, .loaded, summary.message ?? "")
        return summary
    }

    func assertRefused(_ name: String, measures: [String] = [], _ expected: String...,
                       file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try loader.loadStatisticsOfficeTable(path: Self.file(name), indicator: "POPULATION",
                                                                  measures: measures.map(MeasureChoice.init)),
                             file: file, line: line) { error in
            for text in expected {
                XCTAssertTrue("\(error)".contains(text), "\(error) lacks \(text)", file: file, line: line)
            }
        }
    }

    /// Every stored old-province value of `years` equals the reference table's.
    func assertPopulation(years: ClosedRange<Int>, provinces: Int = 63, file: StaticString = #filePath, line: UInt = #line) throws {
        let values = try stored()
        var checked = 0
        for (key, expected) in Self.population {
            guard let year = Int(key.suffix(4)), years.contains(year) else { continue }
            assertClose(values["pre2025 " + key] ?? .nan, expected, Tolerance.rounding, key, file: file, line: line)
            checked += 1
        }
        XCTAssertEqual(checked, provinces * years.count, file: file, line: line)
    }

    func testMeasureFirstLabelsWithFiveMeasuresNeedTheMeasureAndLoadItsPublishedValues() throws {
        assertRefused("V02.01-sex-residence.csv", "5 measures", "\"Total\", \"Male\", \"Female\", \"Urban\", \"Rural\"",
                      "--measure")
        let summary = try load("V02.01-sex-residence.csv", measures: ["Total"])
        XCTAssertEqual(summary.read, 64 * 14, "cells of the nation and 63 provinces")
        try assertPopulation(years: 2011...2024)
        // "Prel. 2024" is the year 2024, and the title's "(Thous. pers.)" scales the values.
        assertClose(try stored()["pre2025 01|2024"] ?? .nan, 8_717_600, Tolerance.rounding)
        XCTAssertTrue(summary.message?.contains("header on line 2") ?? false, summary.message ?? "")
    }

    func testTotalColumnsLoadWithNoDataRowTakenForTheHeader() throws {
        let summary = try load("V02.01-total.csv")
        XCTAssertTrue(summary.message?.contains("header on line 2") ?? false, summary.message ?? "")
        try assertPopulation(years: 2011...2024)
        XCTAssertEqual(try stored().count, 63 * 14)
    }

    func testAHeaderWithMoreLabelsThanTheDataHasColumnsIsRefused() {
        let path = temporaryFile("Cities, provincial,Total 2023,Total 2024\nHà Nội,8587.1\nHà Giang,899.9\n")
        XCTAssertThrowsError(try loader.loadStatisticsOfficeTable(path: path, indicator: "POPULATION")) { error in
            XCTAssertTrue("\(error)".contains("unquoted separator"), "\(error)")
        }
    }

    func testEveryFormOfAYearLabelAndMissingMarks() throws {
        let summary = try load("year-label-forms.tsv")
        XCTAssertEqual(summary.loaded, 63 * 7 - 2)
        XCTAssertTrue(summary.message?.contains("2 cells marked missing") ?? false, summary.message ?? "")
        let values = try stored()
        for (key, expected) in Self.population where Int(key.suffix(4)).map({ (2011...2017).contains($0) }) ?? false {
            guard let value = values["pre2025 " + key] else { continue }
            assertClose(value, expected, Tolerance.rounding, key)
        }
        XCTAssertEqual(values.count, 63 * 7 - 2)
    }

    func testMeasureNamesAfterTheYearAndVietnameseMeasuresBeforeIt() throws {
        // These two tables give no unit: values in thousands are not whole persons, so nothing loads.
        let (summary, rejects) = try loader.loadStatisticsOfficeTable(
            path: Self.file("measure-after-year.csv"), indicator: "POPULATION", measures: [MeasureChoice("Total")])
        XCTAssertEqual(summary.status, .failed)
        XCTAssertTrue(rejects.first?.message.contains("not a whole number") ?? false, "\(rejects.first as Any)")
        XCTAssertEqual(try stored().count, 0)
        assertRefused("measure-before-year-vi.csv", "3 measures", "\"Tổng số\", \"Thành thị\", \"Nông thôn\"")
        // A measure is matched without its diacritics.
        let folded = try loader.loadStatisticsOfficeTable(path: Self.file("measure-before-year-vi.csv"),
                                                          indicator: "POPULATION", measures: [MeasureChoice("tong so")])
        XCTAssertEqual(folded.summary.status, .failed, "thousands without a unit")
    }

    func testAreaPopulationAndDensityUnderEachYearOnATwoRowHeader() throws {
        assertRefused("area-population-density.csv", "3 measures", "\"Diện tích\", \"Dân số trung bình\"")
        assertRefused("area-population-density.csv", measures: ["Diện tích"], "measures area (Km2)", "POPULATION is a count")
        assertRefused("area-population-density.csv", measures: ["Mật độ dân số"], "measures rate")
        let summary = try load("area-population-density.csv", measures: ["Dân số trung bình"])
        XCTAssertEqual(summary.read, 63 * 3)
        try assertPopulation(years: 2022...2024)
    }

    func testCountsOfUnitsByTypeAreNeverTakenForAPopulation() {
        assertRefused("district-units-by-type.csv", "5 measures", "\"Quận\", \"Thị xã\"")
    }

    func testTheLongLayoutWithItsThousandsInTheColumnName() throws {
        assertRefused("population-long.csv", "3 measures", "avg_population_thousand")
        assertRefused("population-long.csv", measures: ["implied_area_km2"], "measures area")
        let summary = try load("population-long.csv", measures: ["avg_population_thousand"])
        try assertPopulation(years: 2011...2024)
        XCTAssertEqual(summary.warnedByReason, [:], "a real series' yearly changes are no outliers")
    }

    func testUTF16UnicodeTextExport() throws {
        let summary = try load("population-unicode-text.txt")
        XCTAssertTrue(summary.message?.contains("UTF-16LE") ?? false, summary.message ?? "")
        try assertPopulation(years: 2019...2020)
    }

    func testAWorkbookSheetWithMeasureColumnsAndTheYearInItsTitle() throws {
        assertRefused("E02.01-2024.xlsx", "3 measures")
        let summary = try load("E02.01-2024.xlsx", measures: ["Dân số trung bình"])
        XCTAssertTrue(summary.message?.contains("single-period") ?? false, summary.message ?? "")
        let expected = try CSVTable(path: Self.file("E02.01-2024.xlsx.expected.csv"))
        XCTAssertEqual(summary.loaded, expected.rows.count, "the nation, 6 regions and 63 provinces")
        let values = try stored()
        let hanoi = try XCTUnwrap(values["pre2025 01|2024"])
        assertClose(hanoi, 8_717_600, Tolerance.rounding)
        let nation = try XCTUnwrap(values["pre2025 VN|2024"])
        assertClose(nation, 101_343_900, Tolerance.rounding)
        assertClose(try XCTUnwrap(values["pre2025 RRD|2024"]), 24_015_900, Tolerance.rounding)
        var sheetLoader = loader!
        sheetLoader.sheet = "Nope"
        XCTAssertThrowsError(try sheetLoader.loadStatisticsOfficeTable(path: Self.file("E02.01-2024.xlsx"),
                                                                      indicator: "POPULATION")) { error in
            XCTAssertTrue("\(error)".contains("E02.01"), "\(error)")
        }
    }

    func testThirtyFourNewProvincesIn2024AreRefusedUntilTheVersionIsSaid() throws {
        assertRefused("population-34-provinces-2024.csv", "34 provinces", "--units 2025", "--units pre2025")
        loader.unitsVersion = .v2025
        _ = try load("population-34-provinces-2024.csv")
        let values = try stored()
        XCTAssertNil(values["pre2025 79|2024"], "nothing lands on the old Hồ Chí Minh City")
        let newHCMC = ["79", "74", "77"].compactMap { Self.population["\($0)|2024"] }.reduce(0, +)
        XCTAssertEqual(try XCTUnwrap(values["2025 79|2024"]), newHCMC, accuracy: 100, "rounded to 0.1 thousand")
        XCTAssertEqual(values.count, 34)
    }
}
