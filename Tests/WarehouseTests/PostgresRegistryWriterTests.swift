import Foundation
import TestSupport
@testable import Warehouse
import XCTest

/// The registry writer's tests with PostgreSQL behind it, each in a database of its own: the rows stream by
/// COPY, those whose key may have been sent held back (with seven rows to a run, nearly all, in runs on disk),
/// and each key's first row is applied beside its stored record, the others refused, as on SQLite.
final class PostgresRegistryWriterTests: RegistryWriterTests {
    private var warehouses: [Warehouse] = []

    override func database(through version: Int = .max) throws -> Database {
        let warehouse = try Warehouse(path: try PostgresTestServer.freshDatabase(for: self, prefix: "chiso_writer"))
        warehouses.append(warehouse)
        return warehouse.db
    }

    // Linux's XCTest discovers a subclass's tests only when it declares one; then every test it inherits runs
    // too: all of RegistryWriterTests', here on PostgreSQL.
    override func testMergingManyRunsGivesTheRowByRowResult() throws {
        try super.testMergingManyRunsGivesTheRowByRowResult()
    }

    override func testPackedRowsKeepTheirValuesAndSortAsSQLiteDoes() throws {
        throw XCTSkip("SQLite's order of keys, asked of SQLite: the engine-free part runs in RegistryWriterTests")
    }

    override func testTheRebuiltRegistryTablesKeepTheirRowsAndTheirRules() throws {
        throw XCTSkip("SQLite's rebuild of its registry tables (migration 11): a PostgreSQL warehouse is made as it is now")
    }
}
