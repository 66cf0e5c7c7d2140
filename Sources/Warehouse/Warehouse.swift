import Foundation

/// The chiso warehouse: one SQLite file with the schema migrated to the latest version, and the query layer
/// that the rest of the toolkit uses instead of writing SQL of its own.
public final class Warehouse {
    /// The connection.
    public let db: Database
    /// Who writes, as each seal records it ("chiso ingest", "chiso nightly").
    public var sealedBy = Warehouse.writer
    /// The command of this process that writes (what `sealedBy` starts as).
    nonisolated(unsafe) public static var writer = "chiso"

    /// Opens the warehouse at `path` and applies pending migrations; with `create` (the default) a missing
    /// one is created, else its absence is an error that says how to make one.
    public init(path: String, create: Bool = true) throws {
        if !create && path != ":memory:" && !FileManager.default.fileExists(atPath: path) {
            throw WarehouseFileError(message: "no warehouse at \(path): 'chiso init --db \(path)' creates one (or give --db)")
        }
        db = try Database(path: path, create: create)
        try db.registerDigestFunction()
        try db.migrate(Schema.migrations)
        // Every write transaction seals the tables it changed as it commits, so no kill leaves a change unsealed.
        db.beforeCommit = { [weak self] tables in try self?.seal(tables) }
    }

    /// The current time as an ISO 8601 string, for load and run records.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
