import Foundation
import XCTest

/// The `chiso` program as a user runs it: arguments in, text and an exit code out.
final class CommandLineTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let database = FileManager.default.temporaryDirectory
        .appendingPathComponent("chiso-cli-\(ProcessInfo.processInfo.processIdentifier).sqlite").path

    @discardableResult
    func chiso(_ arguments: String...) throws -> (status: Int32, out: String, err: String) {
        try runChiso(arguments, database: Self.database)
    }

    override class func setUp() {
        super.setUp()
        try? FileManager.default.removeItem(atPath: database)
    }

    override func setUpWithError() throws {
        if !FileManager.default.fileExists(atPath: Self.database) {
            let result = try chiso("init")
            XCTAssertEqual(result.status, 0, result.err)
        }
    }

    func testUnitsResolvesHoaBinhEveryWayAndFollowsItToPhuTho() throws {
        let nfd = "Tỉnh Hòa Bình".decomposedStringWithCanonicalMapping
        for query in ["Hoà Bình", "hoa binh", "Tỉnh Hòa Bình", nfd] {
            let now = try chiso("units", query, "--format", "csv")
            XCTAssertEqual(now.status, 0, now.err)
            let fields = now.out.components(separatedBy: "\r\n")[1].components(separatedBy: ",")
            XCTAssertEqual(fields[1], "17", query)
            let later = try chiso("units", query, "--as-of", "2025-07-01", "--format", "json")
            XCTAssertEqual(later.status, 0, later.err)
            let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(later.out.utf8)) as? [[String: String]])
            XCTAssertEqual(rows.last?["code"], "25", query)
            XCTAssertEqual(rows.last?["name"], "Phú Thọ", query)
            XCTAssertEqual(rows.last?["version"], "2025", query)
        }
    }

    func testUnknownUnitIsOneClearLineAndExitCode1() throws {
        let result = try chiso("units", "Hoa Binhh")
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.err.split(separator: "\n").count, 1, result.err)
        XCTAssertTrue(result.err.contains("nearest: 17 Hoà Bình"), result.err)
    }

    func testUsageErrorExitsWith64() throws {
        XCTAssertEqual(try chiso("units", "x", "--as-of", "yesterday").status, 64)
        XCTAssertEqual(try chiso("no-such-command").status, 64)
    }

    func testTargetsFilterAndFormats() throws {
        let result = try chiso("targets", "--clause", "III.3.d", "--format", "csv")
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 4, result.out)
        XCTAssertEqual(lines.dropFirst().map { $0.components(separatedBy: ",")[4] }, ["90", "80", "60"])
        let tasks = try chiso("targets", "--tasks", "--agency", "MPS", "--format", "json")
        XCTAssertEqual(tasks.status, 0, tasks.err)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(tasks.out.utf8)) as? [[String: String]])
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.allSatisfy { $0["lead"] == "MPS" || ($0["co_leads"] ?? "").contains("MPS") })
    }

    func testEveryCommandHelpHasAnExample() throws {
        for command in ["init", "units", "targets", "ingest", "rejects", "generate", "aggregate", "forecast", "assess",
                        "report", "nightly"] {
            let result = try chiso(command, "--help")
            XCTAssertEqual(result.status, 0, command)
            XCTAssertTrue(result.out.contains("Example"), "\(command) --help has no example")
        }
    }

    func testIngestReportsRejectsWithFileLineAndColumn() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-bad-\(UUID().uuidString).csv")
        try "indicator,unit,period,value\nDOSSIER_FULLY_ONLINE_SHARE,VN,2023,abc\n".write(to: file, atomically: true,
                                                                                         encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try chiso("ingest", file.path)
        XCTAssertEqual(result.status, 1, "a file whose every row is rejected fails")
        XCTAssertTrue(result.err.contains("\(file.path):2 [value] not_a_number"), result.err)
        let exported = try chiso("rejects", "--format", "csv")
        XCTAssertEqual(exported.status, 0, exported.err)
        let lines = exported.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 2, exported.out)
        XCTAssertTrue(lines[1].contains(",2,value,not_a_number,"), lines[1])
        XCTAssertTrue(lines[1].hasSuffix("DOSSIER_FULLY_ONLINE_SHARE,VN,2023,abc\""), "the raw line is kept: \(lines[1])")
        XCTAssertEqual(try chiso("rejects", "--load", "999").status, 1)
    }
}

/// The compute commands on the bundled sample, as a user runs them one after another.
final class ComputeCommandTests: XCTestCase {
    func testSampleThroughAggregateForecastAssessReport() throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-compute-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: database) }
        func run(_ arguments: String...) throws -> (status: Int32, out: String, err: String) {
            try runChiso(arguments + ["--db", database], database: database)
        }
        XCTAssertEqual(try run("init").status, 0)
        XCTAssertEqual(try run("ingest", "Datasets/sample/synthetic/indicators.csv").status, 0)
        let aggregated = try run("aggregate", "--indicator", "WORK_RECORD_ONLINE_SHARE", "--level", "province",
                                 "--version", "2025", "--period", "2024", "--format", "csv")
        XCTAssertEqual(aggregated.status, 0, aggregated.err)
        let lines = aggregated.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 35, "34 provinces of 2025 and the header")
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0.hasSuffix(",crosswalk") })
        let forecast = try run("forecast", "--indicator", "EGDI_RANK", "--format", "json")
        XCTAssertEqual(forecast.status, 0, forecast.err)
        let forecasts = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(forecast.out.utf8)) as? [[String: String]])
        XCTAssertEqual(Set(forecasts.map { $0["year"] ?? "" }), ["2026", "2030"], "ranks are judged on survey years")
        let assessed = try run("assess", "--target", "III.5.a", "--format", "json")
        XCTAssertEqual(assessed.status, 0, assessed.err)
        let methods = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(assessed.out.utf8)) as? [[String: String]])
        XCTAssertEqual(Set(methods.map { $0["method"] ?? "" }), ["progress-measure", "projected-value-ratio",
                                                                 "escap-current-status (provisional)",
                                                                 "escap-anticipated-progress (provisional)"])
        XCTAssertTrue(methods.allSatisfy { $0["judged_year"] == "2026" && $0["basis"] == "forecast" })
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let report = try run("report", "--output", output, "--lang", "en")
        XCTAssertEqual(report.status, 0, report.err)
        XCTAssertTrue(report.out.contains("report.html"))
        XCTAssertEqual(try run("forecast", "--level", "village").status, 64)
    }
}

/// The built program, next to the test bundle.
let chisoProgram: URL = {
    var folder = Bundle(for: CommandLineTests.self).bundleURL.deletingLastPathComponent()
    if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("chiso").path) {
        folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }
    return folder.appendingPathComponent("chiso")
}()

/// Runs `chiso` from the repository folder with `CHISO_DB` set to `database`.
func runChiso(_ arguments: [String], database: String) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = chisoProgram
    process.arguments = arguments
    process.currentDirectoryURL = CommandLineTests.repository
    var environment = ProcessInfo.processInfo.environment
    environment["CHISO_DB"] = database
    process.environment = environment
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}
