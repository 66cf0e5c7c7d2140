import Analytics
import Foundation
import Pipeline
import Reference
@testable import Warehouse
import Ingest
import Reports
import Synthetic
import TestSupport
import XCTest

final class PipelineTests: WarehouseTestCase {
    static let reportFiles = ["scorecard.csv", "series.csv", "scenarios.csv", "rejects.csv", "tasks.csv",
                              "observations.sdmx.csv", "forecasts.sdmx.csv", "README.txt", "report.html"]
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets").path

    /// Every row of every table, for comparing two states of a warehouse.
    func dump(_ warehouse: Warehouse) throws -> [String: [Row]] {
        var tables: [String: [Row]] = [:]
        for name in ["unit", "unit_alias", "crosswalk", "indicator", "target", "task"] {
            tables[name] = try warehouse.db.rows("SELECT * FROM \(name) ORDER BY 1, 2")
        }
        return tables
    }

    func testInitTwiceLeavesTheSameWarehouse() throws {
        let path = try temporaryFolder() + "/w.sqlite"
        let first = try initialise(try Warehouse(path: path), datasets: Self.datasets)
        let before = try dump(try Warehouse(path: path))
        let second = try initialise(try Warehouse(path: path), datasets: Self.datasets)
        XCTAssertEqual(first, second)
        XCTAssertEqual(try dump(try Warehouse(path: path)), before)
        XCTAssertEqual(first.units["pre2025/province"], 63)
        XCTAssertEqual(first.units["2025/province"], 34)
        XCTAssertEqual(first.targets, 48)
    }

    func testGenerateIsDeterministic() throws {
        let catalogue = try Catalogue(directory: Self.datasets + "/catalog")
        let a = try syntheticIndicatorCSV(catalogue: catalogue, reference: Self.datasets + "/reference", seed: 7)
        let b = try syntheticIndicatorCSV(catalogue: catalogue, reference: Self.datasets + "/reference", seed: 7)
        let c = try syntheticIndicatorCSV(catalogue: catalogue, reference: Self.datasets + "/reference", seed: 8)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        let sample = try String(contentsOfFile: Self.datasets + "/sample/synthetic/indicators.csv", encoding: .utf8)
        XCTAssertEqual(sample, try syntheticIndicatorCSV(catalogue: catalogue, reference: Self.datasets + "/reference",
                                                         seed: 942, skipping: RegistryIndicators.derived),
                       "the bundled sample is 'chiso generate --seed 942'")
    }

    func testProvinceNumeratorsAddUpToTheNationalValue() throws {
        let catalogue = try Catalogue(directory: Self.datasets + "/catalog")
        let csv = try syntheticIndicatorCSV(catalogue: catalogue, reference: Self.datasets + "/reference", seed: 3)
        var numerators: [String: Double] = [:], denominators: [String: Double] = [:], national: [String: Double] = [:]
        for line in csv.components(separatedBy: "\r\n").dropFirst() where !line.isEmpty {
            let f = line.components(separatedBy: ",")
            guard f[4] != "" else { continue }
            let key = f[0] + "|" + f[2]
            if f[1] == "VN" { national[key] = Double(f[3]) } else {
                numerators[key, default: 0] += Double(f[4]) ?? .nan
                denominators[key, default: 0] += Double(f[5]) ?? .nan
            }
        }
        XCTAssertFalse(national.isEmpty)
        // The file writes shares to 4 decimals: each is within half a unit of the 4th.
        for (key, value) in national {
            XCTAssertEqual(value ?? .nan, 100 * numerators[key, default: .nan] / denominators[key, default: .nan],
                           accuracy: 0.5e-4, key)
        }
    }

