import Foundation
import Pipeline
import TestSupport
@testable import Warehouse
import XCTest

/// The nightly on a PostgreSQL warehouse writes what it writes on SQLite.
final class PostgresPipelineTests: XCTestCase {
    func testTheSampleNightlyWritesTheSameOutputsOnPostgreSQLAsOnSQLite() throws {
        let url = try PostgresTestServer.freshDatabase(for: self, prefix: "chiso_nightly")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        try "a test key of more than sixteen bytes".write(toFile: folder + "/key", atomically: true, encoding: .utf8)
        let datasets = PipelineTests.datasets
        func run(warehouse: String, output: String) throws -> RunRecord {
            let config = folder + "/\(output).yaml"
            try """
                warehouse: \(warehouse)
                datasets: \(datasets)
                indicators: ["\(datasets)/sample/synthetic/indicators.csv"]
                registries:
                  population: \(datasets)/sample/synthetic/population.csv
                  land: \(datasets)/sample/synthetic/land.csv
                  business: \(datasets)/sample/synthetic/business.csv
                registry_as_of: 2024-12-31
                pseudonym_key_file: key
                local_targets: ["\(datasets)/sample/local-targets.csv"]
                task_status: ["\(datasets)/sample/task-status.csv"]
                scenarios: ["\(datasets)/scenarios/*.yaml"]
                simulation: {draws: 1000, seed: 5}
                output: \(output)
                """.write(toFile: config, atomically: true, encoding: .utf8)
            return try runNightly(try NightlyConfig.load(path: config))
        }
        let onSQLite = try run(warehouse: "w.sqlite", output: "sqlite")
        let onPostgres = try run(warehouse: url, output: "postgres")
        XCTAssertEqual(onPostgres.status, .warnings, "the sample's spoiled registry rows: \(onPostgres.steps)")
        XCTAssertEqual(onPostgres.steps.map(\.step), onSQLite.steps.map(\.step))
        XCTAssertEqual(onPostgres.steps.map(\.status), onSQLite.steps.map(\.status))
        for file in ["scorecard.csv", "series.csv", "scenarios.csv", "rejects.csv", "tasks.csv", "forecasts.sdmx.csv",
                     "observations.sdmx.csv"] {
            let sqlite = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/sqlite/run-\(onSQLite.run)/\(file)"))
            let postgres = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/postgres/run-\(onPostgres.run)/\(file)"))
            XCTAssertGreaterThan(sqlite.count, 100, file)
            XCTAssertTrue(sqlite == postgres, "\(file) differs between the engines")
        }
        // The report too, but for the minute it was made.
        func report(_ path: String) throws -> String {
            try String(contentsOfFile: path, encoding: .utf8)
                .replacingOccurrences(of: #"\d\d/\d\d/\d{4} \d\d:\d\d"#, with: "TIME", options: .regularExpression)
        }
        XCTAssertEqual(try report("\(folder)/postgres/run-\(onPostgres.run)/report.html"),
                       try report("\(folder)/sqlite/run-\(onSQLite.run)/report.html"))
        // Every table the run wrote is sealed, and intact, on the server.
        let warehouse = try Warehouse(reading: url)
        let seals = try warehouse.verify()
        XCTAssertGreaterThan(seals.count, 10)
        XCTAssertTrue(seals.allSatisfy(\.intact), "\(seals.filter { !$0.intact })")
    }
}
