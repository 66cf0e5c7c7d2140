/// A prepared statement. Reuse one statement for many rows: `bind`, `step`, `reset`.
public final class Statement {
    let base: EngineStatement
    /// The SQL text, kept for error messages.
    public let sql: String
    unowned let database: Database
    /// The transaction in which the statement last marked the tables it writes changed.
    private var markedIn = -1

    init(database: Database, sql: String) throws {
        base = try database.engine.prepare(sql)
        self.sql = sql
        self.database = database
    }

    /// Binds `value` to the 1-based parameter `index`.
    public func bind(_ value: SQLValue, at index: Int32) throws { try base.bind(value, at: index) }

    /// Binds a value of a packed row to the 1-based parameter `index`. Text may be bound where it lies: its
    /// bytes must stay there, unchanged, until the statement has run and been reset.
    func bind(_ value: PackedRow.Value, at index: Int32) throws { try base.bind(value, at: index) }

    /// Resets the statement and binds `values` to its parameters in order.
    public func bind(_ values: [SQLBindable]) throws {
        base.reset()
        for (offset, value) in values.enumerated() {
            try base.bind(value.sqlValue, at: Int32(offset + 1))
        }
    }

    /// Advances to the next row: `true` when a row is available, `false` when done.
    @discardableResult
    public func step() throws -> Bool {
        if !base.writes.isEmpty && (markedIn != database.transactionNumber || !database.isInTransaction) {
            database.markChanged(base.writes)
            markedIn = database.transactionNumber
        }
        return try base.step()
    }

    /// Makes the statement ready to run again, its bindings cleared.
    func reset() { base.reset() }

    /// Binds `values`, runs the statement to completion and resets it.
    public func execute(_ values: [SQLBindable] = []) throws {
        try bind(values)
        while try step() {}
        base.reset()
        try database.afterAutocommit()
    }

    /// The number of result columns.
    public var columnCount: Int32 { base.columnCount }

    /// The name of result column `index` (0-based).
    public func columnName(_ index: Int32) -> String { base.columnName(index) }

    /// Column `index` of the current row (0-based).
    public func value(_ index: Int32) -> SQLValue { base.value(index) }

    /// Column `index` as an integer, `nil` when NULL.
    public func int(_ index: Int32) -> Int? { base.value(index).int.map(Int.init) }

    /// Column `index` as a Double, `nil` when NULL.
    public func double(_ index: Int32) -> Double? { base.value(index).double }

    /// Column `index` as text, `nil` when NULL.
    public func text(_ index: Int32) -> String? { base.value(index).text }

    /// Runs the query with `values` and returns every row.
    public func rows(_ values: [SQLBindable] = []) throws -> [Row] {
        try bind(values)
        let rows = try base.allRows { try step() }
        base.reset()
        try database.afterAutocommit()
        return rows
    }
}

extension EngineStatement {
    /// Every row left, stepping with `step` (the statement's own, or one that marks its writes first).
    func allRows(step: () throws -> Bool) throws -> [Row] {
        var rows: [Row] = []
        var names: [String]?
        while try step() {
            let count = columnCount
            if names == nil { names = (0..<count).map(columnName) }
            rows.append(Row(columns: names!, values: (0..<count).map(value)))
        }
        return rows
    }
}

extension Engine {
    /// Every row of `sql` with `values` bound: the engine's own queries, which write nothing.
    func rows(_ sql: String, _ values: [SQLValue] = []) throws -> [Row] {
        let statement = try prepare(sql)
        for (offset, value) in values.enumerated() { try statement.bind(value, at: Int32(offset + 1)) }
        return try statement.allRows(step: statement.step)
    }
}

/// One result row, addressable by column name.
public struct Row: Equatable {
    /// Column names in result order.
    public let columns: [String]
    /// Values in result order.
    public let values: [SQLValue]

    /// The value of column `name`, `.null` when there is no such column.
    public subscript(name: String) -> SQLValue {
        guard let index = columns.firstIndex(of: name) else { return .null }
        return values[index]
    }
}
