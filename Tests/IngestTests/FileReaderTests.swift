import Foundation
@testable import Ingest
import Reference
@testable import Warehouse
import XCTest

/// Each format reader on its own, with no warehouse: a file in, records (and the rows it could not read) out.
final class FileReaderTests: XCTestCase {
    static let units = UnitDirectory(units: [
        AdministrativeUnit(id: 1, code: "VN", level: .nation, version: .pre2025, nameVI: "Việt Nam"),
        AdministrativeUnit(id: 2, code: "01", level: .province, version: .pre2025, nameVI: "Hà Nội", parentID: 1,
                           validTo: "2025-06-30"),
        AdministrativeUnit(id: 3, code: "79", level: .province, version: .pre2025, nameVI: "Hồ Chí Minh", parentID: 1,
                           validTo: "2025-06-30"),
        AdministrativeUnit(id: 4, code: "00004", level: .commune, version: .pre2025, nameVI: "Phúc Xá", parentID: 2,
                           validTo: "2025-06-30"),
    ], crosswalk: [])
    static let indicators = [
        "POPULATION": Indicator(code: "POPULATION", nameVI: "Dân số", nameEN: "Population", unit: "count",
                                direction: .higher, aggregation: .sum),
    ]

    /// Reads `path` with `reader`, collecting what it could not read.
    func read(_ reader: some IndicatorFileReader, _ path: String) throws -> (records: ReadRecords, rejects: [RejectedRow]) {
        var rejects: [RejectedRow] = []
        let records = try reader.read(path) { rejects.append($0) }
        return (records, rejects)
    }

    func testATidyFileBecomesOneRecordPerRowWithItsFieldsTrimmedAndAnUnreadableRowReported() throws {
        let path = temporaryFile("""
            indicator,unit,period,value,source
            POPULATION, Hà Nội ,2024,8717600,GSO
            POPULATION,79,2024,"9543600",GSO
            POPULATION,79,2023,"9456700,GSO

            """)
        let (read, rejects) = try read(TidyFileReader(sheet: nil), path)
        XCTAssertEqual(read.records.map(\.line), [2, 3])
        XCTAssertEqual(read.records[0].fields, ["indicator": "POPULATION", "unit": "Hà Nội", "period": "2024",
                                                "value": "8717600", "source": "GSO"])
        XCTAssertEqual(read.records[1].fields["value"], "9543600")
        XCTAssertEqual(rejects.map(\.line), [4], "the row whose quote never closes")
        XCTAssertEqual(read.delimiter, UInt8(ascii: ","))
        XCTAssertThrowsError(try self.read(TidyFileReader(sheet: nil), temporaryFile("indicator,unit,value\nX,VN,1\n"))) {
            XCTAssertTrue("\($0)".contains("'period'"), "\($0)")
        }
    }

    func testAnSDMXFileMapsItsColumnsByNameAndScalesByUnitMultiplier() throws {
        let path = temporaryFile("""
            STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA: Reference area,TIME_PERIOD,OBS_VALUE,UNIT_MULT,INDICATOR
            dataflow,VN:POP(1.0),I,VN,2024,101.3,6,POPULATION
            dataflow,VN:POP(1.0),D,01,2023,,,POPULATION
            dataflow,VN:POP(1.0),X,01,2024,8.7,6,POPULATION
            dataflow,VN:POP(1.0),I,79,2024,9.5,99,POPULATION

            """)
        let (read, rejects) = try read(SDMXFileReader(), path)
        XCTAssertEqual(read.records.map(\.line), [2, 3])
        XCTAssertEqual(read.records[0].fields["unit"], "VN")
        XCTAssertEqual(read.records[0].fields["value"], "101.3")
        XCTAssertEqual(read.records[0].scale, 1e6)
        XCTAssertEqual(read.records[1].fields["action"], "delete")
        XCTAssertEqual(read.decimal, .point, "SDMX-CSV writes a decimal point whatever its separator")
        XCTAssertEqual(rejects.map { "\($0.line) \($0.errorCode)" }, ["4 bad_action", "5 bad_unit_mult"])
    }

    func testAStatisticsOfficeTableBecomesOneRecordPerCellInItsUnitAndScale() throws {
        let path = temporaryFile("""
            "Average population by province (Thous. pers.)"
            "Cities, provincial",2023,2024
            "Hà Nội",8587.1,8717.6
            "Hồ Chí Minh",9456.7,..

            """)
        let reader = StatisticsOfficeTableReader(units: Self.units, indicators: Self.indicators, indicator: "POPULATION",
                                                 measures: [], period: nil, sheet: nil)
        let (read, rejects) = try read(reader, path)
        XCTAssertEqual(rejects.count, 0)
        XCTAssertEqual(read.records.map { [$0.fields["unit"], $0.fields["period"], $0.fields["value"]] },
                       [["Hà Nội", "2023", "8587.1"], ["Hà Nội", "2024", "8717.6"], ["Hồ Chí Minh", "2023", "9456.7"]])
        XCTAssertEqual(read.records.map(\.scale), [1000, 1000, 1000], "thousands of persons")
        XCTAssertEqual(read.missing, 1, "the cell published as '..'")
        XCTAssertEqual(read.preferredLevel, .province)
        XCTAssertEqual(reader.format, "statistics-office-table; indicator POPULATION")
    }

    func testARegistryRowIsCheckedFieldByFieldAgainstTheUnitsInForceOnTheExtractDay() throws {
        let check = try RegistryRecordCheck(units: Self.units, registry: .business, asOf: "2024-12-31", pseudonymiser: nil,
                                            today: "2026-12-01")
        let path = temporaryFile("""
            tax_code,name,unit,industry,registration_date,status,e_invoice
            0100233488,An Phát,01,C25,2010-05-01,active,true
            0100233488,An Phát,02,C25,2030-05-01,active,true

            """)
        let (reader, header) = try CSVReader.opening(path, required: Registry.business.requiredColumns,
                                                     expected: Registry.business.requiredColumns
                                                        + Registry.business.optionalColumns)
        let queue = BatchQueue<CheckedBatch>(capacity: 4)
        RowValidator(check: check, header: header).start(reader, into: queue, workers: 2)
        let batch = try XCTUnwrap(queue.take())
        XCTAssertNil(queue.take(), "one batch, and the queue closed")
        XCTAssertEqual(batch.read, 2)
        XCTAssertEqual(batch.valid.count, 1)
        let values = batch.valid.bytes.withUnsafeBytes { PackedRow($0.baseAddress!).values }
        XCTAssertEqual(values.first, .text("0100233488"))
        XCTAssertTrue(values.contains(.integer(2)), "Hà Nội's id, the unit in force")
        XCTAssertEqual(batch.refused.map(\.line), [3])
        XCTAssertEqual(batch.refused[0].problems.map(\.code).map(\.rawValue).sorted(), ["future_date", "unknown_unit"])
        XCTAssertThrowsError(try RegistryRecordCheck(units: Self.units, registry: .population, asOf: "2024-12-31",
                                                     pseudonymiser: nil, today: "2026-12-01"), "population needs a key")
        XCTAssertThrowsError(try RegistryRecordCheck(units: Self.units, registry: .land, asOf: "2027-01-01",
                                                     pseudonymiser: nil, today: "2026-12-01"), "an extract of the future")
    }
}