    func testNightlyOnTheSampleScoresEveryTarget() throws {
        let folder = try temporaryFolder()
        let config = folder + "/pipeline.yaml"
        try """
            warehouse: w.sqlite
            datasets: \(Self.datasets)
            indicators: ["\(Self.datasets)/sample/synthetic/indicators.csv"]
            registries:
              population: \(Self.datasets)/sample/synthetic/population.csv
              land: \(Self.datasets)/sample/synthetic/land.csv
              business: \(Self.datasets)/sample/synthetic/business.csv
            registry_as_of: 2024-12-31
            pseudonym_key_file: key
            task_status: ["\(Self.datasets)/sample/task-status.csv"]
            scenarios: ["\(Self.datasets)/scenarios/*.yaml"]
            simulation: {draws: 1000, seed: 5}
            output: out
            """.write(toFile: config, atomically: true, encoding: .utf8)
        try "a test key of more than sixteen bytes".write(toFile: folder + "/key", atomically: true, encoding: .utf8)
        Warehouse.reads = [:]
        let record = try runNightly(try NightlyConfig.load(path: config))
        XCTAssertEqual(Warehouse.reads.filter { ["units", "indicators", "targets"].contains($0.key) },
                       ["units": 1, "indicators": 1, "targets": 1], "every step shares the run's units and catalogue")
        let reported = try XCTUnwrap(try Warehouse(reading: folder + "/w.sqlite").reportedRuns(report: record.run))
        XCTAssertEqual([reported.assessment, reported.forecast, reported.simulation], [record.run, record.run, record.run],
                       "the report records the runs of the results it shows")
        // The sample's registries hold rows spoiled on purpose: the run loads the rest and warns.
        XCTAssertEqual(record.status, .warnings, "\(record.steps)")
        XCTAssertEqual(record.steps.map(\.step), ["init", "ingest:indicators", "ingest:registries", "derive",
                                                  "ingest:task_status", "aggregate", "forecast", "assess", "simulate", "report"])
        let simulated = try XCTUnwrap(record.steps.first { $0.step == "simulate" })
        XCTAssertEqual(simulated.status, .succeeded)
        XCTAssertTrue(simulated.detail.hasPrefix("3 scenarios"), simulated.detail)
        let spoiled = try CSVTable(path: Self.datasets + "/sample/synthetic/bad-rows.csv").rows.count
        XCTAssertEqual(record.loads.map(\.rejected).reduce(0, +), spoiled)
        XCTAssertEqual(record.steps[2].status, .warnings)
        XCTAssertTrue(record.steps[2].detail.contains("\(spoiled) rejected"), record.steps[2].detail)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/out/run-\(record.run)/run.json"))
        let csv = try String(contentsOfFile: folder + "/out/run-\(record.run)/scorecard.csv", encoding: .utf8)
        let rows = csv.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
        let catalogue = try Catalogue(directory: Self.datasets + "/catalog")
        for target in catalogue.targets where target.deadline == 2025 {
            let lines = rows.filter { $0.hasPrefix(target.id + ",") }
            XCTAssertFalse(lines.isEmpty, "\(target.id) missing from the scorecard")
            for line in lines {
                XCTAssertNil(line.range(of: ",(no data|not assessable),", options: .regularExpression),
                             "\(target.id) has no status: \(line.prefix(120))")
            }
        }
        // Forecasts of shares stay within 0-100.
        let header = csv.components(separatedBy: "\r\n")[0].components(separatedBy: ",")
        let columns = ["value_at_deadline", "forecast_lower95", "forecast_upper95"].compactMap(header.firstIndex(of:))
        XCTAssertEqual(columns.count, 3)
        for line in rows where line.contains(",percent,") {
            let fields = line.components(separatedBy: ",")
            for value in columns.map({ fields[$0] }).compactMap(Double.init) {
                XCTAssertTrue((0...100).contains(value), "\(fields[0]) \(fields[3]): \(value)")
            }
        }
        // The nation is one series across the reorganisation: one national row per national target.
        let national = rows.filter { $0.hasPrefix("III.1.d,") && $0.contains(",VN,") }
        XCTAssertEqual(national.count, 1, "\(national)")
        let html = try String(contentsOfFile: folder + "/out/run-\(record.run)/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("DỮ LIỆU MẪU TỔNG HỢP"), "the sample is labelled synthetic")
        // The first page says what produced it, and that there is no earlier report to compare with.
        XCTAssertTrue(html.contains("đánh giá của lượt chạy \(record.run), năm gốc 2020; dự báo của lượt chạy \(record.run)"
                                    + " (đến các năm hạn); mô phỏng của lượt chạy \(record.run), 1.000 lần rút, hạt giống 5"))
        XCTAssertTrue(html.contains("sổ dân cư tại ngày 31/12/2024") && html.contains("chiso \(Program.version)"))
        XCTAssertTrue(html.contains("đánh giá này (lượt chạy \(record.run)) là đánh giá đầu tiên được báo cáo"))
        // The loaded task statuses count: the sample's completed task is not "no report".
        let tasks = try String(contentsOfFile: folder + "/out/run-\(record.run)/tasks.csv", encoding: .utf8)
        XCTAssertTrue(tasks.contains(",I.1,2022,completed,completed,2023-06-30,"), tasks.prefix(400).description)
        XCTAssertTrue(tasks.contains("\r\nMOST,MIC,"), "MIC's tasks are led by MOST")
        // The CSVs' companion says the same, and latest/ is the newest report.
        let readme = try String(contentsOfFile: folder + "/out/run-\(record.run)/README.txt", encoding: .utf8)
        XCTAssertTrue(readme.contains("đánh giá của lượt chạy \(record.run), năm gốc 2020") && readme.contains("  scorecard.csv – "), readme)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/out/latest"), "run-\(record.run)")
        // No raw code in the Vietnamese text a reader sees.
        let text = html.replacingOccurrences(of: "<style>[\\s\\S]*</style>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        for pattern in [#"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"#, #"\b[a-z]+_[a-z_]+\b"#] {
            XCTAssertNil(text.range(of: pattern, options: .regularExpression).map { String(text[$0]) }, pattern)
        }

        let again = try runNightly(try NightlyConfig.load(path: config))
        XCTAssertEqual(again.status, .succeeded, "a second run over the same warehouse: \(again.steps)")
        XCTAssertEqual(again.loads.map(\.status), [.skipped, .skipped, .skipped, .skipped, .skipped],
                       "the same files are not loaded twice")
        for name in ["aggregate", "forecast", "assess", "simulate"] {
            XCTAssertTrue(again.steps.first { $0.step == name }?.detail.hasPrefix("up to date") ?? false,
                          "\(name) has nothing new to compute: \(again.steps)")
        }
        XCTAssertEqual(again.reports.map { ($0 as NSString).lastPathComponent }, Self.reportFiles,
                       "the morning still has its report")
        let full = try runNightly(try NightlyConfig.load(path: config), full: true)
        XCTAssertTrue(full.steps.first { $0.step == "forecast" }?.detail.hasSuffix("forecasts") ?? false, "\(full.steps)")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/out/latest"), "run-\(full.run)")
        // A new assessment is compared with the latest report of an older one: nothing moved.
        let recomputed = try String(contentsOfFile: folder + "/out/run-\(full.run)/report.html", encoding: .utf8)
        XCTAssertTrue(recomputed.contains("Thay đổi so với báo cáo trước (lượt chạy \(again.run),"), "\(again.run)")
        XCTAssertTrue(recomputed.contains("Mới đạt: 0 · Cải thiện: 0 · Xấu đi: 0"))
        // A new year passes targets' years judged: the next run recomputes, though no input changed.
        let nextYear = try runNightly(try NightlyConfig.load(path: config), today: "\(Int(Clock.today().prefix(4))! + 1)-01-02")
        for name in ["aggregate", "forecast", "assess", "simulate"] {
            XCTAssertFalse(nextYear.steps.first { $0.step == name }?.detail.hasPrefix("up to date") ?? true,
                           "\(name) computes again in a new year: \(nextYear.steps)")
        }
    }

    /// A folder holding a pipeline file of the sample's indicators into `w.sqlite`, reports in `out/`.
    func samplePipeline() throws -> (folder: String, config: String) {
        let folder = try temporaryFolder()
        let config = folder + "/pipeline.yaml"
        try """
            warehouse: w.sqlite
            datasets: \(Self.datasets)
            indicators: ["\(Self.datasets)/sample/synthetic/indicators.csv"]
            output: out
            """.write(toFile: config, atomically: true, encoding: .utf8)
        return (folder, config)
    }

    func testASecondRunIsRefusedWhileOneHoldsTheWarehouseAndAStaleLockIsTakenOver() throws {
        let (folder, config) = try samplePipeline()
        var holder: WriterLock? = try WriterLock(warehouse: folder + "/w.sqlite", holder: "chiso ingest")
        XCTAssertThrowsError(try runNightly(try NightlyConfig.load(path: config))) { error in
            XCTAssertTrue("\(error)".contains("chiso ingest (pid \(getpid()) on \(ProcessInfo.processInfo.hostName), started "), "\(error)")
            XCTAssertTrue("\(error)".contains("is writing to this warehouse: wait for it to finish (--wait SECONDS waits)"), "\(error)")
        }
        // Another path to the same file - a symbolic link to its folder, a relative path - is the same warehouse.
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: folder)
        XCTAssertThrowsError(try WriterLock(warehouse: folder + "/link/./w.sqlite", holder: "chiso nightly"))
        XCTAssertThrowsError(try WriterLock(warehouse: folder + "/link/../" + (folder as NSString).lastPathComponent + "/w.sqlite",
                                            holder: "chiso nightly"))
        var told: [String] = []
        let started = Date()
        XCTAssertThrowsError(try WriterLock(warehouse: folder + "/link/w.sqlite", holder: "chiso nightly", wait: 0.5) { told.append($0) })
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.5)
        XCTAssertEqual(told.count, 1)
        XCTAssertTrue(told.first?.hasPrefix("waiting up to 0.5 s for the warehouse: chiso ingest (pid") ?? false, "\(told)")
        holder = nil
        XCTAssertNil(holder)
        // A run killed while it held the lock leaves its line in the file but no lock: the next run takes over.
        try "pid 999999, started 2026-11-28T03:00:00Z".write(toFile: folder + "/w.sqlite.lock", atomically: false, encoding: .utf8)
        let lock = try WriterLock(warehouse: folder + "/link/w.sqlite", holder: "chiso nightly")
        XCTAssertEqual(lock.takenOverFrom, "pid 999999, started 2026-11-28T03:00:00Z")
    }

    /// The same pipeline file run with another warehouse (--db) wrote its run 1 over the published run 1 of the
    /// file's own: a run folder holds one warehouse's reports, and another's run is refused there.
    func testARunOfAnotherWarehouseDoesNotReplaceARunFolder() throws {
        let (folder, config) = try samplePipeline()
        XCTAssertNotEqual(try runNightly(try NightlyConfig.load(path: config)).status, .failed)
        let published = try String(contentsOfFile: folder + "/out/run-1/scorecard.csv", encoding: .utf8)
        XCTAssertEqual(try String(contentsOfFile: folder + "/out/run-1/.warehouse", encoding: .utf8),
                       URL(fileURLWithPath: folder + "/w.sqlite").resolvingSymlinksInPath().path + "\n")
        XCTAssertThrowsError(try runNightly(try NightlyConfig.load(path: config, warehouse: folder + "/other.sqlite"))) { error in
            XCTAssertTrue("\(error)".contains("out/run-1 holds the reports of run 1 of another warehouse, "
                                              + URL(fileURLWithPath: folder + "/w.sqlite").resolvingSymlinksInPath().path), "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: folder + "/out/run-1/scorecard.csv", encoding: .utf8), published)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/out/latest"), "run-1")
    }

    /// A writer that found no warehouse removes its lock file as it ends; one that waited on that file then
    /// holds the file at the lock's path, not the removed one (else a third writer would get in beside it).
    func testALockFileRemovedWhileAWriterWaitsIsTakenAnew() throws {
        let folder = try temporaryFolder()
        let missing = folder + "/none.sqlite"
        var first: WriterLock? = try WriterLock(warehouse: missing, holder: "chiso derive")
        let waited = expectation(description: "the second writer gets the lock")
        nonisolated(unsafe) var second: WriterLock?
        DispatchQueue.global().async {
            second = try? WriterLock(warehouse: missing, holder: "chiso ingest", wait: 10)
            waited.fulfill()
        }
        Thread.sleep(forTimeInterval: 0.5)
        first = nil
        XCTAssertNil(first)
        wait(for: [waited], timeout: 15)
        XCTAssertNotNil(second)
        XCTAssertTrue((try? String(contentsOfFile: missing + ".lock", encoding: .utf8))?.hasPrefix("chiso ingest (pid") ?? false,
                      "the second writer's line is in the file at the lock's path")
        XCTAssertThrowsError(try WriterLock(warehouse: missing, holder: "chiso report"), "and a third is refused")
        second = nil
        XCTAssertFalse(FileManager.default.fileExists(atPath: missing + ".lock"))
    }

    func testAStaleSourceIsAWarningAndAFailedStepIsSaidInTheRunAndTheReport() throws {
        let folder = try temporaryFolder()
        let config = folder + "/pipeline.yaml"
        func write(_ maxAge: String) throws {
            try """
                warehouse: w.sqlite
                datasets: \(Self.datasets)
                indicators: ["\(Self.datasets)/sample/synthetic/indicators.csv"]
                max_age:
                  indicators: \(maxAge)
                output: out
                """.write(toFile: config, atomically: true, encoding: .utf8)
        }
        // The sample's newest periods are 2025: on any day of 2026 that is older than one day, within five years.
        try write("1 day")
        let stale = try runNightly(try NightlyConfig.load(path: config))
        XCTAssertEqual(stale.status, .warnings)
        let step = try XCTUnwrap(stale.steps.first { $0.step == "freshness" })
        XCTAssertEqual(step.status, .warnings)
        XCTAssertTrue(step.detail.contains("indicators: newest data of 2025-12-31, older than 1 day"), step.detail)
        let html = try String(contentsOfFile: folder + "/out/run-\(stale.run)/report.html", encoding: .utf8)
        XCTAssertTrue(html.contains("indicators: newest data of 2025-12-31, older than 1 day"))
        try write("5 years")
        let fresh = try runNightly(try NightlyConfig.load(path: config))
        XCTAssertEqual(fresh.steps.first { $0.step == "freshness" }?.status, .succeeded)
        // A step that fails is said on the report too: its simulation was missing (or an earlier run's) unsaid.
        try "name: s\ninterventions:\n  - indicators: [NO_SUCH]\n    from: 2026\n    add_per_year: 2\n"
            .write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        try (String(contentsOfFile: config, encoding: .utf8) + "\nscenarios: [s.yaml]\n").write(toFile: config, atomically: true, encoding: .utf8)
        let failed = try runNightly(try NightlyConfig.load(path: config))
        XCTAssertEqual(failed.status, .failed)
        let report = try String(contentsOfFile: folder + "/out/run-\(failed.run)/report.html", encoding: .utf8)
        XCTAssertTrue(report.contains("Các bước không hoàn thành trong lượt chạy này"))
        XCTAssertTrue(report.contains("simulate: " + folder + "/s.yaml:3 [interventions[0].indicators]: no indicator NO_SUCH"), report)
        let readme = try String(contentsOfFile: folder + "/out/run-\(failed.run)/README.txt", encoding: .utf8)
        XCTAssertTrue(readme.contains("  - simulate: " + folder + "/s.yaml:3 [interventions[0].indicators]: no indicator NO_SUCH"), readme)
        try write("soon")
        XCTAssertThrowsError(try NightlyConfig.load(path: config)) { error in
            XCTAssertTrue("\(error)".contains("max_age.indicators"), "\(error)")
        }
        XCTAssertEqual(MaxAge("18 months")?.cutoff(from: "2026-11-29"), "2025-05-29")
        XCTAssertEqual(MaxAge("45 days")?.cutoff(from: "2026-03-01"), "2026-01-15")
    }

    func testTyposInTheNightlyAndInAScenarioAreRefusedWithTheirLine() throws {
        let folder = try temporaryFolder()
        let config = folder + "/pipeline.yaml"
        try "warehouse: w.sqlite\nindicators: []\noutputs: out\nlangauge: en\n".write(toFile: config, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try NightlyConfig.load(path: config)) { error in
            XCTAssertTrue("\(error)".hasPrefix(config + ":3:1 [outputs]: unknown setting 'outputs'; did you mean 'output'?"), "\(error)")
        }
        let scenario = folder + "/s.yaml"
        try """
            name: s
            interventions:
              - indicators: [DVC_L4_SHARE]
                from: 2026
                add_per_yaer: 2
            """.write(toFile: scenario, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Scenario.load(path: scenario)) { error in
            XCTAssertTrue("\(error)".hasPrefix(scenario + ":5:5 [interventions[0].add_per_yaer]: unknown setting 'add_per_yaer'; did you mean 'add_per_year'?"),
                          "\(error)")
        }
        // Without 'from' too, the misspelt change is what is named.
        try "name: s\ninterventions:\n  - indicators: [DVC_L4_SHARE]\n    add_per_yaer: 2\n".write(toFile: scenario, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Scenario.load(path: scenario)) { error in
            XCTAssertTrue("\(error)".contains("unknown setting 'add_per_yaer'; did you mean 'add_per_year'?"), "\(error)")
        }
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.datasets + "/scenarios") where file.hasSuffix(".yaml") {
            XCTAssertNoThrow(try Scenario.load(path: Self.datasets + "/scenarios/" + file), file)
        }
        XCTAssertNoThrow(try NightlyConfig.load(path: Self.datasets + "/sample/pipeline.yaml"))
    }

    /// The nightly's warehouse: --db, else the file's `warehouse:` (relative to the file), else $CHISO_DB, else
    /// refused - never a file made wherever the job happens to start.
    func testTheNightlysWarehouseIsDbElseTheFilesElseChisoDB() throws {
        let folder = try temporaryFolder()
        let named = folder + "/named.yaml", unnamed = folder + "/unnamed.yaml"
        try "warehouse: w.sqlite\nindicators: []\n".write(toFile: named, atomically: true, encoding: .utf8)
        try "indicators: []\n".write(toFile: unnamed, atomically: true, encoding: .utf8)
        let environment = ["CHISO_DB": "postgresql://chiso@127.0.0.1:5432/chiso"]
        XCTAssertEqual(try NightlyConfig.load(path: named, environment: environment).warehouse,
                       URL(fileURLWithPath: folder + "/w.sqlite").standardizedFileURL.path)
        XCTAssertEqual(try NightlyConfig.load(path: named, warehouse: "other.sqlite", environment: environment).warehouse,
                       "other.sqlite")
        XCTAssertEqual(try NightlyConfig.load(path: unnamed, environment: environment).warehouse,
                       "postgresql://chiso@127.0.0.1:5432/chiso")
        XCTAssertEqual(try NightlyConfig.load(path: unnamed, warehouse: "x.sqlite", environment: [:]).warehouse, "x.sqlite")
        XCTAssertThrowsError(try NightlyConfig.load(path: unnamed, environment: [:])) { error in
            XCTAssertEqual("\(error)", unnamed + " [warehouse]: no warehouse: name it here ('warehouse: chiso.sqlite' or a "
                           + "postgresql:// URL), by --db or by CHISO_DB")
        }
    }
}

