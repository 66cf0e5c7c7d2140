import Foundation
import TestSupport
@testable import Warehouse
import XCTest

/// Indicator files loaded into a PostgreSQL warehouse, with every test and assertion of
/// `IndicatorFileLoaderTests`: rejects with their reasons, all-or-nothing files, revisions, dry runs, decimal
/// commas, workbooks. Each test has a database of its own, copied from one with the reference units.
final class PostgresIndicatorFileLoaderTests: IndicatorFileLoaderTests {
    override func referenceWarehouse() throws -> Warehouse {
        try Warehouse(path: try PostgresTestServer.freshDatabase(for: self, prefix: "chiso_indicators",
                                                                 template: try Self.referenceTemplate()))
    }

    /// A warehouse with the reference units, made once per test process, for the tests' databases to copy.
    static func referenceTemplate() throws -> String {
        try PostgresTestServer.template("chiso_reference") { url in try storeReferenceUnits(try Warehouse(path: url)) }
    }

    // Linux's XCTest discovers a subclass's tests only when it declares one; then every test it inherits runs
    // too: all of IndicatorFileLoaderTests', here on PostgreSQL.
    override func testGoodRowsLoadAndEachBadRowGetsItsReason() throws {
        try super.testGoodRowsLoadAndEachBadRowGetsItsReason()
    }
}
