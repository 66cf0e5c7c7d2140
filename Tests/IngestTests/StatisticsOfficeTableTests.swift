import Foundation
import Ingest
import Reference
@testable import Warehouse
import TestSupport
import XCTest

final class StatisticsOfficeTableTests: XCTestCase {
    static let datasets = IndicatorFileLoaderTests.datasets

    /// Writes the real population table the way the statistics office exports it: BOM, semicolons, CRLF, a
    /// title and a blank line, years as column groups, names as written upstream, subtotal rows, `..` for a
    /// missing cell and decimal commas; returns the file and the tidy values (persons) it must load to.
    func exportedTable() throws -> (path: String, expected: [String: Double]) {
        let table = try CSVTable(path: Self.datasets + "/reference/population/population_by_province_2011_2024.csv")
        let years = [2016, 2019, 2023, 2024]
        var names: [String: String] = [:], values: [String: [Int: String]] = [:]
        for row in table.rows {
            let code = try table.value(row, "gso_code")
            guard let year = Int(try table.value(row, "year")), years.contains(year) else { continue }
            names[code] = try table.value(row, "source_name")
            values[code, default: [:]][year] = try table.value(row, "avg_population_thousand")
        }
        var lines = ["\"Average population by province\";;;;", ";;;;",
                     "\"Cities, provincial\";" + years.map { "\"\($0)\($0 == 2024 ? " (*)" : "") Average population (Thous. pers.)\"" }
                        .joined(separator: ";"),
                     "WHOLE COUNTRY;92692,2;96484,0;100309,2;101112,7",
                     "Đồng bằng sông Hồng;21566,4;22543,6;23454,2;23732,5"]
        // The national and regional rows load as their units.
        var expected: [String: Double] = [:]
        for (code, values) in [("VN", [92692.2, 96484.0, 100309.2, 101112.7]), ("RRD", [21566.4, 22543.6, 23454.2, 23732.5]),
                               ("NMM", [12531.3, 12805.7, 13008.9, 13114.5])] {
            for (year, value) in zip(years, values) { expected["\(code)|\(year)"] = (value * 1000 * 1e6).rounded() / 1e6 }
        }
        for code in names.keys.sorted() {
            var cells: [String] = []
            for year in years {
                if code == "62" && year == 2016 { cells.append(".."); continue }
                let text = values[code]?[year] ?? ".."
                cells.append(text.replacingOccurrences(of: ".", with: ","))
                expected["\(code)|\(year)"] = (try XCTUnwrap(Double(text)) * 1000 * 1e6).rounded() / 1e6
            }
            lines.append("\(names[code] ?? code);" + cells.joined(separator: ";"))
            if code == "27" { lines.append("Northern midlands and mountain areas;12531,3;12805,7;13008,9;13114,5") }
        }
        let text = lines.joined(separator: "\r\n") + "\r\n"
        return (temporaryFile([0xEF, 0xBB, 0xBF] + Array(text.utf8), name: "V02.01.csv"), expected)
    }

    func testExportLoadsToTheSameNumbersAsTheTidyTable() throws {
        var (warehouse, loader) = try IndicatorFileLoaderTests.referenceLoader(indicators: [("POPULATION", "count", "SUM")])
        loader.maxRejectRate = 0
        let (path, expected) = try exportedTable()
        let (summary, rejects) = try loader.loadStatisticsOfficeTable(path: path, indicator: "POPULATION")
        XCTAssertEqual(rejects, [])
        XCTAssertEqual(summary.status, .loaded, summary.message ?? "")
        // The national and the two regional rows load as their units.
        XCTAssertEqual(summary.loaded, 66 * 4 - 1)
        XCTAssertTrue(summary.message?.contains("1 cell marked missing") ?? false, summary.message ?? "")
        let stored = try warehouse.db.rows("""
            SELECT u.code, o.year, o.value FROM observation o JOIN unit u ON u.id = o.unit_id
            """)
        XCTAssertEqual(stored.count, expected.count)
        for row in stored {
            let key = "\(row["code"].text ?? "")|\(row["year"].int ?? 0)"
            assertClose(row["value"].double ?? .nan, try XCTUnwrap(expected[key], key), Tolerance.rounding, key)
        }
    }

