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

    /// A new, empty database on the server, dropped when `test` ends: its URL.
    public static func freshDatabase(for test: XCTestCase, prefix: String = "chiso_test") throws -> String {
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let server = try url()
        try psql(server, "CREATE DATABASE \(name)")
        test.addTeardownBlock { try? psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        return try url(database: name)
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
