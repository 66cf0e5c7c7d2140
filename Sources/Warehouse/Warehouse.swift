import Foundation

/// The chiso warehouse: one SQLite file with the schema migrated to the latest version, and the query layer
/// that the rest of the toolkit uses instead of writing SQL of its own.
public final class Warehouse {
    /// The connection.
    public let db: Database

    /// Opens (creating when missing) the warehouse at `path` and applies pending migrations.
    public init(path: String) throws {
        db = try Database(path: path)
        try db.migrate(Schema.migrations)
    }

    /// The current time as an ISO 8601 string, for load and run records.
    public static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