    /// "Địa phương" (locality) heads many of the statistics office's tables; its "phương" is not a ward. A
    /// table of the 63 provinces under it loads to the provinces (their names are also communes' and
    /// districts'); six provinces whose every name is also a commune's are refused, not sent to the communes.
    func testALocalityHeaderNamesNoLevel() throws {
        let table = try CSVTable(path: Self.datasets + "/reference/population/population_by_province_2011_2024.csv")
        var lines = ["Dân số trung bình phân theo địa phương", "Đơn vị tính: Nghìn người", "Địa phương,2024"]
        var expected: [String: Double] = [:]
        for row in table.rows where row.fields["year"] == "2024" {
            let thousands = try table.value(row, "avg_population_thousand")
            lines.append("\"\(try table.value(row, "source_name"))\",\(thousands)")
            expected["pre2025 \(try table.value(row, "gso_code"))|2024"] = (try XCTUnwrap(Double(thousands)) * 1000).rounded()
        }
        var (warehouse, loader) = try IndicatorFileLoaderTests.referenceLoader(indicators: [("POPULATION", "count", "SUM")])
        loader.maxRejectRate = 0
        let (summary, rejects) = try loader.loadStatisticsOfficeTable(path: temporaryFile(lines.joined(separator: "\n") + "\n"),
                                                                      indicator: "POPULATION")
        XCTAssertEqual(rejects, [])
        XCTAssertEqual(summary.loaded, 63, summary.message ?? "")
        let stored = try storedValues(warehouse)
        XCTAssertEqual(Set(stored.keys), Set(expected.keys))
        for (key, value) in expected { assertClose(stored[key] ?? .nan, value, Tolerance.rounding, key) }

        let six = "Đơn vị tính: Nghìn người\nĐịa phương,2023,Sơ bộ 2024\nLào Cai,775.8,792.2\nThanh Hóa,3739.7,3764.2\nQuảng Ninh,1381.2,1396.5\n"
            + "Đồng Nai,3310.9,3365.4\nTây Ninh,1188.6,1202.8\nLạng Sơn,802.1,814.0\n"
        var (other, sixLoader) = try IndicatorFileLoaderTests.referenceLoader(indicators: [("POPULATION", "count", "SUM")])
        sixLoader.maxRejectRate = 0
        let refused = try sixLoader.loadStatisticsOfficeTable(path: temporaryFile(six), indicator: "POPULATION")
        XCTAssertEqual(refused.summary.status, .failed)
        XCTAssertEqual(Set(refused.rejects.map(\.errorCode)), ["ambiguous_unit"])
        XCTAssertEqual(try storedValues(other), [:])
    }

    /// The UN's survey file (year, iso3, country, egov_rank, ...) is not a table of units by period: it is
    /// refused saying its first column holds years, not that it has no header.
    func testATableWithTheYearFirstSaysSo() throws {
        let (_, loader) = try IndicatorFileLoaderTests.referenceLoader(indicators: [("EGDI_RANK", "rank", "RANK")])
        let path = Self.datasets + "/reference/egov/egov_survey_2003_2024.csv"
        XCTAssertThrowsError(try loader.loadStatisticsOfficeTable(path: path, indicator: "EGDI_RANK")) { error in
            XCTAssertTrue("\(error)".contains("the first column holds years (such as 2003)"), "\(error)")
        }
    }

    func testAFileWithoutAHeaderAboveDataIsAnError() throws {
        let path = temporaryFile("title\nHà Nội;1\nHải Phòng;2\n")
        let (_, loader) = try IndicatorFileLoaderTests.referenceLoader(indicators: [("POPULATION", "count", "SUM")])
        XCTAssertThrowsError(try loader.loadStatisticsOfficeTable(path: path, indicator: "POPULATION")) { error in
            XCTAssertTrue("\(error)".contains("no header row was found"), "\(error)")
        }
    }
}
