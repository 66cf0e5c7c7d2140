import Foundation
import Ingest
import Pipeline
import Reference
import Reports
import Warehouse
import TestSupport
import XCTest

/// The report step on a small warehouse: the CSVs against golden files, and the SDMX export read back.
final class ReportStepTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.path
    }

    func warehouse(in folder: String, name: String = "w.sqlite") throws -> Warehouse {
        let warehouse = try Warehouse(path: folder + "/" + name)
        _ = try initialise(warehouse, datasets: PipelineTests.datasets)
        return warehouse
    }

    func loader(_ warehouse: Warehouse) throws -> IndicatorFileLoader {
        var loader = IndicatorFileLoader(warehouse: warehouse, units: try warehouse.unitDirectory(),
                                         indicators: try warehouse.indicators())
        loader.maxRejectRate = 0.5
        return loader
    }

    /// Compares the file at `path`, with the test's folder written as TMP, to its golden file.
    func assertGolden(_ path: String, _ name: String, folder: String, file: StaticString = #filePath,
                      line: UInt = #line) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: folder, with: "TMP")
        try assertMatchesGolden(text, Self.golden.appendingPathComponent(name), file: file, line: line)
    }

    func testCSVsMatchTheirGoldenFilesAndTheSDMXExportReadsBack() throws {
        let folder = try folder()
        let warehouse = try warehouse(in: folder)
        // Two provinces (one old, one merged in 2025) over 2020-2024, the nation's ranks, a formula and a bad row.
        var csv = "indicator,unit,period,value,numerator,denominator,source\n"
        for (i, year) in (2020...2024).enumerated() {
            csv += "DOSSIER_FULLY_ONLINE_SHARE,01,\(year),\(30 + 8 * i),\(30 + 8 * i),100,test\n"
            csv += "DOSSIER_FULLY_ONLINE_SHARE,02,\(year),\(2 * (10 + 3 * i)),\(10 + 3 * i),50,test\n"
        }
        csv += "EGDI_RANK,VN,2020,86,,,\"=HYPERLINK(\"\"http://x\"\")\"\nEGDI_RANK,VN,2022,86,,,test\nEGDI_RANK,VN,2024,71,,,test\n"
        csv += "DOSSIER_FULLY_ONLINE_SHARE,Atlantis,2024,5,,,test\n"
        let input = folder + "/input.csv"
        try csv.write(toFile: input, atomically: true, encoding: .utf8)
        let (summary, _) = try loader(warehouse).load(path: input)
        XCTAssertEqual(summary.rejected, 1)
        // One day for every step, so what is overdue and what is forecast stay the same on any day the test runs.
        func run(_ command: String) throws -> RunContext {
            RunContext(warehouse, runID: try warehouse.startRun(command: command), today: "2026-12-01")
        }
        try aggregateStep(try run("aggregate"))
        try forecastStep(try run("forecast"), years: [2025])
        try assessStep(try run("assess"))
        let output = folder + "/out"
        Warehouse.reads = [:]
        let written = try reportStep(try run("report"), directory: output, options: ReportOptions(excel: true))
        XCTAssertEqual(Warehouse.reads, ["units": 1, "indicators": 1, "targets": 1, "observations": 1, "forecasts": 1,
                                         "assessments": 1, "simulations": 1], "the report's gather reads each table once")
        XCTAssertEqual(written.map { ($0 as NSString).lastPathComponent }, PipelineTests.reportFiles)
        for name in ["scorecard.csv", "series.csv", "rejects.csv", "scenarios.csv", "tasks.csv"] {
            try assertGolden(output + "/" + name, name, folder: folder)
        }
        let series = try Data(contentsOf: URL(fileURLWithPath: output + "/series.csv"))
        XCTAssertEqual(Array(series.prefix(3)), [0xEF, 0xBB, 0xBF], "--excel starts a CSV with a byte-order mark")
        let rejects = try String(contentsOfFile: output + "/rejects.csv", encoding: .utf8)
        XCTAssertTrue(rejects.contains("Atlantis"))
        XCTAssertFalse(try String(contentsOfFile: output + "/series.csv", encoding: .utf8).contains(",=HYPERLINK"))

        // The observations export reads back into a fresh warehouse with the same values.
        let copy = try self.warehouse(in: folder, name: "copy.sqlite")
        let (loaded, refused) = try loader(copy).loadSDMX(path: output + "/observations.sdmx.csv")
        XCTAssertEqual(loaded.status, .loaded, "\(refused.prefix(3))")
        XCTAssertEqual(loaded.rejected, 0)
        func values(_ w: Warehouse, loadedOnly: Bool) throws -> [String: Double] {
            let directory = try w.unitDirectory()
            var result: [String: Double] = [:]
            for row in try w.allObservations() where !loadedOnly || row.origin == "loaded" {
                guard let unit = directory.unit(id: row.unitID), let period = Period(row.period),
                      unit.isValid(on: period.endDate), let value = row.value else { continue }
                result["\(row.indicator)|\(unit.version.rawValue)|\(unit.level.rawValue)|\(unit.code)|\(row.period)"] = value
            }
            return result
        }
        let original = try values(warehouse, loadedOnly: false), readBack = try values(copy, loadedOnly: true)
        XCTAssertEqual(original.count, 13, "10 province values and 3 ranks; computed 2025-version values of earlier years are not exported")
        XCTAssertEqual(Set(readBack.keys), Set(original.keys))
        for (key, value) in original { assertClose(readBack[key], value, Tolerance.approximation, key) }
        // A forecast is not an observation.
        let (forecasts, reasons) = try loader(copy).loadSDMX(path: output + "/forecasts.sdmx.csv")
        XCTAssertEqual(forecasts.status, .failed)
        XCTAssertEqual(Set(reasons.map(\.errorCode)), ["forecast_not_observation"])
    }

    /// A year observed gets no forecast, so the next report's "previous report's forecasts beside what was
    /// observed" compares only forecasts made before the year was observed. Every year judged was forecast,
    /// observed or not, and a run after a year's figure came in showed the model's fitted value for it as a
    /// forecast that came true.
    func testAYearObservedIsNotForecastAndThePreviousForecastComparedIsARealOne() throws {
        let folder = try folder()
        let warehouse = try warehouse(in: folder)
        func load(_ years: ClosedRange<Int>) throws {
            let input = folder + "/input-\(years.upperBound).csv"
            try ("indicator,unit,period,value\n" + years.map { "DOSSIER_FULLY_ONLINE_SHARE,VN,\($0),\(30 + 8 * ($0 - 2019) + $0 % 2)\n" }.joined())
                .write(toFile: input, atomically: true, encoding: .utf8)
            XCTAssertEqual(try loader(warehouse).load(path: input).0.status, .loaded)
        }
        func run(_ command: String) throws -> RunContext {
            RunContext(warehouse, runID: try warehouse.startRun(command: command), today: "2026-12-01")
        }
        // Each pass forecasts, assesses and reports; it gives the report's HTML and the years forecast.
        func pass(_ name: String) throws -> (html: String, years: [Int]) {
            try aggregateStep(try run("aggregate"))
            try forecastStep(try run("forecast"), years: [2024])
            try assessStep(try run("assess"))
            try reportStep(try run("report"), directory: folder + "/" + name)
            let years = try XCTUnwrap(warehouse.forecasts()).rows.map(\.year)
            return (try String(contentsOfFile: folder + "/" + name + "/report.html", encoding: .utf8), years)
        }
        try load(2019...2024)
        let first = try pass("first")
        XCTAssertEqual(first.years, [2025], "2024 is observed: only the deadline ahead")
        try load(2025...2025)
        let second = try pass("second")
        XCTAssertEqual(second.years, [], "every year to forecast is observed; the first run's 2025 is not the latest")
        XCTAssertTrue(second.html.contains("Dự báo của báo cáo trước so với số liệu quan sát"),
                      "the first report forecast 2025, observed now")
        let third = try pass("third")
        XCTAssertFalse(third.html.contains("Dự báo của báo cáo trước so với số liệu quan sát"),
                       "the second report forecast no year")
        // The assessment of the 2025 target rests on the observation, with no forecast pace beside it.
        let judged = try XCTUnwrap(warehouse.assessments()).rows.filter { $0.assessedYear == 2025 && $0.basis == "observed" }
        XCTAssertFalse(judged.isEmpty)
        XCTAssertTrue(judged.allSatisfy { $0.observedPace == nil })
    }
}
