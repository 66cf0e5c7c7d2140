import Foundation
import Ingest
import Pipeline
import TestSupport
@testable import Warehouse
import XCTest

/// Each province's role sees only its own units' registry rows and figures, by the server's row-level
/// security; the expected rows are found from the reference files, not from the warehouse's hierarchy.
final class PostgresAccessTests: XCTestCase {
    func testTwoProvinceRolesSeeOnlyTheirOwnRowsAndNoRejects() throws {
        let url = try PostgresTestServer.freshDatabase(for: self, prefix: "chiso_access")
        let warehouse = try Warehouse(path: url)
        let datasets = PipelineTests.datasets
        _ = try initialise(warehouse, datasets: datasets)
        let units = try warehouse.unitDirectory()
        for registry in [Registry.population, .land, .business] {
            var loader = try RegistryLoader(warehouse: warehouse, units: units, registry: registry, asOf: "2024-12-31",
                                            pseudonymiser: registry == .population ? try Pseudonymiser(key: Data(repeating: 7, count: 32)) : nil)
            loader.maxRejectRate = 1
            _ = try loader.load(path: "\(datasets)/sample/synthetic/\(registry.rawValue).csv")
        }
        _ = try deriveStep(RunContext(warehouse))
        XCTAssertThrowsError(try warehouse.grant(role: "province_01", province: "02")) {
            XCTAssertTrue("\($0)".contains("no province 02 among the 34"), "\($0)")
        }
        try warehouse.grant(role: "province_01", province: "01")
        try warehouse.grant(role: "province_79", province: "79")
        try warehouse.grant(role: "province_79", province: "79")  // again: the same grant

        // The 2025 province of each pre-2025 province, commune and 2025 unit code, from the reference files.
        func table(_ path: String) throws -> [[String: String]] { try CSVTable(path: "\(datasets)/reference/\(path)").rows.map(\.fields) }
        let newProvince = Dictionary(uniqueKeysWithValues: try table("2025/province_merge_63_to_34.csv").map { ($0["old_code"]!, $0["new_code"]!) })
        let districtProvince = Dictionary(uniqueKeysWithValues: try table("pre2025/districts.csv").map { ($0["code"]!, $0["province_code"]!) })
        let communeProvince = Dictionary(uniqueKeysWithValues: try table("pre2025/wards.csv").map {
            ($0["code"]!, newProvince[districtProvince[$0["district_code"]!]!]!)
        })
        let communeProvince2025 = Dictionary(uniqueKeysWithValues: try table("2025/wards.csv").map { ($0["code"]!, $0["province_code"]!) })
        func province(code: String, level: String, version: String) -> String? {
            if version == "2025" { return level == "province" ? code : level == "commune" ? communeProvince2025[code] : nil }
            switch level {
            case "province": return newProvince[code]
            case "district": return districtProvince[code].flatMap { newProvince[$0] }
            case "commune": return communeProvince[code]
            default: return nil
            }
        }
        let owner = try PostgresConnection(url: url)
        for table in ["person", "parcel", "enterprise"] {
            let all = try owner.rows("SELECT u.code, u.level, u.version FROM \(table) t JOIN unit u ON u.id = t.unit_id")
            XCTAssertGreaterThan(all.count, 50, table)
            let byProvince = Dictionary(grouping: all) {
                province(code: $0["code"].text!, level: $0["level"].text!, version: $0["version"].text!) ?? "?"
            }.mapValues(\.count)
            XCTAssertNil(byProvince["?"], "every \(table) row's unit is a province or a commune")
            for role in ["province_01", "province_79"] {
                var roleURL = try XCTUnwrap(URLComponents(string: url))
                roleURL.user = role
                let reader = try PostgresConnection(url: roleURL.string!, readOnly: true)
                let seen = try reader.rows("SELECT u.code, u.level, u.version FROM \(table) t JOIN unit u ON u.id = t.unit_id")
                let code = String(role.suffix(2))
                XCTAssertEqual(seen.count, byProvince[code], "\(role) sees its \(table) rows, all of them")
                XCTAssertTrue(seen.allSatisfy { province(code: $0["code"].text!, level: $0["level"].text!, version: $0["version"].text!) == code },
                              "\(role) sees no other province's \(table) rows")
                XCTAssertEqual(try reader.scalar("SELECT count(*) FROM reject"), 0, "rejects carry no trusted unit")
                // Figures: its own units' and the nation's and regions', nothing of another province.
                let figures = try reader.rows("""
                    SELECT u.code, u.level, u.version FROM observation o JOIN unit u ON u.id = o.unit_id
                    """)
                XCTAssertGreaterThan(figures.count, 0)
                let foreign = figures.filter { !["nation", "region"].contains($0["level"].text!)
                    && province(code: $0["code"].text!, level: $0["level"].text!, version: $0["version"].text!) != code }
                XCTAssertEqual(foreign.count, 0, "\(role) sees only its own units' figures: \(foreign.prefix(5).map(\.values))")
                XCTAssertThrowsError(try reader.execute("DELETE FROM person"), "a province's role only reads")
            }
        }
        XCTAssertGreaterThan(try owner.scalar("SELECT count(*) FROM reject").int ?? 0, 0, "the owner sees the rejects")
        XCTAssertThrowsError(try Warehouse(path: FileManager.default.temporaryDirectory.path + "/chiso-\(UUID().uuidString).sqlite")
            .grantSQL(role: "x", province: "01")) { XCTAssertTrue("\($0)".contains("needs a PostgreSQL warehouse"), "\($0)") }
    }
}
