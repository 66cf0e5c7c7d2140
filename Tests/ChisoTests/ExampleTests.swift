import Foundation
import TestSupport
import XCTest

/// Every example of every `--help`, and the README's tour, run as written: from a temporary folder and from
/// the repository's folder. The bundled data is a copy (`CHISO_DATASETS`), so the nightly the examples run
/// writes beside the copy, never into the repository.
final class ExampleTests: XCTestCase {
    static let commands = ["", "init", "units", "targets", "ingest", "rejects", "generate", "derive", "aggregate",
                           "forecast", "assess", "simulate", "report", "nightly", "runs", "verify", "grant"]
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/help")

    /// A folder holding a copy of `Datasets/` and a home with the pseudonym key file the examples name.
    func sandbox() throws -> (root: String, environment: [String: String]) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-examples-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/home", withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.copyItem(atPath: CommandLineTests.repository.path + "/Datasets", toPath: root + "/Datasets")
        let key = "ZXhhbXBsZXMgb2YgdGhlIGhlbHAsIHJ1biBhcyB3cml0dGVu"
        try key.write(toFile: root + "/home/.chiso.key", atomically: true, encoding: .utf8)
        let path = chisoProgram.deletingLastPathComponent().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "")
        return (root, ["PATH": path, "HOME": root + "/home", "CHISO_DATASETS": root + "/Datasets",
                       "CHISO_PSEUDONYM_KEY": key])
    }

    /// Runs `script` in bash from `folder`.
    func bash(_ script: String, in folder: String, environment: [String: String]) throws -> (status: Int32, out: String, err: String) {
        var all = ProcessInfo.processInfo.environment
        all.removeValue(forKey: "CHISO_DB")
        all.merge(environment) { _, new in new }
        return try runProgram(URL(fileURLWithPath: "/bin/bash"), ["-c", script], in: URL(fileURLWithPath: folder),
                              environment: all)
    }

    /// The examples of a command's help: each line that starts with `chiso` under "Examples:", "Example:" or
    /// "Typical use:", with its continuation lines.
    func examples(of command: String, environment: [String: String]) throws -> [String] {
        let help = try bash("chiso \(command) --help", in: NSTemporaryDirectory(), environment: environment)
        XCTAssertEqual(help.status, 0, help.err)
        var examples: [String] = [], inside = false, continuing = false
        for line in help.out.components(separatedBy: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            if ["Examples:", "Example:", "Typical use:"].contains(text) { inside = true; continue }
            guard inside else { continue }
            if continuing {
                examples[examples.count - 1] += "\n" + line
            } else if text.hasPrefix("chiso ") {
                examples.append(line)
            } else if text.isEmpty {
                inside = false
            } else if !text.hasPrefix("#") {
                XCTFail("'chiso \(command) --help': '\(line)' is not an example: a line too long for the help's 80 columns?")
            }
            continuing = inside && text.hasSuffix("\\")
        }
        return examples
    }

    /// The help of every command, word for word: a change to what a user reads shows in review as a diff of its
    /// golden file (`CHISO_UPDATE_GOLDEN=1` records it anew, and fails so that it is reviewed).
    func testTheHelpOfEveryCommandMatchesItsGoldenFile() throws {
        let (_, environment) = try sandbox()
        for command in Self.commands {
            let help = try bash("chiso \(command) --help", in: NSTemporaryDirectory(), environment: environment)
            XCTAssertEqual(help.status, 0, help.err)
            try assertMatchesGolden(help.out, Self.golden.appendingPathComponent((command.isEmpty ? "chiso" : command) + ".txt"))
        }
    }

    func testEveryHelpExampleRunsFromAnyFolder() throws {
        let (root, environment) = try sandbox()
        let repository = CommandLineTests.repository.path
        let outputs = repository + "/Notebooks-output"
        // What the repository's Notebooks-output/ holds but its README waits aside while the examples write there,
        // and comes back after: the demo's reports, of another warehouse, made 'chiso report' refuse to write over
        // their run's folder. (Aside in the repository, ignored by git, so that a killed test loses nothing.)
        let kept = repository + "/Notebooks-output.kept-by-tests"
        let fm = FileManager.default
        // A test stopped before putting them back left them there: they are the user's, so nothing goes on.
        guard !fm.fileExists(atPath: kept) else {
            return XCTFail("\(kept) holds reports an earlier run of this test set aside: move them back into \(outputs)")
        }
        let before = ((try? fm.contentsOfDirectory(atPath: outputs)) ?? []).filter { $0 != "README.md" }
        try fm.createDirectory(atPath: kept, withIntermediateDirectories: true)
        defer {
            // Only what was set aside comes back over what the examples wrote; the folder goes once empty.
            let aside = (try? fm.contentsOfDirectory(atPath: kept)) ?? []
            for name in aside {
                try? fm.removeItem(atPath: outputs + "/" + name)
                try? fm.moveItem(atPath: kept + "/" + name, toPath: outputs + "/" + name)
            }
            for name in ((try? fm.contentsOfDirectory(atPath: outputs)) ?? []) where name != "README.md" && !aside.contains(name) {
                try? fm.removeItem(atPath: outputs + "/" + name)
            }
            if (try? fm.contentsOfDirectory(atPath: kept))?.isEmpty == true { try? fm.removeItem(atPath: kept) }
        }
        for name in before { try fm.moveItem(atPath: outputs + "/" + name, toPath: kept + "/" + name) }
        var count = 0
        for (place, folder) in [("a temporary folder", root + "/work"), ("the repository", repository)] {
            try FileManager.default.createDirectory(atPath: root + "/work", withIntermediateDirectories: true)
            var env = environment
            env["CHISO_DB"] = root + "/\(place == "the repository" ? "repository" : "temporary").sqlite"
            // grant's examples need a PostgreSQL warehouse: the next test runs them on the test server.
            for command in Self.commands where command != "grant" {
                for example in try examples(of: command, environment: environment) {
                    let result = try bash(example, in: folder, environment: env)
                    let name = "\(example.trimmingCharacters(in: .whitespaces)) (from \(place))"
                    if example.contains("nightly") && example.contains("--retry") {
                        XCTAssertEqual(result.status, 1, name)
                        XCTAssertTrue(result.err.contains("nothing to retry"), "\(name): \(result.err)")
                    } else if example.contains("nightly") {
                        // 2 when the sample's spoiled rows are rejected; 0 for a later run with nothing new.
                        XCTAssertTrue([0, 2].contains(result.status), "\(name): \(result.err.suffix(600))")
                    } else {
                        XCTAssertEqual(result.status, 0, "\(name): \(result.err.suffix(600))")
                    }
                    XCTAssertFalse(result.err.contains("Fatal error") || result.err.contains("Usage:"), "\(name): \(result.err)")
                    count += 1
                }
            }
        }
        XCTAssertGreaterThan(count, 2 * 40, "every command's examples were found")
    }

    func testTheGrantExamplesRunOnAPostgreSQLWarehouse() throws {
        let (root, environment) = try sandbox()
        var env = environment
        env["CHISO_DB"] = try PostgresTestServer.freshDatabase(for: self, prefix: "chiso_examples")
        let initialised = try bash("chiso init", in: root, environment: env)
        XCTAssertEqual(initialised.status, 0, initialised.err)
        let examples = try examples(of: "grant", environment: environment)
        XCTAssertEqual(examples.count, 2)
        for example in examples {
            let result = try bash(example, in: root, environment: env)
            XCTAssertEqual(result.status, 0, "\(example): \(result.err)")
            XCTAssertTrue(result.out.contains(example.contains("--print") ? "INSERT INTO access_scope" : "province_01 reads"),
                          "\(example): \(result.out.prefix(300))")
        }
    }

    func testTheREADMETourRunsFromAnyFolder() throws {
        let (root, environment) = try sandbox()
        let readme = try String(contentsOfFile: CommandLineTests.repository.path + "/README.md", encoding: .utf8)
        let tour = try XCTUnwrap(readme.components(separatedBy: "## A short tour").dropFirst().first?
            .components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "\n```").first)
        // The tour as written, from a folder laid out as the repository is (its data a copy), with the program
        // already built: the build line is the only one left out.
        XCTAssertTrue(tour.hasPrefix("swift build -c release\n"), tour)
        try FileManager.default.createDirectory(atPath: root + "/.build", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/.build/release",
                                                   withDestinationPath: chisoProgram.deletingLastPathComponent().path)
        var env = environment
        env["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        env["CHISO_DATASETS"] = nil
        let script = "set -e\n" + tour.components(separatedBy: "\n").dropFirst().joined(separator: "\n") + "\nls -d \"$PWD\"/Notebooks-output/latest/report.html"
        let result = try bash(script, in: root, environment: env)
        XCTAssertEqual(result.status, 0, String(result.err.suffix(2000)))
        XCTAssertTrue(result.out.contains("nightly exit 2"), String(result.out.suffix(1000)))
        XCTAssertTrue(result.out.contains("/Notebooks-output/latest/report.html"), "the report is where the tour says")
        for registry in ["population", "land", "business"] {
            XCTAssertTrue(result.out.contains("\(registry).csv"), "the tour loads the \(registry) registry")
        }
        XCTAssertFalse(result.err.contains("Fatal error"), result.err)
    }
}
