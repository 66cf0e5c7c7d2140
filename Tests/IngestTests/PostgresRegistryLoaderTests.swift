import Foundation
import TestSupport
@testable import Warehouse
import XCTest

/// Registry loads into a PostgreSQL warehouse, with every test and assertion of `RegistryLoaderTests`: among
/// them every bad row of each registry's corpus rejected with its reason and the good ones loaded (by COPY, into
/// empty tables), and a changed file revising stored records (looked up key by key) with their revisions and
/// seals.
final class PostgresRegistryLoaderTests: RegistryLoaderTests {
    override func setUpWithError() throws {
        warehouse = try Warehouse(path: try PostgresTestServer.freshDatabase(
            for: self, prefix: "chiso_registry", template: try PostgresIndicatorFileLoaderTests.referenceTemplate()))
        units = try warehouse.unitDirectory()
    }

    // Linux's XCTest discovers a subclass's tests only when it declares one; then every test it inherits runs
    // too: all of RegistryLoaderTests', here on PostgreSQL.
    override func testSameFileIsSkippedAndAChangedFileUpdatesKeepingRevisions() throws {
        try super.testSameFileIsSkippedAndAChangedFileUpdatesKeepingRevisions()
    }
}
