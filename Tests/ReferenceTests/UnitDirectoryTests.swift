import Reference
@testable import Warehouse
import TestSupport
import XCTest

final class UnitDirectoryTests: XCTestCase {
    var directory: UnitDirectory!
    var warehouse: Warehouse!

    override func setUpWithError() throws {
        (warehouse, directory, _) = try referenceWarehouse.get()
    }

    func count(_ version: UnitVersion, _ level: UnitLevel) -> Int {
        directory.units.filter { $0.version == version && $0.level == level }.count
    }

    func testUnitCountsOfBothVersions() {
        XCTAssertEqual(count(.pre2025, .province), 63)
        XCTAssertEqual(count(.pre2025, .district), 696)
        XCTAssertEqual(count(.pre2025, .commune), 10_035)
        XCTAssertEqual(count(.v2025, .province), 34)
        XCTAssertEqual(count(.v2025, .district), 0)
        XCTAssertEqual(count(.v2025, .commune), 3_321)
        XCTAssertEqual(count(.pre2025, .region), 6)
        XCTAssertEqual(count(.v2025, .region), 6)
    }

    func testEveryUnitButTheNationHasAParentOfAHigherLevel() {
        for unit in directory.units where unit.level != .nation {
            guard let parent = directory.parent(of: unit) else { return XCTFail("\(unit.code) has no parent") }
            XCTAssertGreaterThan(parent.level.rank, unit.level.rank, "\(unit.code)")
            XCTAssertEqual(parent.version, unit.version)
        }
    }

    func testProvinceCrosswalkIsAWholeMergeOfEveryOldProvince() {
        let old = directory.units.filter { $0.version == .pre2025 && $0.level == .province }
        for province in old {
            let successors = directory.successors(of: province)
            XCTAssertEqual(successors.count, 1, province.code)
            XCTAssertEqual(successors.first?.link.share, 1)
            XCTAssertEqual(successors.first?.unit.version, .v2025)
        }
        let new = directory.units.filter { $0.version == .v2025 && $0.level == .province }
        XCTAssertEqual(new.map { directory.predecessors(of: $0).count }.reduce(0, +), 63)
    }

    func testWardCrosswalkSharesOfEachOldWardAddUpToOne() {
        let wards = directory.units.filter { $0.version == .pre2025 && $0.level == .commune }
        var partial = 0
        for ward in wards {
            let links = directory.successors(of: ward)
            guard !links.isEmpty else { continue }
            assertClose(links.map(\.link.share).reduce(0, +), 1, Tolerance.solve, ward.code)
            if links.count > 1 { partial += 1 }
        }
        XCTAssertGreaterThan(partial, 100, "the ward mapping has partial links")
    }

    func testHoaBinhWrittenEveryWayResolvesToCode17() throws {
        for query in ["Hoà Bình", "hoa binh", "Tỉnh Hòa Bình", "Tỉnh Hòa Bình".decomposedStringWithCanonicalMapping,
                      "17"] {
            let resolution = try directory.resolve(query)
            XCTAssertEqual(resolution.matched.code, "17", query)
            XCTAssertEqual(resolution.matched.version, .pre2025, query)
            let later = try directory.resolve(query, on: "2025-07-01")
            XCTAssertEqual(later.inForce.map(\.code), ["25"], query)
            XCTAssertEqual(later.inForce.first?.nameVI, "Phú Thọ")
            XCTAssertEqual(later.inForce.first?.version, .v2025)
        }
    }

    func testCodeIsReadInTheVersionOfTheDate() throws {
        XCTAssertEqual(try directory.resolve("25", on: "2024-12-31").matched.version, .pre2025)
        XCTAssertEqual(try directory.resolve("25", on: "2025-12-31").matched.version, .v2025)
        XCTAssertEqual(try directory.resolve("25").matched.version, .v2025, "today, code 25 is the merged Phú Thọ")
    }

    func testShortFormsAndVariants() throws {
        for query in ["TP HCM", "HCMC", "TP.Hồ Chí Minh", "Ho Chi Minh city", "thành phố hồ chí minh"] {
            XCTAssertEqual(try directory.resolve(query).matched.code, "79", query)
        }
        XCTAssertEqual(try directory.resolve("Thua Thien-Hue").matched.code, "46")
        XCTAssertEqual(try directory.resolve("Bà Rịa–Vũng Tàu").matched.code, "77")
        XCTAssertEqual(try directory.resolve("Phường Phúc Xá").matched.code, "00001")
    }

    func testUnknownNameListsNearestCandidates() {
        XCTAssertThrowsError(try directory.resolve("Hoa Binhh")) { error in
            guard case UnitLookupError.unknown(_, let nearest)? = error as? UnitLookupError else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue(nearest.first?.hasPrefix("17 ") ?? false, "\(nearest)")
        }
    }

    func testAmbiguousNameListsCandidates() {
        // Several districts are called "Châu Thành".
        XCTAssertThrowsError(try directory.resolve("Huyện Châu Thành")) { error in
            guard case UnitLookupError.ambiguous(_, let candidates)? = error as? UnitLookupError else {
                return XCTFail("\(error)")
            }
            XCTAssertGreaterThan(candidates.count, 1)
        }
    }

    func testMinistriesBeforeAndAfterTheRestructuring() throws {
        let mic = try directory.resolve("MIC", on: "2025-06-01")
        XCTAssertEqual(mic.matched.validTo, "2025-02-28")
        XCTAssertEqual(mic.inForce.map(\.code), ["MOST"])
        let ministries2025 = directory.units.filter {
            $0.level == .ministry && $0.version == .v2025 && ["ministry", "ministry_level"].contains($0.kind ?? "")
        }
        XCTAssertEqual(ministries2025.count, 17, "14 ministries and 3 ministry-level agencies since 1 March 2025")
        XCTAssertEqual(try directory.resolve("MPS", on: "2025-06-01").inForce.map(\.code), ["MPS"])
    }

    func testStoringAgainChangesNothing() throws {
        func snapshot() throws -> [Row] {
            try warehouse.db.rows("SELECT * FROM unit ORDER BY id") + warehouse.db.rows(
                "SELECT * FROM crosswalk ORDER BY from_unit_id, to_unit_id")
        }
        let before = try snapshot()
        let (_, _, catalogue) = try referenceWarehouse.get()
        let reference = try Ingest.ReferenceDataset(directory: datasetsFolder + "/reference")
        try warehouse.storeUnits(reference.units + catalogue.ministryUnits.units, crosswalk: reference.crosswalk + catalogue.ministryUnits.crosswalk, aliases: reference.aliases)
        XCTAssertEqual(try snapshot(), before)
    }
}

import Ingest
