import Foundation
import TestSupport
@testable import Warehouse
import XCTest

/// The Warehouse API's contract (`WarehouseContractTests`, same assertions) with PostgreSQL behind it: each test
/// in a database of its own on the server `Scripts/test` starts, dropped after the test.
final class PostgresWarehouseContractTests: WarehouseContractTests {
    override func makeWarehouse() throws -> (warehouse: Warehouse, path: String) {
        let path = try PostgresTestServer.freshDatabase(for: self, prefix: "chiso_contract")
        return (try Warehouse(path: path), path)
    }

    // Linux's XCTest discovers a subclass's tests only when it declares one; then every test it inherits runs
    // too: all of the contract's, here on PostgreSQL.
    override func testEveryCommitSealsWhatItChangedAndTheReaderChangesNothing() throws {
        try super.testEveryCommitSealsWhatItChangedAndTheReaderChangesNothing()
    }

    /// What a new user mistypes: each gets one sentence that says what to do, and no file is made.
    func testAMistypedURLAnUnknownRoleAndADownServerEachGetTheirOwnAdvice() throws {
        let database = try PostgresTestServer.freshDatabase(for: self, prefix: "chiso_contract")
        let url = try XCTUnwrap(URLComponents(string: database))
        let mistyped = "postgresql:/" + url.string!.dropFirst("postgresql://".count)
        XCTAssertThrowsError(try Warehouse(path: mistyped)) {
            XCTAssertTrue("\($0)".contains("looks like a PostgreSQL URL with a slip in it: write postgresql://USER@HOST:PORT/DATABASE"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "postgresql:"), "no SQLite file made under that name")
        var unknown = url
        unknown.user = "nobody_here"
        XCTAssertThrowsError(try Warehouse(path: unknown.string!)) {
            XCTAssertTrue("\($0)".contains("connect as a role the server has"), "\($0)")
            XCTAssertFalse("\($0)".contains("create the database"), "\($0)")
        }
        var missing = url
        missing.path = "/no_such_database"
        XCTAssertThrowsError(try Warehouse(path: missing.string!)) { XCTAssertTrue("\($0)".contains("create the database"), "\($0)") }
        // A database with no warehouse in it, made by hand: read, it is named as such, not as version 0.
        let owner = try PostgresConnection(url: url.string!)
        let name = "chiso_contract_empty_\(ProcessInfo.processInfo.processIdentifier)"
        try owner.execute("CREATE DATABASE \(name)")
        addTeardownBlock { try? owner.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        var empty = url
        empty.path = "/" + name
        for open in [{ try Warehouse(reading: empty.string!) }, { try Warehouse(path: empty.string!, create: false) }] {
            XCTAssertThrowsError(try open()) {
                XCTAssertTrue("\($0)".contains("no warehouse in the database at \(empty.string!): 'chiso init --db URL' makes one there"), "\($0)")
            }
        }
        // A role the server has, with no grant: told the warehouse is there and who gives access, not to make one
        // (which then failed with "permission denied for schema public"), whether it reads or writes.
        let stranger = "chiso_stranger_\(ProcessInfo.processInfo.processIdentifier)"
        try owner.execute("DROP ROLE IF EXISTS \(stranger); CREATE ROLE \(stranger) LOGIN")
        addTeardownBlock { try? owner.execute("DROP OWNED BY \(stranger); DROP ROLE IF EXISTS \(stranger)") }
        _ = try Warehouse(path: database)
        var strangerURL = url
        strangerURL.user = stranger
        for open in [{ try Warehouse(reading: strangerURL.string!) }, { try Warehouse(path: strangerURL.string!) }] {
            XCTAssertThrowsError(try open()) {
                XCTAssertTrue("\($0)".contains("holds a warehouse that \(stranger) may not read: its owner gives a province's "
                                                + "role access with 'chiso grant --role \(stranger) --province CODE'"), "\($0)")
            }
        }
        var down = url
        down.port = 1
        XCTAssertThrowsError(try Warehouse(path: down.string!)) {
            XCTAssertTrue("\($0)".contains("Connection refused; Is the server running"), "\($0)")
        }
    }
}
