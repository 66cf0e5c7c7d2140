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

    // Linux's XCTest finds only the tests a class declares: each of the contract's, run here on PostgreSQL.
    override func testUnitsReadBackWithTheirParentsAndAliasesAndStoringAgainKeepsTheirIDs() throws { try super.testUnitsReadBackWithTheirParentsAndAliasesAndStoringAgainKeepsTheirIDs() }
    override func testTheCatalogueReadsBackAsLoadedAndLocalTargetsStandAfterTheDecisions() throws { try super.testTheCatalogueReadsBackAsLoadedAndLocalTargetsStandAfterTheDecisions() }
    override func testALoadIsAllOrNothingAndItsRejectsAndWarningsAreKept() throws { try super.testALoadIsAllOrNothingAndItsRejectsAndWarningsAreKept() }
    override func testResultsAreStoredUnderTheirRunAndTheLatestIsReadByDefault() throws { try super.testResultsAreStoredUnderTheirRunAndTheLatestIsReadByDefault() }
    override func testEveryCommitSealsWhatItChangedAndTheReaderChangesNothing() throws { try super.testEveryCommitSealsWhatItChangedAndTheReaderChangesNothing() }
}
