import Foundation
import TestSupport
@testable import Warehouse
import XCTest

/// The PostgreSQL connection against a real server: the one `Scripts/test` starts on loopback and names in
/// `CHISO_TEST_POSTGRESQL`. Each test works in temporary tables of its own session.
final class PostgresConnectionTests: XCTestCase {
    var connection: PostgresConnection!

    override func setUpWithError() throws {
        connection = try PostgresConnection(url: try PostgresTestServer.url())
        try connection.execute("CREATE TEMP TABLE t (k bigint PRIMARY KEY, i bigint, r double precision, s text)")
    }

    /// Values that text transport could damage: extreme integers, reals that need 17 digits, infinities,
    /// text with the characters COPY escapes, quotes, a `?`, Vietnamese, and NULLs.
    static let awkward: [[SQLValue]] = [
        [1, .integer(Int64.max), 0.1, "tab\there"],
        [2, .integer(Int64.min), 1e-300, "new\nline and\r\nreturn"],
        [3, 0, .real(-0.0), "back\\slash \\N and \\t"],
        [4, -1, .real(Double.pi), "Việt Nam: 'it''s' \"quoted\" ?"],
        [5, .null, .real(.infinity), ""],
        [6, 7, .real(-.infinity), .null],
        [7, 8, .real(0.30000000000000004), "\\"],
    ]

    func stored() throws -> [[SQLValue]] {
        try connection.rows("SELECT k, i, r, s FROM t ORDER BY k").map(\.values)
    }

    func testValuesComeBackAsSentThroughParametersAndThroughCopy() throws {
        for row in Self.awkward { try connection.run("INSERT INTO t (k, i, r, s) VALUES (?, ?, ?, ?)", row) }
        XCTAssertEqual(try stored(), Self.awkward)
        try connection.execute("TRUNCATE t")
        XCTAssertEqual(try connection.copy(into: "t", columns: ["k", "i", "r", "s"], rows: Self.awkward), Self.awkward.count)
        XCTAssertEqual(try stored(), Self.awkward)
        // The server sees the text as sent: lengths in characters, as PostgreSQL counts them.
        let lengths = try connection.rows("SELECT length(s) AS n FROM t WHERE s IS NOT NULL ORDER BY k").map { $0["n"] }
        XCTAssertEqual(lengths, Self.awkward.compactMap { $0[3].text.map { .integer(Int64($0.unicodeScalars.count)) } })
    }

    /// COPY sends each value in its column's binary type: an integer into a real column as that real, a number
    /// given as text as the number, a number into a text column as its text; a value that is no number in a
    /// number's column fails the COPY, naming the column, and the connection goes on.
    func testCopyWritesEachValueInItsColumnsType() throws {
        XCTAssertEqual(try connection.copy(into: "t", columns: ["k", "i", "r", "s"], rows: [[1, 42, 3, .real(2.5)]]), 1)
        XCTAssertEqual(try connection.rows("SELECT i, r, s FROM t").map(\.values), [[42, .real(3), "2.5"]])
        XCTAssertThrowsError(try connection.copy(into: "t", columns: ["k", "i"], rows: [[2, "42"]])) {
            XCTAssertTrue("\($0)".contains("column i: '42' is text, and the column takes numbers"), "\($0)")
        }
        XCTAssertThrowsError(try connection.copy(into: "t", columns: ["k", "i"], rows: [[2, .real(0.5)]])) {
            XCTAssertTrue("\($0)".contains("column i: 0.5 has a fraction"), "\($0)")
        }
        XCTAssertEqual(try connection.scalar("SELECT count(*) FROM t"), 1)
    }

    func testResultTypesReadAsTheWarehouseReadsSQLite() throws {
        try connection.copy(into: "t", columns: ["k", "i", "r", "s"], rows: Self.awkward)
        let row = try connection.rows("""
            SELECT count(*) AS n, sum(k) AS total, avg(k) AS mean, 1.5::numeric AS half, true AS yes, CAST(2 AS smallint) AS two
            FROM t
            """)[0]
        XCTAssertEqual(row["n"], .integer(7))
        XCTAssertEqual(row["total"], .integer(28), "sum of bigint is numeric in PostgreSQL, an integer in SQLite")
        XCTAssertEqual(row["mean"], .real(4))
        XCTAssertEqual(row["half"], .real(1.5))
        XCTAssertEqual(row["yes"], .integer(1))
        XCTAssertEqual(row["two"], .integer(2))
        XCTAssertEqual(try connection.scalar("SELECT k FROM t WHERE k > 100"), .null, "no row")
    }