/// The compute core on real reference data: population aggregated 63 -> 34, ratios from communes, and
/// Viet Nam's UN E-Government rank against the decision's rank targets.
class ComputeCoreTests: WarehouseTestCase {
    static let datasets = PipelineTests.datasets

    func warehouse(with csv: String) throws -> Warehouse {
        let warehouse = try initialisedWarehouse()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).csv").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: file) }
        try csv.write(toFile: file, atomically: true, encoding: .utf8)
        var loader = IndicatorFileLoader(warehouse: warehouse, units: try warehouse.unitDirectory(),
                                         indicators: try warehouse.indicators())
        loader.maxRejectRate = 0
        let (summary, rejects) = try loader.load(path: file)
        XCTAssertEqual(summary.status, .loaded, "\(rejects.prefix(3))")
        return warehouse
    }

    func testPopulationOf63ProvincesAggregatesTo34AsTheSumOfEachNewProvincesMembers() throws {
        let population = try CSVTable(path: Self.datasets + "/reference/population/population_by_province_2011_2024.csv")
        var csv = "indicator,unit,period,value\n"
        var people: [String: Double] = [:]
        for row in population.rows where row.fields["year"] == "2024" {
            let code = try population.value(row, "gso_code")
            let value = try XCTUnwrap(Double(try population.value(row, "avg_population_thousand"))) * 1000
            people[code] = value
            csv += "POPULATION,\(code),2024,\(value)\n"
        }
        XCTAssertEqual(people.count, 63)
        let warehouse = try warehouse(with: csv)
        let runID = try warehouse.startRun(command: "test")
        let summary = try aggregateStep(RunContext(warehouse, runID: runID))
        XCTAssertGreaterThan(summary.derived["crosswalk"] ?? 0, 34)
        // Independently: the merge table says which old provinces form each new one.
        let merges = try CSVTable(path: Self.datasets + "/reference/2025/province_merge_63_to_34.csv")
        var expected: [String: Double] = [:]
        for row in merges.rows {
            expected[try merges.value(row, "new_code"), default: 0] += people[try merges.value(row, "old_code")] ?? .nan
        }
        let directory = try warehouse.unitDirectory()
        var found: [String: Double] = [:]
        for row in try warehouse.allObservations() where row.indicator == "POPULATION" {
            guard let unit = directory.unit(id: row.unitID), unit.version == .v2025 else { continue }
            if unit.level == .province {
                found[unit.code] = row.value
                XCTAssertEqual(row.origin, "crosswalk", "converted values are flagged")
            }
            if unit.level == .nation { assertClose(row.value ?? 0, people.values.reduce(0, +), Tolerance.rounding) }
        }
        XCTAssertEqual(found.count, 34)
        for (code, total) in expected { assertClose(found[code] ?? .nan, total, Tolerance.rounding, code) }
    }

    func testARatioFromCommunesIsTheRatioOfTheSums() throws {
        let wards = try CSVTable(path: Self.datasets + "/reference/pre2025/wards.csv")
        let districts = try CSVTable(path: Self.datasets + "/reference/pre2025/districts.csv")
        let inProvince17 = Set(districts.rows.filter { $0.fields["province_code"] == "17" }.compactMap { $0.fields["code"] })
        var csv = "indicator,unit,period,value,numerator,denominator\n"
        var online = 0.0, total = 0.0, shares: [Double] = []
        for (index, row) in wards.rows.enumerated() where inProvince17.contains(row.fields["district_code"] ?? "") {
            let code = try wards.value(row, "code")
            let denominator = Double(50 + index % 37), numerator = Double(index % 29)
            online += numerator
            total += denominator
            shares.append(100 * numerator / denominator)
            csv += "DOSSIER_FULLY_ONLINE_SHARE,\(code),2024,\(100 * numerator / denominator),\(numerator),\(denominator)\n"
        }
        XCTAssertGreaterThan(shares.count, 100)
        let warehouse = try warehouse(with: csv)
        try aggregateStep(RunContext(warehouse, runID: try warehouse.startRun(command: "test")))
        let directory = try warehouse.unitDirectory()
        let province = try XCTUnwrap(warehouse.allObservations().first { row in
            directory.unit(id: row.unitID).map { $0.level == .province && $0.code == "17" } ?? false
        })
        assertClose(province.value ?? .nan, 100 * online / total, Tolerance.rounding)
        XCTAssertEqual(province.numerator, online)
        XCTAssertNotEqual(province.value ?? .nan, shares.reduce(0, +) / Double(shares.count), accuracy: 0.01,
                          "not the mean of the communes' ratios")
    }

    /// Series of different horizons are forecast in groups; what comes out is in the order it is stored and
    /// read back in (indicator, unit, year), whatever order the groups came in (a dictionary's, which varies
    /// from process to process): `forecast --year` printed the same rows in another order on each engine.
    func testComputedForecastsComeInTheOrderTheyAreReadBackIn() throws {
        var csv = "indicator,unit,period,value\n"
        for (unit, start) in [("VN", 40.0), ("01", 50.0), ("79", 45.0)] {
            for year in 2019...2024 { csv += "DOSSIER_FULLY_ONLINE_SHARE,\(unit),\(year),\(start + Double(year - 2019) * 4)\n" }
        }
        for (year, rank) in [(2018, 88), (2020, 86), (2022, 86), (2024, 71)] { csv += "EGDI_RANK,VN,\(year),\(rank)\n" }
        let warehouse = try warehouse(with: csv)
        let runID = try warehouse.startRun(command: "test")
        let computed = try computeForecasts(RunContext(warehouse, runID: runID), years: [2027]).rows
        XCTAssertEqual(Set(computed.map(\.indicator)), ["DOSSIER_FULLY_ONLINE_SHARE", "EGDI_RANK"])
        try warehouse.storeForecasts(computed, run: runID)
        let stored = try XCTUnwrap(warehouse.forecasts(run: runID)).rows
        XCTAssertEqual(computed.map { "\($0.indicator) \($0.unitID) \($0.year)" }, stored.map { "\($0.indicator) \($0.unitID) \($0.year)" })
    }

    /// A year asked for is, for a survey rank, the first survey at or after it (METHODS.md 3.5): the UN
    /// survey's rank of Viet Nam, every two years to 2024, was forecast for 2025 and 2027, years with no survey.
    /// A rank published every year is forecast for the years asked.
    func testASurveyRankIsForecastForSurveyYearsOnly() throws {
        var csv = "indicator,unit,period,value\n"
        for (year, rank) in [(2018, 88), (2020, 86), (2022, 86), (2024, 71)] { csv += "EGDI_RANK,VN,\(year),\(rank)\n" }
        for (year, rank) in [(2021, 7), (2022, 7), (2023, 7), (2024, 6)] { csv += "CUSTOMS_RANK_SEA,VN,\(year),\(rank)\n" }
        let warehouse = try warehouse(with: csv)
        let context = RunContext(warehouse, runID: try warehouse.startRun(command: "test"))
        let rows = try computeForecasts(context, years: [2025, 2027, 2030]).rows
        func years(_ indicator: String) -> [Int] { rows.filter { $0.indicator == indicator }.map(\.year) }
        // The catalogue judges EGDI_RANK in 2025 (on the 2026 survey) and 2030, CUSTOMS_RANK_SEA in 2025.
        XCTAssertEqual(years("EGDI_RANK"), [2026, 2028, 2030])
        XCTAssertEqual(years("CUSTOMS_RANK_SEA"), [2025, 2027, 2030])
    }

    /// A registry figure the report suppresses is neither forecast nor assessed, and neither are the years
    /// before it: a province with 0 of 11 enterprises on e-invoices in 2019-2020 and too few to show since was
    /// forecast at 0% for 2030 from its two oldest figures.
    func testASeriesRestsOnItsFiguresSinceTheLastOneSuppressed() throws {
        func shares(_ unit: String, _ figures: [(Int, Int, Int)]) -> String {
            figures.map { "EINVOICE_SHARE,\(unit),\($0.0),\(Double($0.1) / Double($0.2) * 100),\($0.1),\($0.2)\n" }.joined()
        }
        let recent = [(2020, 20, 50), (2021, 25, 52), (2022, 30, 55), (2023, 35, 60), (2024, 40, 62)]
        let header = "indicator,unit,period,value,numerator,denominator\n"
        // Hà Nội: shown in 2019-2020 (nobody), 5 of 12 since. Quảng Ninh, its sibling in the Red River Delta,
        // is suppressed beside it from 2021 (it would reveal Hà Nội's figure from the region's) and in 2019 (3
        // of 40). Thanh Hóa, alone in its region: 3 of 40 in 2019, then as many as Quảng Ninh.
        let warehouse = try warehouse(with: header + shares("01", [(2019, 0, 11), (2020, 0, 11)] + (2021...2024).map { ($0, 5, 12) })
                                      + shares("22", [(2019, 3, 40)] + recent) + shares("38", [(2019, 3, 40)] + recent)
                                      + shares("VN", recent.dropLast() + [(2024, 5, 100)]))
        let context = RunContext(warehouse, runID: try warehouse.startRun(command: "test"))
        let directory = try warehouse.unitDirectory()
        func id(_ code: String) throws -> Int {
            try XCTUnwrap(directory.units.first { $0.code == code && $0.isValid(on: context.today) }).id
        }
        let forecasts = try computeForecasts(context, years: [2030]).rows
        XCTAssertEqual(Set(forecasts.map(\.unitID)), [try id("38")],
                       "Hà Nội, Quảng Ninh and the nation have no figure since their last suppressed one")
        let thanhHoa = try XCTUnwrap(forecasts.first { $0.year == 2030 && $0.unitID == (try? id("38")) })
        XCTAssertEqual(thanhHoa.pointCount, 5)
        // The same as Thanh Hóa's 2020-2024 figures alone give.
        let tail = try self.warehouse(with: header + shares("38", recent) + shares("VN", recent))
        let tailContext = RunContext(tail, runID: try tail.startRun(command: "test"))
        let alone = try computeForecasts(tailContext, years: [2030]).rows
        let thanhHoaAlone = try XCTUnwrap(alone.first { $0.year == 2030 && $0.unitID == thanhHoa.unitID })
        XCTAssertEqual(thanhHoa.model, thanhHoaAlone.model)
        XCTAssertEqual(thanhHoa.value, thanhHoaAlone.value, accuracy: 1e-9)
        // The nation is assessed on the decision's e-invoice target with its 2024 figure, and not at all when
        // that figure is suppressed (its 2023 figure is not its latest).
        try tail.storeForecasts(alone, run: try XCTUnwrap(tailContext.runID))
        XCTAssertTrue(try computeAssessments(tailContext).contains { $0.unitID == (try? id("VN")) && $0.latestYear == 2024 })
        try warehouse.storeForecasts(forecasts, run: try XCTUnwrap(context.runID))
        XCTAssertFalse(try computeAssessments(context).contains { $0.unitID == (try? id("VN")) })
    }

    /// A forecast with no spread left (two points on a line) is not simulated: every draw was the forecast
    /// itself, and a unit page showed a 100% chance with the band [100; 100] from two observations.
    func testAForecastWithoutASpreadIsNotSimulated() throws {
        var csv = "indicator,unit,period,value\n"
        for (unit, start) in [("01", 40.0), ("22", 30.0)] {
            for year in 2019...2024 { csv += "PORTAL_ONLINE_INTERACTION_SHARE,\(unit),\(year),\(start + Double(year - 2019) * 5 + Double(year % 3))\n" }
        }
        csv += "PORTAL_ONLINE_INTERACTION_SHARE,20,2023,25\nPORTAL_ONLINE_INTERACTION_SHARE,20,2024,71.25\n"
        let warehouse = try warehouse(with: csv)
        let context = RunContext(warehouse, runID: try warehouse.startRun(command: "test"))
        try forecastStep(context)
        let scenario = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).yaml").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: scenario) }
        try "name: steady\ninterventions:\n  - indicators: [PORTAL_ONLINE_INTERACTION_SHARE]\n    from: 2026\n    add_per_year: 0\n"
            .write(toFile: scenario, atomically: true, encoding: .utf8)
        let rows = try simulate(context, scenarios: [try Scenario.load(path: scenario)], settings: SimulationSettings(draws: 500)).rows
        let directory = try warehouse.unitDirectory()
        let simulated = Set(rows.compactMap { row in directory.unit(id: row.unitID).map(\.code) })
        XCTAssertTrue(simulated.isSuperset(of: ["01", "22"]), "\(simulated)")
        XCTAssertFalse(simulated.contains("20"), "Lạng Sơn's two points leave no spread")
    }

    /// A scenario whose change or question would change nothing is refused saying why, and a number that is
    /// not one is refused: each of these ran and answered "no effect" or "not reachable" (or NaN) before.
    func testAScenarioThatWouldChangeNothingIsRefusedSayingWhy() throws {
        var csv = "indicator,unit,period,value\n"
        for (unit, start) in [("01", 40.0), ("22", 30.0), ("VN", 35.0)] {
            for year in 2019...2024 { csv += "PORTAL_ONLINE_INTERACTION_SHARE,\(unit),\(year),\(start + Double(year - 2019) * 5 + Double(year % 3))\n" }
        }
        csv += "PORTAL_ONLINE_INTERACTION_SHARE,22,2025,58\n"
        let warehouse = try warehouse(with: csv)
        let context = RunContext(warehouse, runID: try warehouse.startRun(command: "test"))
        func run(_ yaml: String) throws -> SimulationSummary {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).yaml").path
            addTeardownBlock { try? FileManager.default.removeItem(atPath: file) }
            try yaml.write(toFile: file, atomically: true, encoding: .utf8)
            return try simulate(context, scenarios: [try Scenario.load(path: file)], settings: SimulationSettings(draws: 300))
        }
        func change(_ indicators: String, _ units: String, _ amount: String = "10") -> String {
            "name: s\ninterventions:\n  - indicators: \(indicators)\n    units: \(units)\n    from: 2025\n    add_per_year: \(amount)\n"
        }
        func assertRefused(_ yaml: String, _ expected: String, line: UInt = #line) {
            XCTAssertThrowsError(try run(yaml), line: line) { XCTAssertTrue("\($0)".contains(expected), "\($0)", line: line) }
        }
        let portal = "[PORTAL_ONLINE_INTERACTION_SHARE]"
        assertRefused(change(portal, "[\"17\"]"), ":4 [interventions[0].units]: 17 Hoà Bình ended on 2025-06-30: it is now part of 25 Phú Thọ; name that")
        assertRefused(change(portal, "[\"00004\"]"), "00004 Ba Đình is a commune: districts and communes are not simulated")
        XCTAssertFalse(try run(change(portal, "[\"25\"]")).rows.isEmpty, "a province with no series here changes nothing, and runs")
        assertRefused(change("[POPULATION]", "all"), "POPULATION has no target to simulate")
        XCTAssertFalse(try run(change("[DIGITAL_ID_L2_SHARE]", "[\"01\"]")).rows.isEmpty, "no series here, nothing to change")
        assertRefused(change(portal, "all", ".nan"), "nan is not a number to change by")
        assertRefused(change(portal, "{below: .inf}"), "is not a number")
        func question(_ unit: String, _ gainUnits: String, from: String = "") -> String {
            "name: q\ninverse:\n  - target: III.2.c\n    unit: \"\(unit)\"\n    gain_units: \(gainUnits)\n\(from)"
        }
        // What the data decide is "not reachable", not a refusal: the nation simulated from its own series, a year observed.
        XCTAssertNil(try run(question("VN", "[\"01\"]", from: "    from: 2025\n")).gains.first?.gain)
        XCTAssertNil(try run(question("22", "[\"22\"]", from: "    from: 2025\n")).gains.first?.gain)
        assertRefused(question("01", "[\"01\"]"), "III.2.c is judged in 2025: a gain from 2027 cannot change it (ask with from: 2025 or earlier")
        assertRefused(question("17", "all", from: "    from: 2025\n"), "17 Hoà Bình ended on 2025-06-30: it is now part of 25 Phú Thọ")
        XCTAssertEqual(try run(question("01", "[\"01\"]", from: "    from: 2025\n")).gains.count, 1)
        // An indicator listed twice is changed once.
        func median(_ yaml: String) throws -> Double {
            let unit = try XCTUnwrap(warehouse.unitDirectory().units.first { $0.code == "01" && $0.isValid(on: context.today) })
            return try XCTUnwrap(run(yaml).rows.first { $0.unitID == unit.id }).median
        }
        XCTAssertEqual(try median(change("[PORTAL_ONLINE_INTERACTION_SHARE, PORTAL_ONLINE_INTERACTION_SHARE]", "[\"01\"]")),
                       try median(change(portal, "[\"01\"]")))
    }

    /// A ministry that was not restructured, in figures before and after 1 March 2025, is one ministry in the
    /// summary of a file (the ministries come with the catalogue, which `init` stores).
    func testAnIngestSummaryCountsAMinistryThatWasNotRestructuredOnce() throws {
        let warehouse = try initialisedWarehouse()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).csv").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: file) }
        try "indicator,unit,period,value\nREPORTING_ON_NATIONAL_SYSTEM_SHARE,MOJ,2024,50\nREPORTING_ON_NATIONAL_SYSTEM_SHARE,MOJ,2025,60\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        var loader = IndicatorFileLoader(warehouse: warehouse, units: try warehouse.unitDirectory(), indicators: try warehouse.indicators())
        loader.dryRun = true
        let summary = try loader.load(path: file).summary
        XCTAssertTrue(summary.message?.contains(", 1 unit (1 ministry), REPORTING_ON_NATIONAL_SYSTEM_SHARE, 2024-2025") ?? false,
                      summary.message ?? "")
    }

    func testVietNamsUNRankAgainstTop50In2025AndTop30In2030() throws {
        let survey = try CSVTable(path: Self.datasets + "/reference/egov/egov_survey_2003_2024.csv")
        var csv = "indicator,unit,period,value,source\n"
        for row in survey.rows where row.fields["iso3"] == "VNM" {
            csv += "EGDI_RANK,VN,\(try survey.value(row, "year")),\(try survey.value(row, "egov_rank")),UN DESA\n"
        }
        let warehouse = try warehouse(with: csv)
        try forecastStep(RunContext(warehouse, runID: try warehouse.startRun(command: "test")))
        try assessStep(RunContext(warehouse, runID: try warehouse.startRun(command: "test")))
        let rows = try scorecard(RunContext(warehouse))
        let top50 = try XCTUnwrap(rows.first { $0.targetID == "III.5.a" && $0.unitCode == "VN" })
        XCTAssertEqual(top50.latestValue, 71)
        XCTAssertEqual(top50.latestYear, 2024)
        XCTAssertEqual(top50.assessedYear, 2026, "2025 falls between surveys: judged on the 2026 survey")
        XCTAssertEqual(top50.basis, "forecast")
        let p50 = try XCTUnwrap(top50.probability)
        XCTAssertTrue((0...1).contains(p50))
        let top30 = try XCTUnwrap(rows.first { $0.targetID == "II-un-egov-top30" && $0.unitCode == "VN" })
        XCTAssertEqual(top30.assessedYear, 2030)
        XCTAssertLessThan(try XCTUnwrap(top30.probability), p50, "the top 30 by 2030 is harder than the top 50")
        let sentence = Explanation.sentence(top50, language: .en)
        XCTAssertTrue(sentence.hasPrefix("Việt Nam: 71st in 2024; the target is the top 50 by 2025"), sentence)
        XCTAssertTrue(sentence.contains("the forecast for 2026 (the first survey after the deadline)"), sentence)
        XCTAssertTrue(sentence.contains("; chance of meeting the target: "), sentence)
        XCTAssertEqual(top50.model, "naive")
        XCTAssertFalse(sentence.contains("recent pace"), "carried forward, the rank has no pace of its own, not a pace of 0: \(sentence)")
        XCTAssertTrue(Explanation.sentence(top30, language: .vi).contains("top 30 vào năm 2030"))
        print("III.5.a:", sentence)
        print("II:", Explanation.sentence(top30, language: .en))
    }
}

