import Foundation
import Pipeline
@testable import Warehouse
import XCTest

/// Outputs all or nothing, and a warehouse changed outside chiso found before anything runs on it.
final class IntegrityTests: XCTestCase {
    let datasets = PipelineTests.datasets

    func folder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.path
    }

    /// A nightly of the sample indicators only, writing its reports under `output`.
    func pipeline(in folder: String, output: String) throws -> NightlyConfig {
        try """
            warehouse: w.sqlite
            datasets: \(datasets)
            indicators: ["\(datasets)/sample/synthetic/indicators.csv"]
            output: \(output)
            """.write(toFile: folder + "/pipeline.yaml", atomically: true, encoding: .utf8)
        return try NightlyConfig.load(path: folder + "/pipeline.yaml")
    }

    /// A small disk of its own (tmpfs), as root can mount one; the test is skipped where it cannot.
    func smallDisk(_ kilobytes: Int) throws -> String {
        let mount = try folder() + "/disk"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", mount]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try XCTSkipUnless(process.terminationStatus == 0, "cannot mount a small disk here (not root?)")
        addTeardownBlock {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = [mount]
            try? unmount.run()
            unmount.waitUntilExit()
        }
        return mount
    }

    func testAFileIsWrittenWholeOrNotAtAllAndAFullDiskNamesItAndTheSpaceNeeded() throws {
        let disk = try smallDisk(64)
        let path = disk + "/series.csv"
        try RunFolder.write(Data("the earlier file\n".utf8), to: path)
        XCTAssertThrowsError(try RunFolder.write(Data(repeating: 65, count: 200_000), to: path)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("\(path): cannot write it (200000 bytes): No space left on device"), message)
            XCTAssertTrue(message.contains("200000 bytes are needed and "), message)
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "the earlier file\n", "the old file is whole")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: disk), ["series.csv"], "no temporary file left")
    }

    func testAReportStoppedByAFullDiskLeavesItsFolderMarkedIncompleteAndLatestOnTheLastCompleteRun() throws {
        let folder = try folder()
        let disk = try smallDisk(512)
        let complete = try runNightly(try pipeline(in: folder, output: folder + "/out"))
        XCTAssertEqual(complete.status, .succeeded)
        let out = folder + "/out/run-\(complete.run)"
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/" + RunFolder.incompleteMarker))
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/out/latest"), "run-\(complete.run)")
        XCTAssertNotNil(try Data(contentsOf: URL(fileURLWithPath: out + "/run.json")).first)

        // The same warehouse, its reports on a disk too small for them.
        try FileManager.default.copyItem(atPath: folder + "/out/run-\(complete.run)/report.html", toPath: disk + "/keep.html")
        let full = try runNightly(try pipeline(in: folder, output: disk), full: true)
        XCTAssertEqual(full.status, .failed)
        let report = try XCTUnwrap(full.steps.first { $0.step == "report" })
        XCTAssertEqual(report.status, .failed)
        XCTAssertTrue(report.detail.contains("No space left on device"), report.detail)
        XCTAssertTrue(report.detail.contains("bytes are needed and"), report.detail)
        let run = disk + "/run-\(full.run)"
        XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/" + RunFolder.incompleteMarker), "marked incomplete")
        XCTAssertFalse(FileManager.default.fileExists(atPath: disk + "/latest"), "latest points at no incomplete run")
        let names = try FileManager.default.contentsOfDirectory(atPath: run)
        XCTAssertFalse(names.contains { $0.hasSuffix(".tmp") }, "\(names)")
        // Every file there is whole: each one written is the report step's, byte for byte as a complete run's.
        for name in names where name.hasSuffix(".csv") && name != "rejects.csv" {
            let written = try Data(contentsOf: URL(fileURLWithPath: run + "/" + name))
            let whole = try Data(contentsOf: URL(fileURLWithPath: out + "/" + name))
            XCTAssertEqual(written.count, whole.count, name)
        }
    }

    func testAWarehouseChangedOutsideChisoIsFoundAndTheNightlyRefusesIt() throws {
        let folder = try folder()
        let config = try pipeline(in: folder, output: folder + "/out")
        XCTAssertEqual(try runNightly(config).status, .succeeded)
        let path = folder + "/w.sqlite"
        XCTAssertTrue(try Warehouse(path: path).verify().allSatisfy(\.intact))

        // A value changed by another program: a bare connection, as the sqlite3 shell's, seals nothing.
        do {
            let other = try Database(path: path)
            try other.run("UPDATE observation SET value = value + 1 WHERE indicator = 'ADMIN_PROCEDURE_CUT_SHARE' "
                          + "AND period = '2020' AND unit_id = 1")
            XCTAssertEqual(other.changes, 1)
        }
        let changed = try Warehouse(path: path).verify().filter { !$0.intact }.map(\.table)
        XCTAssertEqual(changed, ["observation"])
        XCTAssertThrowsError(try runNightly(config)) { error in
            XCTAssertTrue("\(error)".contains("changed outside chiso since it was last sealed: observation has "), "\(error)")
            XCTAssertTrue("\(error)".contains("with other values than when chiso nightly sealed it at"), "\(error)")
        }
        // Accepted as meant, it runs again.
        try Warehouse(path: path).seal()
        XCTAssertEqual(try runNightly(config).status, .succeeded)

        // A byte changed inside a cell of the file itself: SQLite's integrity check passes, the seal does not.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let name = Data("Hà Giang".utf8)
        let found = try XCTUnwrap(bytes.range(of: name), "the unit name is in the file (the WAL was checkpointed)")
        bytes[found.upperBound - 1] = UInt8(ascii: "h")
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try Database(path: path).scalar("PRAGMA integrity_check").text, "ok")
        XCTAssertEqual(try Warehouse(path: path).verify().filter { !$0.intact }.map(\.table), ["unit"])
    }

    /// Sealing is part of each write transaction: a table the transaction wrote is sealed as it commits (the
    /// nightly's test shows it for tables without rowid, such as observation), and one rolled back keeps its seal.
    func testEveryCommitSealsTheTablesItWroteAndARollbackNone() throws {
        let warehouse = try Warehouse(path: try folder() + "/w.sqlite")
        try warehouse.db.run("INSERT INTO setting (name, value) VALUES ('x', '1')")
        try warehouse.db.run("INSERT INTO indicator (code, name_vi, name_en, unit_of_measure, direction, aggregation) VALUES ('X', 'x', 'x', 'count', 1, 'SUM')")
        XCTAssertEqual(try warehouse.verify().first { $0.table == "indicator" }?.sealed?.rows, 1, "an autocommit write")
        struct Stop: Error {}
        let seals = try warehouse.db.scalar("SELECT count(*) FROM seal")
        XCTAssertThrowsError(try warehouse.db.transaction {
            try warehouse.db.run("INSERT INTO indicator (code, name_vi, name_en, unit_of_measure, direction, aggregation) VALUES ('Y', 'y', 'y', 'count', 1, 'SUM')")
            try warehouse.db.run("INSERT INTO agency (code, name_vi, name_en, kind) VALUES ('B', 'b', 'b', 'ministry')")
            throw Stop()
        })
        XCTAssertEqual(try warehouse.db.scalar("SELECT count(*) FROM seal"), seals, "a rollback writes no seal")
        try warehouse.db.transaction {
            try warehouse.db.run("INSERT INTO agency (code, name_vi, name_en, kind) VALUES ('A', 'a', 'a', 'ministry')")
        }
        let checks = try warehouse.verify()
        XCTAssertTrue(checks.allSatisfy(\.intact), "\(checks.filter { !$0.intact }.map(\.table))")
        XCTAssertEqual(checks.first { $0.table == "indicator" }?.rows, 1)
        XCTAssertEqual(checks.first { $0.table == "agency" }?.sealed?.rows, 1)
    }
}
