/// A first load into a registry table with no records on a server, as PostgreSQL's manual advises for
/// populating a table ("Populating a Database": load by COPY, then create the indexes): inside the load's
/// transaction the table's primary key is dropped, each batch of rows streams by COPY as soon as it is
/// checked - the server stores it while the next batches are read and checked, on the other core - and only
/// the rows' keys are kept, sorted, to find the keys the file repeats. Those rows are deleted by their lines,
/// and the primary key is built again in one pass over the table. A load that fails or is refused rolls back
/// with its transaction, the key included. Until the load commits, the table is the load's alone: a reader
/// waits (it would have found the table empty).
extension RegistryWriter {
    struct FirstLoad {
        let copy: CopyStream
        /// The primary key's constraint: its name and definition, to add again.
        let primaryKey: (name: String, definition: String)
    }

    /// Drops the table's primary key and starts the COPY of its rows.
    func startFirstLoad() throws -> FirstLoad {
        guard let key = try db.rows("""
            SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
            WHERE conrelid = CAST(? AS regclass) AND contype = 'p'
            """, [table]).first, let name = key["name"].text, let definition = key["definition"].text else {
            throw ReferenceError(message: "the warehouse's \(table) table has no primary key")
        }
        try db.execute("ALTER TABLE \(table) DROP CONSTRAINT \(name)")
        guard let copy = try db.copyStream(into: table, columns: written) else {
            throw ReferenceError(message: "the warehouse's engine has no bulk path to load \(table) rows by")
        }
        return FirstLoad(copy: copy, primaryKey: (name, definition))
    }

    /// Writes `rows` by `copy`, adding each one's hash to the seal's change: their keys, where each row is in
    /// its file, and their hashes.
    func stream(_ rows: StagedRows, into copy: CopyStream) throws -> StagedRows {
        var keys = StagedRows()
        try rows.bytes.withUnsafeBytes { buffer in
            var at = 0
            while at < buffer.count {
                let row = PackedRow(buffer.baseAddress! + at)
                let hash = try write(row, with: { copy.add($0) }, { copy.add($0) })
                try copy.endRow()
                keys.appendKey(of: row, hash: hash.value)
                at += row.length
            }
        }
        return keys
    }

    /// Ends the COPY and refuses each row whose key an earlier line of the file has (deleted, and out of the
    /// seal's change): how many rows were staged.
    func finish(_ load: FirstLoad, counting merged: inout Merged) throws -> Int {
        try load.copy.finish()
        let keys = try staged.ordered()
        var repeated = RepeatedKeys(), count = 0, lines: [String] = []
        while let key = try keys.next() {
            count += 1
            guard let first = repeated.firstLine(ofRepeated: key) else { continue }
            merged.refused.append((key.line, .duplicate(line: first), key.rawAt, key.rawLength))
            lines.append(String(key.line))
            key.forEachValue { if case .integer(let hash) = $0 { digestChange?.remove(rows: 1, digest: UInt64(bitPattern: hash)) } }
        }
        if !lines.isEmpty {
            try db.run("DELETE FROM \(table) WHERE load_id = ? AND line = ANY(CAST(? AS BIGINT[]))",
                       [loadID, "{" + lines.joined(separator: ",") + "}"])
        }
        return count
    }

    /// Adds the primary key dropped by `startFirstLoad` again, once the rows are in.
    func buildPrimaryKey(_ load: FirstLoad) throws {
        // Each partition's index is sorted in memory rather than in batches on disk (the default is 64 MB).
        try db.execute("SET LOCAL maintenance_work_mem = '256MB'")
        try db.execute("ALTER TABLE \(table) ADD CONSTRAINT \(load.primaryKey.name) \(load.primaryKey.definition)")
    }
}
