import Foundation
import Reference
import Warehouse
import XCTest

/// The Warehouse API's contract, written against its public methods only (no SQL, no connection): what any
/// engine behind it must do. `makeWarehouse` gives a fresh, empty warehouse; a second engine runs the same
/// suite by overriding it.
class WarehouseContractTests: XCTestCase {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets").path

    /// A fresh warehouse file in a temporary folder, removed after the test.
    func makeWarehouse() throws -> (warehouse: Warehouse, path: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-contract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("w.sqlite").path
        return (try Warehouse(path: path), path)
    }

    /// A nation, one province and two of its communes, in one version.
    func storeSmallDirectory(_ warehouse: Warehouse) throws -> UnitDirectory {
        let version = UnitVersion.v2025
        try warehouse.storeUnits([
            UnitRecord(code: "VN", level: .nation, version: version, nameVI: "Việt Nam", validFrom: "2025-07-01"),
            UnitRecord(code: "01", level: .province, version: version, nameVI: "Hà Nội", parent: (.nation, "VN"),
                       validFrom: "2025-07-01"),
            UnitRecord(code: "00004", level: .commune, version: version, nameVI: "Ba Đình", parent: (.province, "01"),
                       validFrom: "2025-07-01"),
            UnitRecord(code: "00008", level: .commune, version: version, nameVI: "Ngọc Hà", parent: (.province, "01"),
                       validFrom: "2025-07-01"),
        ], crosswalk: [], aliases: [("HN", UnitKey(version, .province, "01"))])
        return try warehouse.unitDirectory()
    }

    func testUnitsReadBackWithTheirParentsAndAliasesAndStoringAgainKeepsTheirIDs() throws {
        let (warehouse, _) = try makeWarehouse()
        let directory = try storeSmallDirectory(warehouse)
        XCTAssertEqual(directory.units.count, 4)
        let commune = try XCTUnwrap(directory.units.first { $0.code == "00004" })
        XCTAssertEqual(directory.parent(of: commune)?.code, "01")
        XCTAssertEqual(directory.aliases.map(\.0), ["HN"])
        XCTAssertEqual(try warehouse.unitCounts(), ["2025/nation": 1, "2025/province": 1, "2025/commune": 2])
        let again = try storeSmallDirectory(warehouse)
        XCTAssertEqual(again.units.map(\.id), directory.units.map(\.id), "an upsert keeps every unit's id")
        // A unit whose parent is missing is refused, and nothing of the call is stored.
        XCTAssertThrowsError(try warehouse.storeUnits(
            [UnitRecord(code: "99999", level: .commune, version: .v2025, nameVI: "X", parent: (.province, "98"))],
            crosswalk: [], aliases: [])) { XCTAssertTrue("\($0)".contains("no province 98"), "\($0)") }
        XCTAssertEqual(try warehouse.unitDirectory().units.count, 4)
    }

    func testTheCatalogueReadsBackAsLoadedAndLocalTargetsStandAfterTheDecisions() throws {
        let (warehouse, _) = try makeWarehouse()
        let catalogue = try Catalogue(directory: Self.datasets + "/catalog")
        try warehouse.storeCatalogue(catalogue)
        let indicators = try warehouse.indicators()
        XCTAssertEqual(Set(indicators.keys), Set(catalogue.indicators.map(\.code)))
        for indicator in catalogue.indicators { XCTAssertEqual(indicators[indicator.code], indicator) }
        XCTAssertEqual(try warehouse.targets().map(\.id), catalogue.targets.map(\.id))
        XCTAssertEqual(try warehouse.taskIDs(), Set(catalogue.tasks.map(\.id)))
        let first = catalogue.targets[0]
        let local = Target(id: "LOCAL-1", clause: "plan", indicator: first.indicator, textVI: "Kế hoạch", textEN: "Plan",
                           comparator: .atLeast, threshold: 50, unit: first.unit, level: "province", deadline: 2027,
                           note: nil, unitID: nil, source: "local plan")
        try warehouse.transaction { try warehouse.storeLocalTargets([local]) }
        XCTAssertEqual(try warehouse.targets().last?.id, "LOCAL-1")
        XCTAssertEqual(try warehouse.targets().count, catalogue.targets.count + 1)
    }

