import Foundation
import Pipeline
import TestSupport
import Warehouse
import XCTest

/// Tests whose warehouses are SQLite files, or databases on the test PostgreSQL server in a subclass that says
/// so (`onPostgreSQL`): the same tests and assertions on both engines.
class WarehouseTestCase: XCTestCase {
    class var onPostgreSQL: Bool { false }

    /// A temporary folder, removed after the test.
    func temporaryFolder() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chiso-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.path
    }

    /// The warehouse a nightly run by the test writes (its `warehouse:` setting): a file in `folder`, or on
    /// PostgreSQL a fresh database as `chiso init` leaves it.
    func nightlyWarehouse(in folder: String) throws -> String {
        Self.onPostgreSQL ? try initialisedWarehouse().path : folder + "/w.sqlite"
    }

    /// A fresh warehouse as `chiso init` leaves it (reference units, catalogue), gone after the test. On
    /// PostgreSQL a copy of one made once per test process.
    func initialisedWarehouse() throws -> Warehouse {
        if Self.onPostgreSQL {
            let template = try PostgresTestServer.template("chiso_initialised") { url in
                _ = try initialise(try Warehouse(path: url), datasets: PipelineTests.datasets)
            }
            return try Warehouse(path: try PostgresTestServer.freshDatabase(for: self, prefix: "chiso_pipeline", template: template))
        }
        let warehouse = try Warehouse(path: try temporaryFolder() + "/w.sqlite")
        _ = try initialise(warehouse, datasets: PipelineTests.datasets)
        return warehouse
    }
}

// Linux's XCTest discovers a subclass's tests only when it declares one; then every test it inherits runs too.

/// `ComputeCoreTests` on PostgreSQL.
final class PostgresComputeCoreTests: ComputeCoreTests {
    override class var onPostgreSQL: Bool { true }
    override func testARatioFromCommunesIsTheRatioOfTheSums() throws { try super.testARatioFromCommunesIsTheRatioOfTheSums() }
}

/// `LocalTargetTests` on PostgreSQL.
final class PostgresLocalTargetTests: LocalTargetTests {
    override class var onPostgreSQL: Bool { true }
    override func testABadLocalTargetFailsTheFileWithItsReason() throws { try super.testABadLocalTargetFailsTheFileWithItsReason() }
}

/// `RegistryPipelineTests` on PostgreSQL.
final class PostgresRegistryPipelineTests: RegistryPipelineTests {
    override class var onPostgreSQL: Bool { true }
    override func testTheReportsRejectsListShowsNoRegistryRow() throws { try super.testTheReportsRejectsListShowsNoRegistryRow() }
}
