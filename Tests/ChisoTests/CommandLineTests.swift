import Foundation
import XCTest

/// The `chiso` program as a user runs it: arguments in, text and an exit code out.
final class CommandLineTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let database = FileManager.default.temporaryDirectory
        .appendingPathComponent("chiso-cli-\(ProcessInfo.processInfo.processIdentifier).sqlite").path

    /// The built program, next to the test bundle.
    static var program: URL {
        var folder = Bundle(for: CommandLineTests.self).bundleURL.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("chiso").path) {
            folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        }
        return folder.appendingPathComponent("chiso")
    }

    @discardableResult
    func chiso(_ arguments: String...) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = Self.program
        process.arguments = arguments
        process.currentDirectoryURL = Self.repository
        var environment = ProcessInfo.processInfo.environment
        environment["CHISO_DB"] = Self.database
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self),
                String(decoding: errData, as: UTF8.self))
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
        for command in ["init", "units", "targets", "ingest", "generate", "forecast", "assess", "report", "nightly"] {
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
    }
}
