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
}