/// Local plans' targets beside the decision's.
class LocalTargetTests: WarehouseTestCase {
    func testLocalTargetsAreAssessedForTheirUnitAndLabelledWithTheirSource() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let datasets = PipelineTests.datasets
        let warehouse = try initialisedWarehouse()
        try """
            warehouse: \(warehouse.path)
            datasets: \(datasets)
            indicators: ["\(datasets)/sample/synthetic/indicators.csv"]
            local_targets: ["\(datasets)/sample/local-targets.csv"]
            output: out
            """.write(toFile: folder + "/p.yaml", atomically: true, encoding: .utf8)
        let record = try runNightly(try NightlyConfig.load(path: folder + "/p.yaml"))
        XCTAssertEqual(record.status, .succeeded, "\(record.steps)")
        let rows = try scorecard(RunContext(warehouse))
        let hanoi = rows.filter { $0.clause == "Kế hoạch mẫu 01/KH-UBND (synthetic example)" }
        XCTAssertEqual(hanoi.map(\.unitCode), ["01"], "assessed for Hà Nội only")
        XCTAssertEqual(hanoi.first?.threshold, 95)
        XCTAssertNotEqual(hanoi.first?.status, "no data")
        let national = rows.filter { $0.clause == "Ví dụ kế hoạch bộ (synthetic example)" }
        XCTAssertEqual(national.map(\.unitCode), ["VN"])
        XCTAssertEqual(national.first?.latestValue, rows.first { $0.targetID == "III.1.d" && $0.unitCode == "VN" }?.latestValue,
                       "the same series as the decision's III.1.d, against the plan's own threshold")
    }

    func testTheRealPopulationOf2011To2020ForecastsEveryOldProvinceTo2024AndTheNewOnesFromTheCrosswalk() throws {
        let warehouse = try initialisedWarehouse()
        let reference = PipelineTests.datasets + "/reference/population/population_by_province_2011_2024.csv"
        let lines = try String(contentsOfFile: reference, encoding: .utf8).split(whereSeparator: \.isNewline)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        // The long layout, cut to 2011-2020 (the year is the fourth column).
        try (lines.prefix(1) + lines.dropFirst().filter { (Int($0.split(separator: ",")[3]) ?? 0) <= 2020 })
            .joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let directory = try warehouse.unitDirectory()
        var loader = IndicatorFileLoader(warehouse: warehouse, units: directory,
                                         indicators: try warehouse.indicators())
        loader.maxRejectRate = 0
        let loaded = try loader.loadStatisticsOfficeTable(path: file, indicator: "POPULATION",
                                                          measures: [MeasureChoice("avg_population_thousand")])
        XCTAssertEqual(loaded.summary.loaded, 63 * 10, loaded.summary.message ?? "")
        let runID = try warehouse.startRun(command: "test")
        try aggregateStep(RunContext(warehouse, runID: runID))
        try forecastStep(RunContext(warehouse, runID: runID))
        var years: [Int: Set<Int>] = [:]
        for row in try warehouse.forecasts(run: runID)?.rows ?? [] where row.indicator == "POPULATION" {
            years[row.unitID, default: []].insert(row.year)
        }
        let old = directory.units.filter { $0.level == .province && $0.version == .pre2025 }
        XCTAssertEqual(old.count, 63)
        for unit in old {
            // Eleven provinces continue unchanged: their series is the 2025 unit's.
            let id = directory.latestContinuation(of: unit).id
            XCTAssertTrue(Set(2021...2024).isSubset(of: years[id] ?? []), "\(unit.code) \(unit.nameVI): \(years[id] ?? [])")
        }
        let new = directory.units.filter { $0.level == .province && $0.version == .v2025 }
        XCTAssertEqual(new.count, 34)
        for unit in new {
            XCTAssertTrue(Set(2021...2024).isSubset(of: years[unit.id] ?? []), "\(unit.code) \(unit.nameVI)")
        }
        // Hà Nội's 2021 forecast from 2011-2020 against the 8,330,800 the statistics office published.
        let hanoi = directory.latestContinuation(of: try XCTUnwrap(old.first { $0.code == "01" })).id
        let forecast = try XCTUnwrap(try warehouse.forecasts(run: runID)?.rows.first {
            $0.indicator == "POPULATION" && $0.unitID == hanoi && $0.year == 2021
        })
        XCTAssertEqual(forecast.value, 8_330_800, accuracy: 0.03 * 8_330_800)
    }

    func testALocalTargetOfAMergedProvinceIsRepointedWithAWarningAndAssessedOnTheMergedSeries() throws {
        let warehouse = try initialisedWarehouse()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-lt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Hà Nam, Nam Định and Ninh Bình became the 2025 Ninh Bình.
        var csv = "indicator,unit,period,value\n"
        for year in 2015...2024 {
            for (code, base) in [("35", 850_000), ("36", 1_780_000), ("37", 990_000)] {
                csv += "POPULATION,\(code),\(year),\(base + (year - 2015) * 5_000)\n"
            }
        }
        let observations = folder.appendingPathComponent("population.csv").path
        try csv.write(toFile: observations, atomically: true, encoding: .utf8)
        let directory = try warehouse.unitDirectory()
        let indicators = try warehouse.indicators()
        XCTAssertEqual(try IndicatorFileLoader(warehouse: warehouse, units: directory, indicators: indicators)
                        .load(path: observations).summary.loaded, 30)
        let plan = folder.appendingPathComponent("plan.csv").path
        try "indicator,unit,comparator,threshold,deadline,source\nPOPULATION,Hà Nam,>=,4000000,2030,KH Hà Nam\n"
            .write(toFile: plan, atomically: true, encoding: .utf8)
        let (summary, _) = try LocalTargetLoader(warehouse: warehouse, units: directory, indicators: indicators).load(path: plan)
        XCTAssertEqual(summary.status, .loaded)
        XCTAssertTrue(summary.message?.contains("35 Hà Nam (province, pre2025) is now part of 37 Ninh Bình") ?? false,
                      summary.message ?? "no warning")
        let runID = try warehouse.startRun(command: "test")
        try aggregateStep(RunContext(warehouse, runID: runID))
        try forecastStep(RunContext(warehouse, runID: runID))
        try assessStep(RunContext(warehouse, runID: runID))
        let rows = try warehouse.assessments(run: runID)?.rows.filter { $0.targetID.hasPrefix("KH Hà Nam") } ?? []
        XCTAssertFalse(rows.isEmpty, "the plan's target is assessed")
        let ninhBinh = try XCTUnwrap(directory.units.first { $0.version == .v2025 && $0.level == .province && $0.code == "37" })
        XCTAssertTrue(rows.allSatisfy { $0.unitID == ninhBinh.id })
        let merged: Double = 850_000 + 1_780_000 + 990_000 + 3 * 45_000
        assertClose(rows.first?.latestValue ?? .nan, merged, Tolerance.rounding, "the three old provinces added up")
    }

    func testABadLocalTargetFailsTheFileWithItsReason() throws {
        let warehouse = try initialisedWarehouse()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-lt-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "indicator,unit,comparator,threshold,deadline,source\nDVC_L4_SHARE,Hà Nội,>,90,2025,KH 1\nDVC_L4_SHARE,Hà Nội,>=,90,2025,KH 1\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let loader = LocalTargetLoader(warehouse: warehouse, units: try warehouse.unitDirectory(),
                                       indicators: try warehouse.indicators())
        let (summary, rejects) = try loader.load(path: file)
        XCTAssertEqual(summary.status, .failed)
        XCTAssertEqual(rejects.map(\.line), [2])
        XCTAssertEqual(rejects.first?.column, "comparator")
        XCTAssertEqual(try warehouse.db.scalar("SELECT count(*) FROM target WHERE unit_id IS NOT NULL"), .integer(0))
    }
}