    func testPlaceholdersAreNumberedOutsideQuotesAndComments() throws {
        XCTAssertEqual(PostgresConnection.numberingPlaceholders("SELECT ?, '?', \"?\" -- ?\n, ? /* ? */ , ?"),
                       "SELECT $1, '?', \"?\" -- ?\n, $2 /* ? */ , $3")
        XCTAssertEqual(PostgresConnection.numberingPlaceholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1")
        XCTAssertEqual(PostgresConnection.numberingPlaceholders("WHERE a = ?1 AND (?2 IS NULL OR b = ?2) AND c = ?12"),
                       "WHERE a = $1 AND ($2 IS NULL OR b = $2) AND c = $12")
        let row = try connection.rows("SELECT '?' AS q, CAST(? AS text) AS p -- what?", ["answer"])[0]
        XCTAssertEqual(row.values, ["?", "answer"])
    }

    func testATransactionThatThrowsLeavesNothingAndASavepointUndoesOnlyItsPart() throws {
        struct Stop: Error {}
        XCTAssertThrowsError(try connection.transaction {
            try connection.run("INSERT INTO t (k) VALUES (?)", [1])
            throw Stop()
        })
        XCTAssertEqual(try connection.scalar("SELECT count(*) FROM t"), 0)
        XCTAssertFalse(connection.isInTransaction)
        try connection.transaction {
            try connection.run("INSERT INTO t (k) VALUES (?)", [1])
            XCTAssertThrowsError(try connection.transaction {
                try connection.run("INSERT INTO t (k) VALUES (?)", [2])
                try connection.run("INSERT INTO t (k) VALUES (?)", [1])
            })
            try connection.run("INSERT INTO t (k) VALUES (?)", [3])
        }
        XCTAssertEqual(try connection.rows("SELECT k FROM t ORDER BY k").map { $0["k"] }, [1, 3])
    }

    func testAFailedCopyFailsItsTransactionAndTheConnectionGoesOn() throws {
        try connection.copy(into: "t", columns: ["k", "s"], rows: [[1, "kept"]])
        XCTAssertThrowsError(try connection.transaction {
            try connection.copy(into: "t", columns: ["k", "s"], rows: [[2, "new"], [1, "repeated key"]])
        }) { error in
            let error = error as? PostgresError
            XCTAssertEqual(error?.sqlState, "23505")
            XCTAssertEqual(error?.isConstraintViolation, true)
            XCTAssertTrue(error?.description.contains("COPY t (k, s) FROM STDIN") == true, "\(String(describing: error))")
        }
        XCTAssertEqual(try connection.rows("SELECT k, s FROM t ORDER BY k").map(\.values), [[1, "kept"]])
    }

    func testAnErrorCarriesTheStatementAndTheServersWords() throws {
        XCTAssertThrowsError(try connection.run("INSERT INTO t (k, i) VALUES (?, ?)", [1, "not a number"])) { error in
            let error = error as? PostgresError
            XCTAssertEqual(error?.sqlState, "22P02", "invalid text representation")
            XCTAssertTrue(error?.message.contains("not a number") == true, "\(String(describing: error))")
            XCTAssertTrue(error?.description.contains("(in: INSERT INTO t (k, i) VALUES ($1, $2))") == false)
            XCTAssertTrue(error?.description.contains("(in: INSERT INTO t (k, i) VALUES (?, ?))") == true,
                          "the statement as the program wrote it: \(String(describing: error))")
        }
    }

    func testAServerThatIsNotThereIsOneSentenceWithoutThePassword() throws {
        let closed = try XCTUnwrap(URLComponents(string: try PostgresTestServer.url()))
        var url = closed
        url.port = 1
        url.password = "secret"
        XCTAssertThrowsError(try PostgresConnection(url: url.string!)) { error in
            let text = String(describing: error)
            XCTAssertTrue(text.hasPrefix("cannot connect to postgresql://chiso:***@127.0.0.1:1/"), text)
            XCTAssertFalse(text.contains("secret"), text)
        }
    }

    func testOneWriterAtATimeAndTheSecondIsToldWhoWrites() throws {
        let url = try PostgresTestServer.url()
        var first: PostgresWriterLock? = try PostgresWriterLock(url: url, holder: "chiso nightly (pid 1)", wait: 0) { _ in }
        // Its description, its role and when it connected, which a long description cut at 63 bytes keeps.
        let role = try XCTUnwrap(connection.scalar("SELECT current_user").text)
        let holder = try XCTUnwrap(first?.holderOfLock())
        XCTAssertTrue(holder.hasPrefix("chiso nightly (pid 1) as \(role), connected at 20"), holder)
        XCTAssertNotNil(ISO8601DateFormatter().date(from: String(holder.suffix(20))), holder)
        var told: [String] = []
        XCTAssertThrowsError(try PostgresWriterLock(url: url, holder: "chiso ingest (pid 2)", wait: 0.3) { told.append($0) }) {
            let text = String(describing: $0)
            XCTAssertTrue(text.hasPrefix(holder + " is writing to the warehouse at "), text)
            XCTAssertTrue(text.contains("still after 0.3 s"), text)
        }
        XCTAssertEqual(told, ["waiting up to 0.3 s for the warehouse: \(holder) is writing to it"])
        // Readers are not writers: a look-up answers while the lock is held.
        XCTAssertEqual(try connection.scalar("SELECT count(*) FROM t"), 0)
        first = nil
        XCTAssertNotNil(try PostgresWriterLock(url: url, holder: "chiso ingest (pid 2)", wait: 0) { _ in })
        XCTAssertNil(first)
        // Any role that may connect can take the lock (psql, a province's read-only role): its role is named.
        let taker = "chiso_lock_taker_\(ProcessInfo.processInfo.processIdentifier)"
        try connection.execute("DROP ROLE IF EXISTS \(taker); CREATE ROLE \(taker) LOGIN")
        defer { try? connection.execute("DROP ROLE IF EXISTS \(taker)") }
        var takerURL = try XCTUnwrap(URLComponents(string: url))
        takerURL.user = taker
        var psql: PostgresConnection? = try PostgresConnection(url: takerURL.string!)
        XCTAssertEqual(try psql?.scalar("SELECT pg_advisory_lock(?) IS NOT NULL", [PostgresWriterLock.key]), 1)
        XCTAssertThrowsError(try PostgresWriterLock(url: url, holder: "chiso ingest (pid 2)", wait: 0) { _ in }) {
            XCTAssertTrue("\($0)".hasPrefix("a session as \(taker), connected at 20"), "\($0)")
        }
        psql = nil
    }
}

/// libpq's and the server's messages as one line, without a server.
final class PostgresMessageTests: XCTestCase {
    /// libpq wraps a sentence over lines: joined by "; " it read "terminated abnormally; before or while
    /// processing the request". A line that starts a sentence of its own is still set apart.
    func testLibpqsLinesReadAsItsSentences() {
        let closed = "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n"
            + "\tbefore or while processing the request.\n"
        XCTAssertEqual(closed.withCString { PostgresConnection.trimmed($0) },
                       "server closed the connection unexpectedly; This probably means the server terminated abnormally "
                       + "before or while processing the request.")
        XCTAssertEqual(PostgresConnection.trimmed(nil), "unknown error")
    }

    /// A statement cut to 200 characters says so.
    func testALongStatementIsCutVisibly() {
        let long = "INSERT INTO observation (" + Array(repeating: "source", count: 40).joined(separator: ", ") + ") VALUES (?)"
        let text = PostgresError(message: "boom", sql: long).description
        XCTAssertTrue(text.hasSuffix("…)") && text.contains("(in: INSERT INTO observation (source, "), text)
        XCTAssertTrue(PostgresError(message: "boom", sql: "SELECT 1").description.hasSuffix("(in: SELECT 1)"))
    }
}
