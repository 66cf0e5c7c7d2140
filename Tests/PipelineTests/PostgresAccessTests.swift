import Foundation
import Ingest
import Pipeline
import Reference
import Reports
import TestSupport
@testable import Warehouse
import XCTest

/// Each province's role sees only its own units' registry rows and figures, by the server's row-level
/// security, and each province's registry rows lie in its own partition; the expected rows are found from the
/// reference files, not from the warehouse's hierarchy.
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
        _ = try aggregateStep(RunContext(warehouse, runID: try warehouse.startRun(command: "test")))  // the nation's and regions' figures
        try forecastStep(RunContext(warehouse, runID: try warehouse.startRun(command: "test")))
        XCTAssertThrowsError(try warehouse.grant(role: "province_01", province: "02")) {
            XCTAssertTrue("\($0)".contains("no province 02 among the 34"), "\($0)")
            XCTAssertTrue("\($0)".hasSuffix("; 02 was Hà Giang until 30 June 2025, now part of 08 Tuyên Quang: --province 08"), "\($0)")
        }
        try warehouse.grant(role: "province_01", province: "01")
        try warehouse.grant(role: "province_79", province: "79")
        XCTAssertNil(try warehouse.grant(role: "province_79", province: "79").before, "again, the same grant: nothing moved")
        // Run again with another code, a grant moves the role's scope: it says from where.
        XCTAssertNil(try warehouse.grant(role: "province_slip", province: "01").before)
        XCTAssertEqual(try warehouse.grant(role: "province_slip", province: "79").before, "01")

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
        func isSmall(_ figure: Row) -> Bool {
            RegistryIndicators.derived.contains(figure["indicator"].text ?? "")
                && DisclosureControl.isSmall(value: figure["value"].double, numerator: figure["numerator"].double,
                                             denominator: figure["denominator"].double)
        }
        XCTAssertGreaterThan(try owner.rows("""
            SELECT o.indicator, o.value, o.numerator, o.denominator FROM observation o JOIN unit u ON u.id = o.unit_id
            WHERE u.level IN ('nation', 'region')
            """).filter(isSmall).count, 0, "the sample has small figures of regions")
        // The nation's and regions' registry figures the exports show, and those they suppress though not small.
        let all = try warehouse.allObservations()
        let suppressed = suppressedRegistryFigures(all, directory: units)
        let aboveProvinces = all.indices.filter {
            RegistryIndicators.derived.contains(all[$0].indicator) && [.nation, .region].contains(units.unit(id: all[$0].unitID)?.level)
        }
        let shownAboveProvinces = Set(aboveProvinces.filter { !suppressed.contains($0) }.map {
            "\(all[$0].indicator)|\(all[$0].unitID)|\(all[$0].period)"
        })
        XCTAssertGreaterThan(aboveProvinces.filter {
            suppressed.contains($0) && !DisclosureControl.isSmall(value: all[$0].value, numerator: all[$0].numerator,
                                                                  denominator: all[$0].denominator)
        }.count, 0, "the sample has figures of regions suppressed to protect others")
        for table in ["person", "parcel", "enterprise"] {
            let all = try owner.rows("""
                SELECT u.code, u.level, u.version, t.tableoid::regclass::text AS partition FROM \(table) t JOIN unit u ON u.id = t.unit_id
                """)
            XCTAssertGreaterThan(all.count, 50, table)
            let byProvince = Dictionary(grouping: all) {
                province(code: $0["code"].text!, level: $0["level"].text!, version: $0["version"].text!) ?? "?"
            }
            XCTAssertNil(byProvince["?"], "every \(table) row's unit is a province or a commune")
            XCTAssertGreaterThan(byProvince.count, 20, "\(table) has rows in most provinces")
            for (code, rows) in byProvince {
                XCTAssertEqual(Set(rows.map { $0["partition"].text }), ["\(table)_p\(code)"], "\(table): province \(code)'s rows, its partition")
            }
            for role in ["province_01", "province_79"] {
                var roleURL = try XCTUnwrap(URLComponents(string: url))
                roleURL.user = role
                let reader = try PostgresConnection(url: roleURL.string!, readOnly: true)
                let seen = try reader.rows("SELECT u.code, u.level, u.version FROM \(table) t JOIN unit u ON u.id = t.unit_id")
                let code = String(role.suffix(2))
                XCTAssertEqual(seen.count, byProvince[code]?.count, "\(role) sees its \(table) rows, all of them")
                XCTAssertThrowsError(try reader.rows("SELECT count(*) FROM \(table)_p\(code)"),
                                     "a role reads the table, where the policies apply, not a partition")
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
                let published = try reader.rows("""
                    SELECT count(*) AS n FROM observation o JOIN unit u ON u.id = o.unit_id WHERE u.level IN ('nation', 'region')
                    """).first?["n"].int ?? 0
                XCTAssertGreaterThan(published, 0, "\(role) sees the nation's and regions' figures")
                let smallSeen = try reader.rows("""
                    SELECT o.indicator, o.value, o.numerator, o.denominator FROM observation o JOIN unit u ON u.id = o.unit_id
                    WHERE u.level IN ('nation', 'region')
                    """).filter(isSmall)
                XCTAssertEqual(smallSeen.count, 0, "\(role) sees no small registry figure of the nation or a region")
                // Nor one the outputs suppress to protect a small one (the South East before 1 July 2025 less the
                // South East after gave old Tây Ninh's 6 of 115): of the nation's and regions' registry figures it
                // reads exactly those the report's disclosure control shows.
                func key(_ row: Row) -> String {
                    "\(row["indicator"].text!)|\(row["unit_id"].int!)|\(row["period"].text!)"
                }
                let readRegistry = Set(try reader.rows("""
                    SELECT o.indicator, o.unit_id, o.period FROM observation o JOIN unit u ON u.id = o.unit_id
                    WHERE u.level IN ('nation', 'region')
                    """).filter { RegistryIndicators.derived.contains($0["indicator"].text!) }.map(key))
                XCTAssertEqual(readRegistry, shownAboveProvinces, "\(role) reads the registry figures the outputs show")
                let own = try owner.rows("SELECT u.code, u.level, u.version FROM observation o JOIN unit u ON u.id = o.unit_id")
                    .filter { province(code: $0["code"].text!, level: $0["level"].text!, version: $0["version"].text!) == code }
                XCTAssertEqual(figures.count - Int(published), own.count,
                               "\(role) sees every figure of its own units, its old districts' too")
                XCTAssertGreaterThan(own.filter { $0["level"].text == "district" }.count, 0)
                XCTAssertThrowsError(try reader.execute("DELETE FROM person"), "a province's role only reads")
                // Forecasts: of every province and above, as the report shows them; below, its own units' only.
                let forecasts = try reader.rows("SELECT u.code, u.level, u.version FROM forecast f JOIN unit u ON u.id = f.unit_id")
                let below = forecasts.filter { ["district", "commune"].contains($0["level"].text!) }
                XCTAssertGreaterThan(below.count, 0, "\(role) sees its communes' forecasts")
                XCTAssertTrue(below.allSatisfy { province(code: $0["code"].text!, level: $0["level"].text!, version: $0["version"].text!) == code },
                              "\(role) sees no other province's commune forecast")
                XCTAssertTrue(forecasts.contains { $0["level"].text == "province"
                    && province(code: $0["code"].text!, level: "province", version: $0["version"].text!) != code })
            }
        }
        XCTAssertGreaterThan(try owner.scalar("SELECT count(*) FROM reject").int ?? 0, 0, "the owner sees the rejects")
        // A role granted before migration 19 made the list of published figures has no grant of its own on it,
        // and the policy reads it as the role: the list is public, as what it lists is.
        try owner.execute("REVOKE SELECT ON published_figure FROM province_01")
        var granted18 = try XCTUnwrap(URLComponents(string: url))
        granted18.user = "province_01"
        XCTAssertGreaterThan(try PostgresConnection(url: granted18.string!, readOnly: true)
            .scalar("SELECT count(*) FROM observation o JOIN unit u ON u.id = o.unit_id WHERE u.level = 'region'").int ?? 0, 0)
        let figures = try owner.rows("""
            SELECT u.code, u.level, u.version, o.tableoid::regclass::text AS partition FROM observation o JOIN unit u ON u.id = o.unit_id
            """)
        let misplaced = figures.filter { figure in
            let code = province(code: figure["code"].text!, level: figure["level"].text!, version: figure["version"].text!)
            return figure["partition"].text != code.map { "observation_p" + $0 } ?? "observation_elsewhere"
        }
        XCTAssertEqual(misplaced.count, 0, "a figure lies in its province's partition, the nation's and regions' elsewhere: "
                       + "\(misplaced.prefix(5).map(\.values))")
        XCTAssertThrowsError(try Warehouse(path: FileManager.default.temporaryDirectory.path + "/chiso-\(UUID().uuidString).sqlite")
            .grantSQL(role: "x", province: "01")) { XCTAssertTrue("\($0)".contains("needs a PostgreSQL warehouse"), "\($0)") }
    }

    /// What keeps earlier values - the revisions of registry records and figures - is read by a province's role
    /// as the records and figures are; the warnings of loaded rows (their lines) not at all. A role the policies
    /// cannot bind (the owner, a superuser, one that bypasses them) is refused a grant, and `verify` refuses a
    /// role that sees only some rows instead of calling the hidden rows tampering.
    func testRevisionsAndWarningsAreScopedAndAGrantThatCouldNotBindIsRefused() throws {
        let url = try PostgresTestServer.freshDatabase(for: self, prefix: "chiso_access")
        let warehouse = try Warehouse(path: url)
        _ = try initialise(warehouse, datasets: PipelineTests.datasets)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        // One person in Ha Noi (commune 00001) and one in Ho Chi Minh City (26734), both then reaching level 2.
        let people = """
            citizen_id,birth_date,sex,unit,identity_level,registration_date,status
            001085104729,1985-03-04,M,00001,1,2022-09-01,active
            079185000001,1985-07-01,F,26734,1,2023-03-01,active

            """
        for (name, text) in [("first", people), ("revised", people.replacingOccurrences(of: ",1,20", with: ",2,20"))] {
            try text.write(toFile: "\(folder)/\(name).csv", atomically: true, encoding: .utf8)
            let loader = try RegistryLoader(warehouse: warehouse, units: try warehouse.unitDirectory(), registry: .population,
                                            asOf: "2024-12-31", pseudonymiser: try Pseudonymiser(key: Data(repeating: 7, count: 32)))
            _ = try loader.load(path: "\(folder)/\(name).csv")
            _ = try deriveStep(RunContext(warehouse))
        }
        // A warning: an indicator file whose last line has no line break.
        try "indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,01,2019,12.5".write(toFile: "\(folder)/cut.csv", atomically: true, encoding: .utf8)
        _ = try IndicatorFileLoader(warehouse: warehouse, units: try warehouse.unitDirectory(), indicators: try warehouse.indicators())
            .load(path: "\(folder)/cut.csv")
        let owner = try PostgresConnection(url: url)
        XCTAssertEqual(try owner.scalar("SELECT count(*) FROM registry_revision"), 2)
        XCTAssertGreaterThan(try owner.scalar("SELECT count(*) FROM observation_revision").int ?? 0, 1)
        XCTAssertEqual(try owner.scalar("SELECT count(*) FROM load_warning"), 1)

        for code in ["01", "79"] {
            try warehouse.grant(role: "province_\(code)", province: code)
            var roleURL = try XCTUnwrap(URLComponents(string: url))
            roleURL.user = "province_\(code)"
            let reader = try PostgresConnection(url: roleURL.string!, readOnly: true)
            let revised = try reader.rows("SELECT previous FROM registry_revision").compactMap { $0["previous"].text }
            XCTAssertEqual(revised.count, 1, "province \(code) sees its own person's revision only")
            XCTAssertTrue(revised.allSatisfy { $0.contains(code == "01" ? "\"2022-09-01\"" : "\"2023-03-01\"") }, "\(revised)")
            let figures = try reader.rows("""
                SELECT DISTINCT u.level, p.code AS province FROM observation_revision r JOIN unit u ON u.id = r.unit_id
                JOIN unit p ON p.id = u.province_id
                """)
            XCTAssertFalse(figures.isEmpty, "province \(code) sees its figures' revisions")
            XCTAssertTrue(figures.allSatisfy { ["nation", "region"].contains($0["level"].text!) || $0["province"].text == code },
                          "province \(code) sees no other province's revised figures: \(figures.map(\.values))")
            XCTAssertEqual(try reader.scalar("SELECT count(*) FROM load_warning"), 0, "warnings hold files' lines")
            XCTAssertThrowsError(try Warehouse(reading: roleURL.string!).verify()) {
                XCTAssertTrue("\($0)".contains("verify as the warehouse's owner"), "\($0)")
            }
            // A command that writes is refused before it writes anything, saying which commands read.
            XCTAssertThrowsError(try Warehouse(path: roleURL.string!, create: false)) {
                XCTAssertTrue("\($0)".contains("province_\(code) may only read the warehouse at \(roleURL.string!) and this "
                                               + "command writes to it: run it as the warehouse's owner"), "\($0)")
            }
            XCTAssertEqual(try Warehouse(reading: roleURL.string!).assessments()?.rows.count, nil, "reading goes on")
            // A dry run of an indicator file reads only (what 'chiso ingest --dry-run' does as the role).
            let reading = try Warehouse(reading: roleURL.string!)
            XCTAssertFalse(try reading.readsEveryRow(), "'chiso rejects' tells the role it sees no rejected rows")
            var dryRun = IndicatorFileLoader(warehouse: reading, units: try reading.unitDirectory(), indicators: try reading.indicators())
            dryRun.dryRun = true
            try "indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,\(code),2020,30\n".write(toFile: "\(folder)/dry.csv", atomically: true, encoding: .utf8)
            XCTAssertEqual(try dryRun.load(path: "\(folder)/dry.csv").summary.loaded, 1)
        }
        XCTAssertEqual(try warehouse.verify().filter { !$0.intact }.map(\.table), [], "the owner's verify finds every seal")
        try owner.execute("DROP ROLE IF EXISTS chiso_bypass; CREATE ROLE chiso_bypass LOGIN BYPASSRLS")
        addTeardownBlock { try? owner.execute("DROP OWNED BY chiso_bypass; DROP ROLE IF EXISTS chiso_bypass") }
        let current = try XCTUnwrap(owner.scalar("SELECT current_user").text)
        for (role, reason) in [("chiso_bypass", "is a superuser or may bypass row-level security"), (current, "owns the warehouse's tables")] {
            XCTAssertThrowsError(try warehouse.grant(role: role, province: "79")) {
                XCTAssertTrue("\($0)".contains("would read every row whatever chiso grants: it \(reason)"), "\($0)")
            }
        }
    }
}
