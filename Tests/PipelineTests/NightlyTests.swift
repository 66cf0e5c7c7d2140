import Foundation
import Pipeline
@testable import Warehouse
import XCTest

/// The nightly job run again and again on one warehouse: what it recomputes, what it retries.
/// `PostgresNightlyTests` runs the same on PostgreSQL.
class NightlyTests: WarehouseTestCase {
    static let datasets = PipelineTests.datasets
    static let reportFiles = PipelineTests.reportFiles

    func testANewFileRecomputesOnlyTheIndicatorsItFeedsWithTheSameResultsAsAFullRun() throws {
        let folder = try temporaryFolder()
        let location = try nightlyWarehouse(in: folder)
        let config = folder + "/pipeline.yaml"
        try FileManager.default.createDirectory(atPath: folder + "/in", withIntermediateDirectories: true)
        try """
            warehouse: \(location)
            datasets: \(Self.datasets)
            indicators: ["in/*.csv"]
            output: out
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: Self.datasets + "/sample/synthetic/indicators.csv", toPath: folder + "/in/a.csv")
        XCTAssertEqual(try runNightly(try NightlyConfig.load(path: config)).status, .succeeded)
        // A revision of one province's 2024 value arrives.
        try "indicator,unit,period,value,numerator,denominator\nDATA_ANALYTICS_AI_PLATFORM_SHARE,01,2024,80,69741,87176\n"
            .write(toFile: folder + "/in/b.csv", atomically: true, encoding: .utf8)
        let incremental = try runNightly(try NightlyConfig.load(path: config))
        XCTAssertEqual(incremental.status, .succeeded, "\(incremental.steps)")
        for name in ["aggregate", "forecast"] {
            let detail = incremental.steps.first { $0.step == name }?.detail ?? ""
            XCTAssertTrue(detail.hasSuffix("(only DATA_ANALYTICS_AI_PLATFORM_SHARE: the rest is unchanged)"), detail)
        }
        let warehouse = try Warehouse(path: location)
        func results() throws -> (observations: [String], forecasts: [String]) {
            let observations = try warehouse.allObservations().map { "\($0.indicator)|\($0.unitID)|\($0.period)|\($0.value ?? .nan)|\($0.origin)" }
            let forecasts = try XCTUnwrap(warehouse.forecasts()).rows.map { "\($0.indicator)|\($0.unitID)|\($0.year)|\($0.model)|\($0.value)|\($0.upper95 ?? .nan)" }
            return (observations.sorted(), forecasts.sorted())
        }
        let afterIncremental = try results()
        XCTAssertTrue(afterIncremental.forecasts.contains { $0.hasPrefix("DATA_ANALYTICS_AI_PLATFORM_SHARE|") })
        XCTAssertTrue(afterIncremental.forecasts.contains { $0.hasPrefix("EGDI_RANK|") }, "other indicators' forecasts are carried over")
        let full = try runNightly(try NightlyConfig.load(path: config), full: true)
        XCTAssertFalse(full.steps.first { $0.step == "forecast" }?.detail.contains("only") ?? true)
        let afterFull = try results()
        XCTAssertEqual(afterIncremental.observations, afterFull.observations, "the same aggregates as a full run")
        XCTAssertEqual(afterIncremental.forecasts, afterFull.forecasts, "the same forecasts as a full run")
    }

    func testABrokenFileFailsItsStepSkipsWhatNeedsItAndRetryRerunsOnlyThose() throws {
        let folder = try temporaryFolder()
        let location = try nightlyWarehouse(in: folder)
        let config = folder + "/pipeline.yaml"
        try """
            warehouse: \(location)
            datasets: \(Self.datasets)
            indicators: [indicators.csv]
            local_targets: ["\(Self.datasets)/sample/local-targets.csv"]
            output: out
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try "indicator,unit,period,value\nDVC_L4_SHARE,VN,2023,abc\n".write(toFile: folder + "/indicators.csv",
                                                                           atomically: true, encoding: .utf8)
        let broken = try runNightly(try NightlyConfig.load(path: config))
        XCTAssertEqual(broken.status, .failed)
        let statuses = Dictionary(uniqueKeysWithValues: broken.steps.map { ($0.step, $0.status) })
        XCTAssertEqual(statuses, ["init": .succeeded, "ingest:indicators": .failed, "ingest:local_targets": .succeeded,
                                  "aggregate": .skipped, "forecast": .skipped, "assess": .skipped, "report": .skipped])
        XCTAssertTrue(broken.steps.first { $0.step == "aggregate" }?.detail == "needs ingest:indicators, which failed")
        XCTAssertTrue(broken.reports.isEmpty)

        // The file is fixed; --retry reruns what failed or was skipped, not what succeeded.
        try FileManager.default.removeItem(atPath: folder + "/indicators.csv")
        try FileManager.default.copyItem(atPath: Self.datasets + "/sample/synthetic/indicators.csv",
                                         toPath: folder + "/indicators.csv")
        let retried = try runNightly(try NightlyConfig.load(path: config), retrying: true)
        XCTAssertEqual(retried.status, .succeeded, "\(retried.steps)")
        XCTAssertEqual(retried.steps.map(\.step), ["ingest:indicators", "aggregate", "forecast", "assess", "report"])
        XCTAssertEqual(retried.loads.map(\.status), [.loaded])
        XCTAssertEqual(retried.reports.map { ($0 as NSString).lastPathComponent }, Self.reportFiles)
        XCTAssertThrowsError(try runNightly(try NightlyConfig.load(path: config), retrying: true)) { error in
            XCTAssertTrue("\(error)".contains("succeeded: nothing to retry"), "\(error)")
        }
    }
}

/// `NightlyTests` on PostgreSQL.
final class PostgresNightlyTests: NightlyTests {
    override class var onPostgreSQL: Bool { true }
    override func testABrokenFileFailsItsStepSkipsWhatNeedsItAndRetryRerunsOnlyThose() throws {
        try super.testABrokenFileFailsItsStepSkipsWhatNeedsItAndRetryRerunsOnlyThose()
    }
}