class RegistryPipelineTests: WarehouseTestCase {
    static let key = Data("a test key of more than sixteen bytes".utf8)

    func load(_ registry: Registry, _ text: String, into warehouse: Warehouse) throws -> LoadSummary {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString).csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let loader = try RegistryLoader(warehouse: warehouse, units: try warehouse.unitDirectory(),
                                        registry: registry, asOf: "2024-12-31",
                                        pseudonymiser: registry == .population ? try Pseudonymiser(key: Self.key) : nil)
        return try loader.load(path: path).summary
    }

    /// (value, numerator, denominator) of `indicator` in the unit with `code` (pre-2025 units) in `period`.
    func observation(_ warehouse: Warehouse, _ indicator: String, _ code: String, _ level: String,
                     _ period: String) throws -> [Double?]? {
        try warehouse.db.rows("""
            SELECT o.value, o.numerator, o.denominator FROM observation o JOIN unit u ON u.id = o.unit_id
            WHERE o.indicator = ? AND u.code = ? AND u.level = ? AND u.version = 'pre2025' AND o.period = ?
            """, [indicator, code, level, period]).first.map { row in row.values.map(\.double) }
    }

    func testTheReportsRejectsListShowsNoRegistryRow() throws {
        let warehouse = try initialisedWarehouse()
        let summary = try load(.population, """
            citizen_id,birth_date,sex,unit,identity_level,registration_date,status
            001085104729,1985-03-04,M,00001,2,2022-09-01,active
            001185000001,2031-07-01,F,00001,2,2024-03-01,active
            """, into: warehouse)
        XCTAssertEqual(summary.rejected, 1)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        let run = try warehouse.startRun(command: "test")
        try assessStep(RunContext(warehouse, runID: run))
        _ = try reportStep(RunContext(warehouse, runID: run), directory: folder)
        let rejects = try String(contentsOfFile: folder + "/rejects.csv", encoding: .utf8)
        let lines = rejects.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 2, rejects)
        XCTAssertTrue(lines[1].hasSuffix(",registry row: see chiso rejects --load \(try XCTUnwrap(summary.loadID)),"), lines[1])
        XCTAssertFalse(rejects.contains("2031") || rejects.contains("1185000001"), "nothing of the person's row")
    }

    func testDeriveCountsResidentsIdentitiesInvoicesAndParcelsByUnitAndYear() throws {
        let warehouse = try initialisedWarehouse()
        let people = """
            citizen_id,birth_date,sex,unit,identity_level,registration_date,status
            001085104729,1985-03-04,M,00001,2,2022-09-01,active
            001185000001,1985-07-01,F,00001,2,2024-03-01,active
            001215000002,2015-01-01,M,00001,none,,active
            001190000003,1990-05-05,F,00004,1,2023-01-01,active
            001170000004,1970-01-01,F,00004,2,2023-06-01,deceased
            001323000005,2023-02-02,F,00004,none,,active
            """
        XCTAssertEqual(try load(.population, people, into: warehouse).loaded, 6)
        XCTAssertEqual(try load(.business, """
            tax_code,name,unit,industry,registration_date,status,e_invoice,e_invoice_since
            0100233488,A,01,C25,2010-05-01,active,true,2022-07-01
            0100233495,B,01,G46,2023-03-01,active,false,
            0100233505,C,01,F41,2021-01-01,dissolved,true,2021-06-01
            0100233512,D,79,C10,2020-02-01,active,true,2020-05-01
            """, into: warehouse).loaded, 4)
        XCTAssertEqual(try load(.land, """
            parcel_id,unit,area_m2,land_use,certificate_issued,record_digitised
            P1,00001,100,ONT,true,true
            P2,00001,200,LUA,true,false
            P3,00001,300,CLN,false,false
            """, into: warehouse).loaded, 3)

        let summary = try deriveStep(RunContext(warehouse))
        XCTAssertEqual(summary.status, .loaded)
        // Residents: the active ones, by commune; the other communes of Ha Noi count zero; other provinces nothing.
        XCTAssertEqual(try observation(warehouse, "POPULATION", "00001", "commune", "2024")?[0], 3)
        XCTAssertEqual(try observation(warehouse, "POPULATION", "00004", "commune", "2024")?[0], 2)
        XCTAssertEqual(try observation(warehouse, "POPULATION", "00006", "commune", "2024")?[0], 0)
        XCTAssertNil(try observation(warehouse, "POPULATION", "26734", "commune", "2024"), "Ho Chi Minh City has no resident in the extract")
        // Level-2 identities by the end of each year since the first registration, among residents born by then.
        XCTAssertEqual(try observation(warehouse, "DIGITAL_ID_L2_SHARE", "00001", "commune", "2022")?.compactMap { $0 }, [100.0 / 3, 1, 3])
        XCTAssertEqual(try observation(warehouse, "DIGITAL_ID_L2_SHARE", "00001", "commune", "2024")?.compactMap { $0 }, [200.0 / 3, 2, 3])
        XCTAssertEqual(try observation(warehouse, "DIGITAL_ID_L2_SHARE", "00004", "commune", "2022")?.compactMap { $0 }, [0, 0, 1])
        XCTAssertEqual(try observation(warehouse, "DIGITAL_ID_L2_SHARE", "00004", "commune", "2023")?.compactMap { $0 }, [0, 0, 2])
        XCTAssertNil(try observation(warehouse, "DIGITAL_ID_L2_SHARE", "00001", "commune", "2021"))
        // A commune without residents: nothing out of nothing, no value but present for the roll-up.
        XCTAssertEqual(try observation(warehouse, "DIGITAL_ID_L2_SHARE", "00006", "commune", "2024"), [nil, 0, 0])
        // E-invoices among active enterprises, by province, each year since the first adoption.
        XCTAssertEqual(try observation(warehouse, "EINVOICE_SHARE", "01", "province", "2020")?.compactMap { $0 }, [0, 0, 1])
        XCTAssertEqual(try observation(warehouse, "EINVOICE_SHARE", "01", "province", "2022")?.compactMap { $0 }, [100, 1, 1])
        XCTAssertEqual(try observation(warehouse, "EINVOICE_SHARE", "01", "province", "2023")?.compactMap { $0 }, [50, 1, 2])
        XCTAssertEqual(try observation(warehouse, "EINVOICE_SHARE", "79", "province", "2020")?.compactMap { $0 }, [100, 1, 1])
        // New enterprises in each complete year, dissolved ones included.
        XCTAssertEqual(try observation(warehouse, "NEW_ENTERPRISES", "01", "province", "2021")?[0], 1)
        XCTAssertEqual(try observation(warehouse, "NEW_ENTERPRISES", "01", "province", "2015")?[0], 0)
        XCTAssertEqual(try observation(warehouse, "NEW_ENTERPRISES", "79", "province", "2020")?[0], 1)
        // Parcels: a snapshot in the extract's year.
        XCTAssertEqual(try observation(warehouse, "LAND_DIGITISED_SHARE", "00001", "commune", "2024")?.compactMap { $0 }, [100.0 / 3, 1, 3])
        XCTAssertEqual(try observation(warehouse, "LAND_CERTIFIED_SHARE", "00001", "commune", "2024")?.compactMap { $0 }, [200.0 / 3, 2, 3])

        // Rolled up, Ha Noi's identity share is the ratio of the sums of its communes.
        _ = try aggregateStep(RunContext(warehouse, runID: try warehouse.startRun(command: "test")))
        XCTAssertEqual(try observation(warehouse, "DIGITAL_ID_L2_SHARE", "01", "province", "2024")?.compactMap { $0 }, [40, 2, 5])
        XCTAssertEqual(try observation(warehouse, "POPULATION", "001", "district", "2024")?[0], 5,
                       "Ba Dinh: Phuc Xa's 3, Truc Bach's 2, the other wards' 0")

        // Deriving again from the same registries changes nothing.
        let again = try deriveStep(RunContext(warehouse))
        XCTAssertEqual([again.loaded, again.updated], [0, 0])
        XCTAssertEqual(again.unchanged, summary.loaded)

        // A person of commune 00004 reaches level 2 (registered 2023): its 2023 and 2024 shares are revised, their
        // earlier values kept as revisions of this derive's load; the rest stays as it was.
        XCTAssertEqual(try load(.population, people.replacingOccurrences(of: "F,00004,1,2023", with: "F,00004,2,2023"),
                                into: warehouse).updated, 1)
        let revised = try deriveStep(RunContext(warehouse))
        XCTAssertEqual([revised.loaded, revised.updated, revised.unchanged], [0, 2, summary.loaded - 2])
        XCTAssertEqual(try observation(warehouse, "DIGITAL_ID_L2_SHARE", "00004", "commune", "2023")?.compactMap { $0 }, [50, 1, 2])
        XCTAssertEqual(try observation(warehouse, "DIGITAL_ID_L2_SHARE", "00004", "commune", "2024")?.compactMap { $0 }, [50, 1, 2])
        XCTAssertEqual(try warehouse.db.rows("""
            SELECT r.period, r.value, r.numerator, r.denominator, r.load_id FROM observation_revision r
            JOIN unit u ON u.id = r.unit_id WHERE r.replaced_by_load = ? ORDER BY r.period
            """, [try XCTUnwrap(revised.loadID)]).map(\.values),
                       try ["2023", "2024"].map { [.text($0), 0.0, 0.0, 2.0, .integer(Int64(try XCTUnwrap(summary.loadID)))] })
    }

    func testSyntheticRegistriesAreDeterministicAndTheirSpoiledRowsAreExactlyTheRejects() throws {
        let folders = try (0..<2).map { _ -> String in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
            _ = try syntheticRegistries(reference: PipelineTests.datasets + "/reference", scale: 0.00005, seed: 5, to: folder)
            return folder
        }
        for name in ["population.csv", "land.csv", "business.csv", "bad-rows.csv"] {
            XCTAssertEqual(FileManager.default.contents(atPath: folders[0] + "/" + name),
                           FileManager.default.contents(atPath: folders[1] + "/" + name), name)
        }
        // Each registry is drawn on its own: written alone, a file is the same.
        try FileManager.default.removeItem(atPath: folders[1])
        try FileManager.default.createDirectory(atPath: folders[1], withIntermediateDirectories: true)
        _ = try syntheticRegistries(reference: PipelineTests.datasets + "/reference", scale: 0.00005, seed: 5,
                                    only: [.land], to: folders[1])
        XCTAssertEqual(FileManager.default.contents(atPath: folders[0] + "/land.csv"),
                       FileManager.default.contents(atPath: folders[1] + "/land.csv"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folders[1] + "/population.csv"))
        let bad = try CSVTable(path: folders[0] + "/bad-rows.csv")
        var expected: [String: [Int: String]] = [:]
        for row in bad.rows {
            expected[try bad.value(row, "file"), default: [:]][Int(try bad.value(row, "line"))!] = try bad.value(row, "error_code")
        }
        XCTAssertGreaterThan(bad.rows.count, 5)
        let warehouse = try initialisedWarehouse()
        let units = try warehouse.unitDirectory()
        for registry in Registry.allCases {
            let file = registry.rawValue + ".csv"
            var loader = try RegistryLoader(warehouse: warehouse, units: units, registry: registry, asOf: "2024-12-31",
                                            pseudonymiser: try Pseudonymiser(key: Self.key))
            loader.maxRejectRate = 1
            let (summary, rejects) = try loader.load(path: folders[0] + "/" + file)
            let got = Dictionary(grouping: rejects, by: \.line).mapValues { $0.map(\.errorCode) }
            XCTAssertEqual(Set(got.keys), Set((expected[file] ?? [:]).keys), file)
            for (line, code) in expected[file] ?? [:] {
                XCTAssertTrue(got[line]?.contains(code) ?? false, "\(file):\(line) expected \(code), got \(got[line] ?? [])")
            }
            XCTAssertEqual(summary.loaded, summary.read - (expected[file]?.count ?? 0), file)
        }
        // People are spread over the provinces by their real populations.
        let byProvince = try warehouse.db.rows("""
            SELECT p.code, count(*) AS people FROM person JOIN unit c ON c.id = person.unit_id
            JOIN unit d ON d.id = c.parent_id JOIN unit p ON p.id = d.parent_id GROUP BY p.code
            """)
        let people = Dictionary(uniqueKeysWithValues: byProvince.map { ($0["code"].text ?? "", Double($0["people"].int ?? 0)) })
        XCTAssertEqual(people.count, 63)
        XCTAssertEqual(people["79"]! / people["01"]!, 9_543_600.0 / 8_717_600, accuracy: 0.1, "Ho Chi Minh City to Ha Noi")
    }
}
