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

    /// A new database name, unique to the caller.
    public static func freshDatabaseName(_ prefix: String = "chiso_test") -> String {
        prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// The URL of the database `name` on the same server.
    public static func url(database name: String) throws -> String {
        var components = try XCTUnwrap(URLComponents(string: try url()))
        components.path = "/" + name
        return try XCTUnwrap(components.string)
    }
}
