import Foundation
import XCTest

/// The PostgreSQL server of the tests: the throw-away one `Scripts/test` starts on loopback and names in
/// `CHISO_TEST_POSTGRESQL`. Without it (a bare `swift test`), the PostgreSQL tests are skipped, saying why.
public enum PostgresTestServer {
    /// The server's URL (its database `chiso`).
    public static func url() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["CHISO_TEST_POSTGRESQL"], !url.isEmpty else {
            throw XCTSkip("CHISO_TEST_POSTGRESQL is not set: Scripts/test starts a PostgreSQL server and sets it")
        }
        return url
    }

    /// A new, empty database on the server, dropped when `test` ends: its URL. With `template`, a copy of that
    /// database (`template(_:prepare:)`) instead of an empty one.
    public static func freshDatabase(for test: XCTestCase, prefix: String = "chiso_test", template: String? = nil) throws -> String {
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let server = try url()
        try psql(server, "CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""))
        test.addTeardownBlock { try? psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        return try url(database: name)
    }

    nonisolated(unsafe) private static var templates: [String: Result<String, Error>] = [:]

    /// The name of a database made once per test process by `prepare` (given its URL, and closing every
    /// connection it opens), to copy with `freshDatabase(for:prefix:template:)`: a warehouse with the reference
    /// units takes seconds to make and a moment to copy.
    public static func template(_ name: String, prepare: (String) throws -> Void) throws -> String {
        if let made = templates[name] { return try made.get() }
        let made = Result<String, Error> {
            let database = name + "_\(getpid())"
            let server = try url()
            try psql(server, "DROP DATABASE IF EXISTS \(database) WITH (FORCE)")
            try psql(server, "CREATE DATABASE \(database)")
            try prepare(try url(database: database))
            return database
        }
        templates[name] = made
        return try made.get()
    }

    /// Runs `sql` on the server at `url` with psql, failing when it fails.
    private static func psql(_ url: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        process.arguments = ["-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "psql could not run '\(sql)' on the test server (exit \(process.terminationStatus))")
        }
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// The URL of the database `name` on the same server.
    static func url(database name: String) throws -> String {
        var components = try XCTUnwrap(URLComponents(string: try url()))
        components.path = "/" + name
        return try XCTUnwrap(components.string)
    }
}
