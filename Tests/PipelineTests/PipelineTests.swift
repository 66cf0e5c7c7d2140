import Foundation
import Pipeline
import Reference
import Warehouse
import XCTest

final class PipelineTests: XCTestCase {
    static let datasets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets").path

    func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.path
    }

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
        let sample = try String(contentsOfFile: Self.datasets + "/sample/indicators/indicators.csv", encoding: .utf8)
        XCTAssertEqual(sample, try syntheticIndicatorCSV(catalogue: catalogue, reference: Self.datasets + "/reference",
                                                         seed: 942), "the bundled sample is 'chiso generate --seed 942'")
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
        for (key, value) in national {
            XCTAssertEqual(value, 100 * numerators[key, default: .nan] / denominators[key, default: .nan], accuracy: 1e-4, key)
        }
    }

    func testNightlyOnTheSampleScoresEveryTarget() throws {
        let folder = try temporaryFolder()
        let config = folder + "/pipeline.yaml"
        try """
            warehouse: w.sqlite
            datasets: \(Self.datasets)
            indicators: ["\(Self.datasets)/sample/indicators/*.csv"]
            output: out
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let record = try runNightly(try NightlyConfig.load(path: config))
        XCTAssertEqual(record.status, "succeeded", "\(record.steps)")
        XCTAssertEqual(record.steps.map(\.step), ["init", "ingest", "aggregate", "forecast", "assess", "report"])
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

        let again = try runNightly(try NightlyConfig.load(path: config))
        XCTAssertEqual(again.status, "succeeded", "a second run over the same warehouse: \(again.steps)")
        XCTAssertEqual(again.loads.map(\.status), ["skipped"], "the same file is not loaded twice")
    }

    func testNightlyConfigErrorsNameTheSetting() throws {
        let config = try temporaryFolder() + "/bad.yaml"
        try "indicators: []\n".write(toFile: config, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try NightlyConfig.load(path: config)) { error in
            XCTAssertTrue("\(error)".contains("warehouse"), "\(error)")
        }
    }
}
