import CSQLite

/// The hash of one row as `chiso_digest` (the seal's digest, `CSQLite/shim.h`) makes it, value by value, for a
/// writer that knows the rows it adds and replaces: its seal is then the last one plus the change, with no pass
/// over the table (`Database.recordDigestChange`).
struct RowHash {
    private var state = chiso_row_hash_begin()

    mutating func add(_ value: SQLValue) {
        switch value {
        case .null: state = chiso_row_hash_null(state)
        case .integer(let v): state = chiso_row_hash_integer(state, v)
        case .real(let v): state = chiso_row_hash_real(state, v)
        case .text(var text): text.withUTF8 { add(text: UnsafeRawBufferPointer($0)) }
        }
    }

    mutating func add(_ value: PackedRow.Value) {
        switch value {
        case .null: state = chiso_row_hash_null(state)
        case .integer(let v): state = chiso_row_hash_integer(state, v)
        case .real(let v): state = chiso_row_hash_real(state, v)
        case .text(let bytes): add(text: bytes)
        }
    }

    private mutating func add(text bytes: UnsafeRawBufferPointer) {
        state = chiso_row_hash_bytes(state, SQLITE_TEXT, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                                     Int32(bytes.count))
    }

    /// Column `index` of `statement`'s current row, as stored.
    mutating func add(column index: Int32, of statement: SQLiteStatement) {
        let handle = statement.handle
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: state = chiso_row_hash_integer(state, sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: state = chiso_row_hash_real(state, sqlite3_column_double(handle, index))
        case SQLITE_NULL: state = chiso_row_hash_null(state)
        case let type:
            let bytes = type == SQLITE_TEXT ? sqlite3_column_text(handle, index)
                : sqlite3_column_blob(handle, index)?.assumingMemoryBound(to: UInt8.self)
            state = chiso_row_hash_bytes(state, type, bytes, sqlite3_column_bytes(handle, index))
        }
    }

    /// The row's hash, once every value is added.
    var value: UInt64 { chiso_row_hash_end(state) }
}

/// How a writer changed a table's seal in the open transaction: rows added and removed, by their hashes.
struct DigestChange {
    var rows = 0
    var digest: UInt64 = 0

    mutating func add(_ row: RowHash) { add(digest: row.value) }

    /// Adds a row whose hash is `digest`.
    mutating func add(digest: UInt64) {
        rows += 1
        self.digest &+= digest
    }

    mutating func remove(_ row: RowHash) {
        rows -= 1
        digest &-= row.value
    }

    /// Takes out `rows` rows whose hashes add up to `digest` (modulo 2^64).
    mutating func remove(rows: Int, digest: UInt64) {
        self.rows -= rows
        self.digest &-= digest
    }
}
