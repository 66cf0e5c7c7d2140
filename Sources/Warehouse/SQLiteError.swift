import Foundation
import CSQLite

/// A failure reported by SQLite, with the context needed to act on it.
public struct SQLiteError: Error, CustomStringConvertible, Equatable {
    /// SQLite's primary or extended result code.
    public let code: Int32
    /// SQLite's message for the connection at the time of the failure.
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?

    public init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    init(code: Int32, connection: OpaquePointer?, sql: String?) {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        self.init(code: code, message: message, sql: sql)
    }

    /// Whether the failure is a constraint violation (unique, foreign key, check, not null).
    public var isConstraintViolation: Bool { code & 0xff == SQLITE_CONSTRAINT }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " (in: \(sql.trimmingCharacters(in: .whitespacesAndNewlines).prefix(200)))" }
        return text
    }
}


/// A warehouse path that cannot be used: missing (for a command that only reads), a folder, or a file that is
/// not an SQLite database. One sentence naming the path and what to do.
public struct WarehouseFileError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }
}