    func testALoadIsAllOrNothingAndItsRejectsAndWarningsAreKept() throws {
        let (warehouse, _) = try makeWarehouse()
        let directory = try storeSmallDirectory(warehouse)
        try warehouse.storeCatalogue(try Catalogue(directory: Self.datasets + "/catalog"))
        let unit = try XCTUnwrap(directory.units.first { $0.code == "01" }).id
        var summary = LoadSummary(file: "a.csv", sha256: "abc", format: "tidy-csv", dataset: "indicator")
        let row = ObservationRow(indicator: "DOSSIER_FULLY_ONLINE_SHARE", unitID: unit, period: "2024", year: 2024,
                                 value: 40, numerator: 40, denominator: 100, source: "test")
        struct Stop: Error {}
        // A load that fails inside its transaction leaves nothing.
        XCTAssertThrowsError(try warehouse.transaction(loading: summary) {
            let id = try warehouse.record(summary, rejects: [], startedAt: Warehouse.timestamp())
            _ = try warehouse.observationWriter(loadID: id).store(row)
            throw Stop()
        })
        XCTAssertEqual(try warehouse.allObservations().count, 0)
        XCTAssertEqual(try warehouse.loads().count, 0)
        let reject = RejectedRow(line: 3, column: "unit", errorCode: .unknownUnit, message: "no unit X", raw: "x,X,2024,1")
        let stored = try warehouse.transaction(loading: summary) {
            let id = try warehouse.record(summary, rejects: [reject], startedAt: Warehouse.timestamp())
            let writer = try warehouse.observationWriter(loadID: id)
            XCTAssertEqual(try writer.store(row), .inserted)
            XCTAssertEqual(try writer.store(row), .unchanged)
            try warehouse.record(warnings: [RejectedRow(line: 2, column: "value", errorCode: .outlier, message: "far",
                                                        raw: nil)], load: id)
            summary.loadID = id
            summary.loaded = 1
            try warehouse.updateCounts(summary)
        }
        XCTAssertTrue(stored)
        let id = try XCTUnwrap(summary.loadID)
        XCTAssertFalse(try warehouse.transaction(loading: summary) {}, "a file of the same content is loaded once")
        XCTAssertEqual(try warehouse.rejects(load: id), [reject])
        XCTAssertEqual(try warehouse.allRejects().map(\.load.file), ["a.csv"])
        XCTAssertEqual(try warehouse.latestLoadWithRejects(), id)
        XCTAssertEqual(try warehouse.loadedFileName(load: id), "a.csv")
        XCTAssertEqual(try warehouse.warningCounts(), [id: ["outlier": 1]])
        XCTAssertEqual(try warehouse.loads().map(\.loaded), [1])
        XCTAssertEqual(try warehouse.latestLoadID(), id)
        XCTAssertEqual(try warehouse.allObservations().map(\.value), [40])
    }

    func testResultsAreStoredUnderTheirRunAndTheLatestIsReadByDefault() throws {
        let (warehouse, _) = try makeWarehouse()
        let directory = try storeSmallDirectory(warehouse)
        try warehouse.storeCatalogue(try Catalogue(directory: Self.datasets + "/catalog"))
        let unit = try XCTUnwrap(directory.units.first { $0.code == "01" }).id
        func forecast(_ value: Double) -> ForecastRow {
            ForecastRow(indicator: "DOSSIER_FULLY_ONLINE_SHARE", unitID: unit, year: 2025, model: "linear", value: value,
                        lower80: value - 1, upper80: value + 1, lower95: value - 2, upper95: value + 2, slope: 1,
                        pointCount: 5)
        }
        let first = try warehouse.startRun(command: "test")
        try warehouse.storeForecasts([forecast(50)], run: first)
        let second = try warehouse.startRun(command: "test")
        try warehouse.storeForecasts([forecast(60)], run: second)
        try warehouse.finishRun(second, status: .succeeded)
        XCTAssertEqual(try warehouse.forecasts()?.run, second)
        XCTAssertEqual(try warehouse.forecasts()?.rows.map(\.value), [60])
        XCTAssertEqual(try warehouse.forecasts(run: first)?.rows.map(\.value), [50])
        try warehouse.record(settings: ["base_year": "2020"], run: second)
        XCTAssertEqual(try warehouse.settings(run: second), ["base_year": "2020"])
        try warehouse.markUnfinishedRunsInterrupted()
        XCTAssertEqual(try warehouse.lastRun(command: "test")?.status, .succeeded)
        XCTAssertEqual(try warehouse.runs(limit: 10).count, 2)
        try warehouse.storeSetting("computed_inputs", "a")
        try warehouse.storeSetting("computed_inputs", "b")
        XCTAssertEqual(try warehouse.setting("computed_inputs"), "b")
    }

    func testEveryCommitSealsWhatItChangedAndTheReaderChangesNothing() throws {
        let (warehouse, path) = try makeWarehouse()
        _ = try storeSmallDirectory(warehouse)
        XCTAssertTrue(try warehouse.hasSeals())
        XCTAssertTrue(try warehouse.verify().allSatisfy(\.intact))
        XCTAssertEqual(try warehouse.quickCheck(), "ok")
        let reader = try Warehouse(reading: path)
        XCTAssertEqual(try reader.unitDirectory().units.count, 4)
        XCTAssertThrowsError(try reader.storeSetting("x", "y"), "a reader cannot write")
        XCTAssertNil(try warehouse.setting("x"))
        XCTAssertThrowsError(try Warehouse(reading: path + ".missing")) {
            XCTAssertTrue("\($0)".contains("chiso init"), "\($0)")
        }
    }
}
