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
    /// The database file, when the connection knows it.
    public let file: String?

    public init(code: Int32, message: String, sql: String? = nil, file: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.file = file
    }

    init(code: Int32, connection: OpaquePointer?, sql: String?) {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        let file = connection.flatMap { sqlite3_db_filename($0, "main") }.map { String(cString: $0) }
        self.init(code: code, message: message, sql: sql, file: file.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Whether the failure is a constraint violation (unique, foreign key, check, not null).
    public var isConstraintViolation: Bool { code & 0xff == SQLITE_CONSTRAINT }

    /// One line: the file, SQLite's code and message, what to do for a damaged file or a full disk, and the
    /// statement with its whitespace collapsed.
    public var description: String {
        var text = (file.map { $0 + ": " } ?? "") + "SQLite error \(code): \(message)"
        switch code & 0xff {
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            text += ": the warehouse file is damaged; restore it from a backup, or make it anew with 'chiso init' and the loads"
        case SQLITE_FULL:
            text += ": the disk is full; the transaction under way was rolled back: free space and run the command again"
        default: break
        }
        if let sql {
            let line = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            text += " (in: \(line.prefix(200)))"
        }
        return text
    }
}


/// A warehouse path that cannot be used: missing (for a command that only reads), a folder, or a file that is
/// not an SQLite database. One sentence naming the path and what to do.
public struct WarehouseFileError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }
}
