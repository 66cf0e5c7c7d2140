import Foundation
import XCTest

/// The layout rules of the sources: SQL only in Warehouse, files small enough to read, and the README's picture
/// of the modules matching the folders.
final class SourceLayoutTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let sources = root.appendingPathComponent("Sources")

    /// Every Swift file under Sources, by its path below Sources.
    func swiftFiles() throws -> [(path: String, text: String)] {
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: Self.sources.path))
        return try enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted().map { path in
            (path, try String(contentsOf: Self.sources.appendingPathComponent(path), encoding: .utf8))
        }
    }

    func testNoSQLOutsideWarehouse() throws {
        let sql = try NSRegularExpression(pattern: #"\b(SELECT|INSERT (INTO|OR)|UPDATE [a-z_]+ SET|DELETE FROM|CREATE (TABLE|INDEX|VIEW|TRIGGER)|ALTER TABLE|DROP TABLE|PRAGMA|BEGIN IMMEDIATE|SAVEPOINT|ON CONFLICT)\b"#)
        var found: [String] = []
        for (path, text) in try swiftFiles() where !path.hasPrefix("Warehouse/") {
            for (number, line) in text.components(separatedBy: "\n").enumerated() {
                let range = NSRange(line.startIndex..., in: line)
                if sql.firstMatch(in: line, range: range) != nil { found.append("\(path):\(number + 1): \(line)") }
            }
        }
        XCTAssertEqual(found, [], "SQL belongs in Sources/Warehouse, behind its typed methods")
        // The rule is checked on something: the warehouse itself speaks SQL.
        XCTAssertTrue(try swiftFiles().contains { $0.path.hasPrefix("Warehouse/") && $0.text.contains("SELECT ") })
    }

    /// The query files beside `Warehouse/SQLite/` hold SQL that PostgreSQL accepts too (the engine seam,
    /// `Database+Engine.swift`): what only SQLite has stays in the engine's folder.
    func testTheWarehouseQueriesUseNoSQLiteOnlyConstruct() throws {
        let sqliteOnly = try NSRegularExpression(pattern: #"json_each|json_extract|PRAGMA|pragma_|group_concat|INSERT OR|REPLACE INTO|sqlite_master|sqlite3_|import CSQLite|lastInsertRowID|\b(max|min)\([a-z_]+, [a-z_]+\)|GLOB|strftime|julianday|ifnull|iif\(|printf\(|AUTOINCREMENT|IS NOT (?!NULL)|temp\."#,
                                                 options: .caseInsensitive)
        func matches(_ path: String, _ text: String) -> [String] {
            text.components(separatedBy: "\n").enumerated().compactMap { number, line in
                sqliteOnly.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) == nil
                    ? nil : "\(path):\(number + 1): \(line)"
            }
        }
        let files = try swiftFiles().filter { $0.path.hasPrefix("Warehouse/") }
        let queries = files.filter { !$0.path.hasPrefix("Warehouse/SQLite/") }
        XCTAssertGreaterThan(queries.count, 5)
        XCTAssertEqual(queries.flatMap { matches($0.path, $0.text) }, [],
                       "SQLite-only SQL belongs in Sources/Warehouse/SQLite, behind the engine's methods")
        // The pattern finds what it is for: the engine's own folder uses such constructs.
        XCTAssertFalse(files.filter { $0.path.hasPrefix("Warehouse/SQLite/") }.flatMap { matches($0.path, $0.text) }.isEmpty)
    }

    func testNoSourceFileIsOver350Lines() throws {
        let long = try swiftFiles().map { ($0.path, $0.text.components(separatedBy: "\n").count - 1) }.filter { $0.1 > 350 }
        XCTAssertTrue(long.isEmpty, "split by job: \(long.map { "\($0.0) (\($0.1) lines)" })")
    }

    func testTheReadmeLayoutNamesEveryModuleFolder() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try XCTUnwrap(readme.components(separatedBy: "## Layout\n").dropFirst().first)
        let picture = try XCTUnwrap(section.components(separatedBy: "```").dropFirst().first, "the layout's picture")
        let words = Set(picture.split { !$0.isLetter && !$0.isNumber })
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path).sorted()
        XCTAssertGreaterThan(folders.count, 5)
        for folder in folders {
            XCTAssertTrue(words.contains(Substring(folder)), "README.md's layout picture does not show Sources/\(folder)/")
        }
    }
}
