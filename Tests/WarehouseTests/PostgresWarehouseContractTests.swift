import Foundation
@testable import Warehouse
import XCTest

/// The Warehouse API's contract (`WarehouseContractTests`, same assertions) with PostgreSQL behind it: each test
/// in a database of its own on the server `Scripts/test` starts, dropped after the test.
final class PostgresWarehouseContractTests: WarehouseContractTests {
    override func makeWarehouse() throws -> (warehouse: Warehouse, path: String) {
        let url = try PostgresConnectionTests.serverURL()
        let name = "chiso_contract_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let server = try PostgresConnection(url: url)
        try server.execute("CREATE DATABASE \(name)")
        addTeardownBlock { try? server.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        var components = try XCTUnwrap(URLComponents(string: url))
        components.path = "/" + name
        let path = try XCTUnwrap(components.string)
        return (try Warehouse(path: path), path)
    }

    // Linux's XCTest finds only the tests a class declares: each of the contract's, run here on PostgreSQL.
    override func testUnitsReadBackWithTheirParentsAndAliasesAndStoringAgainKeepsTheirIDs() throws { try super.testUnitsReadBackWithTheirParentsAndAliasesAndStoringAgainKeepsTheirIDs() }
    override func testTheCatalogueReadsBackAsLoadedAndLocalTargetsStandAfterTheDecisions() throws { try super.testTheCatalogueReadsBackAsLoadedAndLocalTargetsStandAfterTheDecisions() }
    override func testALoadIsAllOrNothingAndItsRejectsAndWarningsAreKept() throws { try super.testALoadIsAllOrNothingAndItsRejectsAndWarningsAreKept() }
    override func testResultsAreStoredUnderTheirRunAndTheLatestIsReadByDefault() throws { try super.testResultsAreStoredUnderTheirRunAndTheLatestIsReadByDefault() }
    override func testEveryCommitSealsWhatItChangedAndTheReaderChangesNothing() throws { try super.testEveryCommitSealsWhatItChangedAndTheReaderChangesNothing() }
}
