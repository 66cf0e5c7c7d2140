import CLibPQ
import Foundation

/// A connection to a PostgreSQL server through libpq, offering what `Database` offers over SQLite: statements
/// with `?` placeholders (numbered `$1, $2, ...` before they are sent), rows as `Row`s, transactions with nested
/// savepoints, and bulk loads by `COPY ... FROM STDIN`.
///
/// Values travel as text, the protocol's default: a Double is written with the shortest digits that read back
/// to the same Double, and the server's `float8` output (PostgreSQL 12 and later) reads back exactly.
public final class PostgresConnection {
    let handle: OpaquePointer
    /// The connection URL without its password, for messages.
    public let location: String
    /// The rows the last INSERT, UPDATE or DELETE changed.
    public internal(set) var changes = 0

    /// Whether `location` names a PostgreSQL server (`postgresql://` or `postgres://`) rather than a file.
    public static func isURL(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// Refuses a location that would otherwise name an SQLite file though it means something else: nothing (an
    /// unset variable, `--db "$CHISO_DB"`), a PostgreSQL URL with a slip in it (`postgresql:/host/db`,
    /// `postgresq://host/db`: any other scheme), or libpq's keywords (`host=... dbname=...`).
    public static func refuseMistypedURL(_ location: String) throws {
        let url = "postgresql://USER@HOST:PORT/DATABASE"
        guard !location.isEmpty else {
            throw WarehouseFileError(message: "the warehouse's location is empty (an unset variable?): give a file or \(url)")
        }
        if isURL(location) {
            // libpq ends the user and password at the last '@' but one: the rest of a password went to the host.
            let authority = location.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" && $0 != "?" }
            guard authority.filter({ $0 == "@" }).count > 1 else { return }
            throw WarehouseFileError(message: "the warehouse's URL has more than one '@' before its host (not repeated "
                                        + "here: it holds a password): write an '@' in the user or password as %40")
        }
        let scheme = location.prefix { $0 != ":" }.lowercased()
        if ["postgresql", "postgres"].contains(scheme) && location.contains(":") || location.contains("://") {
            throw WarehouseFileError(message: "'\(withoutPassword(location))' looks like a PostgreSQL URL with a slip in "
                                        + "it: write \(url)")
        }
        if location.range(of: #"(^|\s)(host|dbname|user|port)\s*="#, options: .regularExpression) != nil {
            throw WarehouseFileError(message: "'\(withoutPassword(location))' reads as libpq's keywords: chiso takes a "
                                        + "server as a URL, \(url) (a file of that name would be an SQLite warehouse)")
        }
    }

    /// Connects to `url` (`postgresql://user@host:port/database`, or any libpq connection string); with
    /// `readOnly`, every transaction of the session is read-only. A server that cannot be reached, or
    /// refuses, is one sentence naming where and why.
    public init(url: String, readOnly: Bool = false) throws {
        location = Self.withoutPassword(url)
        guard let connection = PQconnectdb(url) else {
            throw PostgresError(message: "cannot connect to \(location): libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            var message = Self.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            if message.contains("database \"") && message.contains("does not exist") {
                message += ": create the database (createdb, or CREATE DATABASE as its owner), then 'chiso init --db URL' "
                    + "makes the warehouse in it"
            } else if message.contains("role \"") && message.contains("does not exist") {
                message += ": connect as a role the server has (the user in the URL), or have its administrator create it"
            }
            throw PostgresError(message: "cannot connect to \(location): \(message)")
        }
        handle = connection
        // Notices (such as "there is no transaction in progress") go nowhere rather than to standard error.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        try execute("SET client_encoding = 'UTF8'; SET standard_conforming_strings = on; SET client_min_messages = warning")
        if readOnly { try execute("SET default_transaction_read_only = on") }
    }

    deinit { PQfinish(handle) }

    /// Runs one or more statements that return no rows, with no parameters.
    public func execute(_ sql: String) throws {
        let result = try check(PQexec(handle, sql), sql: sql)
        changes = Int(String(cString: PQcmdTuples(result))) ?? 0
        PQclear(result)
    }

    /// Runs one statement with `values` bound to its `?` parameters.
    public func run(_ sql: String, _ values: [SQLBindable] = []) throws {
        _ = try rows(sql, values)
    }

    /// Runs a query and returns all its rows (read as `PostgresStatement` reads them).
    public func rows(_ sql: String, _ values: [SQLBindable] = []) throws -> [Row] {
        let statement = PostgresStatement(connection: self, sql: sql)
        for (offset, value) in values.enumerated() { try statement.bind(value.sqlValue, at: Int32(offset + 1)) }
        return try statement.allRows(step: statement.step)
    }

    /// Runs `numbered` (placeholders already `$n`), or the statement prepared from it as `prepared`, with
    /// `texts` bound; the result is the caller's to clear.
    func run(numbered: String, prepared: String? = nil, _ texts: [String?], sql: String) throws -> OpaquePointer {
        let result = try withCStrings(texts) { pointers in
            try check(prepared.map { PQexecPrepared(handle, $0, Int32(pointers.count), pointers, nil, nil, 0) }
                      ?? PQexecParams(handle, numbered, Int32(pointers.count), nil, pointers, nil, nil, 0), sql: sql)
        }
        changes = Int(String(cString: PQcmdTuples(result))) ?? 0
        return result
    }

    /// Statements prepared on the server so far, for their names.
    private var preparedCount = 0

    /// Prepares `numbered` on the server (parsed and planned once): its name.
    func prepareOnServer(_ numbered: String, sql: String) throws -> String {
        preparedCount += 1
        let name = "chiso_\(preparedCount)"
        PQclear(try check(PQprepare(handle, name, numbered, 0, nil), sql: sql))
        return name
    }

    /// Frees the statement prepared as `name` on the server.
    func deallocate(_ name: String) {
        if let result = PQexec(handle, "DEALLOCATE \(name)") { PQclear(result) }
    }

    /// The first column of the first row, `.null` when there is no row.
    public func scalar(_ sql: String, _ values: [SQLBindable] = []) throws -> SQLValue {
        try rows(sql, values).first?.values.first ?? .null
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { PQtransactionStatus(handle) != PQTRANS_IDLE }

    private var savepointDepth = 0

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws; nested calls become
    /// savepoints that roll back on their own. (A warehouse's transactions are `Database`'s, which seal.)
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction {
            savepointDepth += 1
            defer { savepointDepth -= 1 }
            return try inSavepoint("chiso_sp\(savepointDepth)", execute: execute, body)
        }
        try execute("BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Loads `rows` (each one value per column of `columns`) into `table` by one `COPY ... FROM STDIN`
    /// (`PostgresCopy`). Returns the number of rows the server copied. A row the table refuses fails the whole
    /// COPY, and with it the transaction it runs in.
    @discardableResult
    public func copy<Rows: Sequence>(into table: String, columns: [String], rows: Rows) throws -> Int
        where Rows.Element == [SQLValue] {
        let stream = try PostgresCopy(connection: self, table: table, columns: columns)
        for row in rows {
            precondition(row.count == columns.count, "a COPY row must have one value per column")
            row.forEach(stream.add)
            try stream.endRow()
        }
        return try stream.finish()
    }

    /// Sends a block of COPY data.
    func sendCopyData(_ block: UnsafeRawBufferPointer, sql: String) throws {
        guard let start = block.baseAddress, !block.isEmpty else { return }
        let sent = PQputCopyData(handle, start.assumingMemoryBound(to: CChar.self), Int32(block.count))
        guard sent == 1 else { throw PostgresError(message: Self.trimmed(PQerrorMessage(handle)), sql: sql) }
    }

    /// Ends the COPY under way (abandoning it with `abandon`), and returns how many rows it copied, or throws
    /// its first error.
    func endCopy(sql: String, abandon: String? = nil) throws -> Int {
        guard PQputCopyEnd(handle, abandon) == 1 else {
            throw PostgresError(message: Self.trimmed(PQerrorMessage(handle)), sql: sql)
        }
        var copied = 0
        var failure: Error?
        while let result = PQgetResult(handle) {
            do {
                _ = try check(result, sql: sql, clear: false)
                copied += Int(String(cString: PQcmdTuples(result))) ?? 0
            } catch {
                failure = failure ?? error
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return copied
    }

    /// Starts `sql`, a `COPY ... FROM STDIN`.
    func startCopy(_ sql: String) throws {
        PQclear(try check(PQexec(handle, sql), sql: sql, expecting: PGRES_COPY_IN))
    }

    // MARK: - Results and errors

    /// `result` when it reports success (or `expecting`), else its error; a failed result is cleared.
    @discardableResult
    func check(_ result: OpaquePointer?, sql: String, expecting: ExecStatusType? = nil,
                       clear: Bool = true) throws -> OpaquePointer {
        guard let result else {
            throw PostgresError(message: Self.trimmed(PQerrorMessage(handle)), sql: sql)
        }
        let status = PQresultStatus(result)
        if let expecting, status == expecting { return result }
        if expecting == nil && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) { return result }
        func field(_ code: Int32) -> String? { PQresultErrorField(result, code).map { String(cString: $0) } }
        let error = PostgresError(message: field(chiso_pg_diag_message_primary) ?? Self.trimmed(PQresultErrorMessage(result)), sql: sql,
                                  sqlState: field(chiso_pg_diag_sqlstate), detail: field(chiso_pg_diag_message_detail),
                                  hint: field(chiso_pg_diag_message_hint))
        if clear { PQclear(result) }
        throw error
    }

    /// libpq's message on one line: its lines joined by "; ", but a line that goes on with the sentence before
    /// (lower case: "... terminated abnormally" / "before or while processing the request.") by a space.
    static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "unknown error" }
        return String(cString: text).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .reduce("") { joined, line in
                joined.isEmpty ? line : joined + (line.first?.isLowercase == true ? " " : "; ") + line
            }
    }

    /// The URL with any password replaced by `***`.
    static func withoutPassword(_ url: String) -> String {
        guard isURL(url) else {
            return url.replacingOccurrences(of: #"password\s*=\s*('[^']*'|\S*)"#, with: "password=***", options: .regularExpression)
        }
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? url
    }

    // MARK: - Values as text

    /// The text the server reads as `value` (`nil` for NULL).
    static func text(of value: SQLValue) -> String? {
        switch value {
        case .null: return nil
        case .integer(let v): return String(v)
        case .real(let v): return v.isNaN ? "NaN" : v.isInfinite ? (v < 0 ? "-Infinity" : "Infinity") : "\(v)"
        case .text(let v): return v
        }
    }

    /// The value of a result field written as `text`, by the column's type: integers (`int2`, `int4`,
    /// `int8`, `oid`) and booleans (1 or 0) as integers, `float4`, `float8` and `numeric` as reals (a
    /// `numeric` without a fraction, as `sum` of integers gives, as an integer), anything else as text.
    static func value(_ text: String, type: Oid) -> SQLValue {
        switch type {
        case 20, 21, 23, 26: return Int64(text).map(SQLValue.integer) ?? .text(text)
        case 16: return .integer(text == "t" ? 1 : 0)
        case 700, 701: return Double(text).map(SQLValue.real) ?? .text(text)
        case 1700:
            if let integer = Int64(text) { return .integer(integer) }
            return Double(text).map(SQLValue.real) ?? .text(text)
        default: return .text(text)
        }
    }

    /// `sql` with each `?` placeholder numbered `$1, $2, ...` in order, and each `?N` (SQLite's numbered one)
    /// written `$N`; a `?` inside a string literal, a quoted name or a comment is left alone.
    static func numberingPlaceholders(_ sql: String) -> String {
        guard sql.contains("?") else { return sql }
        let characters = Array(sql)
        var result = "", number = 0
        var quote: Character?, lineComment = false, blockComment = false
        var previous: Character = " "
        for (index, character) in characters.enumerated() {
            defer { previous = character }
            if lineComment {
                if character == "\n" { lineComment = false }
            } else if blockComment {
                if previous == "*" && character == "/" { blockComment = false }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if previous == "-" && character == "-" {
                lineComment = true
            } else if previous == "/" && character == "*" {
                blockComment = true
            } else if character == "?" {
                if index + 1 < characters.count, characters[index + 1].isASCII, characters[index + 1].isNumber {
                    result += "$"
                } else {
                    number += 1
                    result += "$\(number)"
                }
                continue
            }
            result.append(character)
        }
        return result
    }
}

/// Calls `body` with C strings of `texts` (NULL for `nil`), valid during the call.
private func withCStrings<T>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) throws -> T) throws -> T {
    let copies = texts.map { $0.map { strdup($0) } ?? nil }
    defer { copies.forEach { free($0) } }
    return try body(copies.map { $0.map { UnsafePointer($0) } })
}

/// A failure reported by PostgreSQL, with the statement that failed and the server's own words.
public struct PostgresError: Error, CustomStringConvertible, Equatable {
    /// The server's (or libpq's) message.
    public let message: String
    /// The statement that failed, when there was one.
    public var sql: String?
    /// The five-character SQLSTATE code (`23505` for a duplicate key), when the server gave one.
    public var sqlState: String?
    public var detail: String?
    public var hint: String?

    public init(message: String, sql: String? = nil, sqlState: String? = nil, detail: String? = nil, hint: String? = nil) {
        self.message = message
        self.sql = sql
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
    }

    /// Whether the failure is a constraint violation (SQLSTATE class 23: unique, foreign key, check, not null).
    public var isConstraintViolation: Bool { sqlState?.hasPrefix("23") == true }

    /// One line: the server's message with its code, detail and hint, and the statement with its whitespace
    /// collapsed; a failure to connect is its sentence alone.
    public var description: String {
        guard sqlState != nil || sql != nil else { return message }
        var text = "PostgreSQL error" + (sqlState.map { " \($0)" } ?? "") + ": " + message
        if let detail { text += " (\(detail))" }
        if let hint { text += "; \(hint)" }
        if let sql {
            let statement = sql.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            text += " (in: \(statement.count > 200 ? statement.prefix(200) + "…" : statement))"
        }
        return text
    }
}
