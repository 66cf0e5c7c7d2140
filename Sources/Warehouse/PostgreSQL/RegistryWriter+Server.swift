/// A registry file written on a server. Each batch of rows streams by COPY as soon as it is checked, so the
/// server stores it on one core while the next batches are read and checked on the other; only the rows' keys
/// are kept, sorted, to find the keys the file repeats, whose later rows are then deleted by line.
///
/// A first load, into a table with no records, follows PostgreSQL's manual on populating a table ("Populating a
/// Database": load by COPY, then build the indexes): inside the load's transaction the table's primary key is
/// dropped, the rows stream into the table, and the key is built again in one pass. A load that fails or is
/// refused rolls back, the key's drop with it. Until the load commits, the table is the load's alone: a reader
/// waits (it would have found the table empty).
///
/// Beside stored records, the file is merged set by set instead of key by key: a look-up per row costs a round
/// trip (200,000 rows revising 200,000 stored records took 107 s that way, against 2 s on SQLite, where a
/// look-up is a call). The rows stream into a temporary table beside the registry's, each with its hash for
/// the seal; one left join finds the stored record each matches, if any; a pass of a cursor over the changed
/// and conflicting ones makes the revisions, finds the conflicts and moves the seal's digest, as the row-by-row
/// merge does; then a few statements update, move and insert. The unchanged records, most of a nightly's
/// extract, are left as they are and never leave the server.
extension RegistryWriter {
    static let stagingTable = "chiso_staged"

    struct ServerLoad {
        let copy: CopyStream
        /// The table the rows stream into: the registry's in a first load, else the staging table.
        let table: String
        /// In a first load, the primary key's constraint dropped: its name and definition, to add again.
        let primaryKey: (name: String, definition: String)?
    }

    /// Starts the COPY of the file's rows: into the registry's table without its primary key when it has no
    /// records, else into a temporary table of the rows (the registry's columns, its load, line and province,
    /// where each row's text is in the file, and the row's hash as the seal adds it up).
    func startServerLoad() throws -> ServerLoad {
        guard try db.rows("SELECT 1 FROM \(table) LIMIT 1").isEmpty else {
            let staging = Self.stagingTable
            try db.execute("""
                DROP TABLE IF EXISTS \(staging);
                CREATE TEMPORARY TABLE \(staging) (LIKE \(table) INCLUDING DEFAULTS, raw_at BIGINT NOT NULL,
                    raw_length BIGINT NOT NULL, row_hash BIGINT NOT NULL)
                """)
            return ServerLoad(copy: try copyStream(into: staging, columns: written + ["raw_at", "raw_length", "row_hash"]),
                              table: staging, primaryKey: nil)
        }
        guard let key = try db.rows("""
            SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
            WHERE conrelid = CAST(? AS regclass) AND contype = 'p'
            """, [table]).first, let name = key["name"].text, let definition = key["definition"].text else {
            throw ReferenceError(message: "the warehouse's \(table) table has no primary key")
        }
        try db.execute("ALTER TABLE \(table) DROP CONSTRAINT \(name)")
        return ServerLoad(copy: try copyStream(into: table, columns: written), table: table, primaryKey: (name, definition))
    }

    private func copyStream(into table: String, columns: [String]) throws -> CopyStream {
        guard let copy = try db.copyStream(into: table, columns: columns) else {
            throw ReferenceError(message: "the warehouse's engine has no bulk path to write \(table) rows by")
        }
        return copy
    }

    /// Writes `rows` by the load's COPY, adding each one's hash to the seal's change: their keys, where each row
    /// is in its file, and their hashes.
    func stream(_ rows: StagedRows, into load: ServerLoad) throws -> StagedRows {
        var keys = StagedRows()
        let copy = load.copy
        try rows.bytes.withUnsafeBytes { buffer in
            var at = 0
            while at < buffer.count {
                let row = PackedRow(buffer.baseAddress! + at)
                let hash = try write(row, with: { copy.add($0) }, { copy.add($0) })
                if load.primaryKey == nil {
                    // Where its text is in the file, and its hash: the seal's change takes it back if it is as stored.
                    for value in [Int64(row.rawAt), Int64(row.rawLength), Int64(bitPattern: hash.value)] {
                        copy.add(SQLValue.integer(value))
                    }
                }
                try copy.endRow()
                keys.appendKey(of: row, hash: hash.value)
                at += row.length
            }
        }
        return keys
    }

    /// Ends the COPY, refuses each row whose key an earlier line of the file has (deleted, and out of the seal's
    /// change) and, beside stored records, merges the rows: how many rows were staged.
    func finish(_ load: ServerLoad, counting merged: inout Merged) throws -> Int {
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
            try db.run("DELETE FROM \(load.table) WHERE load_id = ? AND line = ANY(CAST(? AS BIGINT[]))",
                       [loadID, "{" + lines.joined(separator: ",") + "}"])
        }
        if load.primaryKey == nil { try mergeStaged(counting: &merged) }
        return count
    }

    /// Adds the primary key a first load dropped again, once the rows are in.
    func buildPrimaryKey(_ key: (name: String, definition: String)) throws {
        // Each partition's index is sorted in memory rather than in batches on disk (the default is 64 MB).
        try db.execute("SET LOCAL maintenance_work_mem = '256MB'")
        try db.execute("ALTER TABLE \(table) ADD CONSTRAINT \(key.name) \(key.definition)")
    }

    /// Merges the staged rows into the registry's table, counting what became of them in `merged` (its
    /// refusals, updates and unchanged records; the rest are inserted). The staged rows are joined with the
    /// stored records once, into a table (`chiso_merge`) that the pass making the revisions and the statements
    /// that write read.
    func mergeStaged(counting merged: inout Merged) throws {
        let staging = Self.stagingTable, key = columns[0]
        let differs = { (column: String) in "t.\(column) IS DISTINCT FROM s.\(column)" }
        // Another unit's province counts as a change, so that a record is kept under its unit's province.
        let changed = "(" + (columns.dropFirst() + ["province_id"]).map(differs).joined(separator: " OR ") + ")"
        let conflict = immutable.isEmpty ? "FALSE" : "(" + immutable.map { differs(columns[$0]) }.joined(separator: " OR ") + ")"
        let stored = columns + ["line", "province_id"]
        // The joins hash tens of megabytes of keys: in memory, not in batches on disk (the default is 4 MB).
        try db.execute("SET LOCAL work_mem = '256MB'")
        try db.execute("ANALYZE \(staging)")
        try db.execute("DROP TABLE IF EXISTS chiso_merge")
        // Every staged row beside the stored record of its key, if any: whole for the new, changed and
        // conflicting ones; of the unchanged ones, most of a nightly's extract, only what the statements below
        // read (OFFSET 0 keeps each flag computed once, not once per column).
        let kept = [key, "province_id", "stored_province_id", "row_hash", "new", "changed", "conflict"]
        let all = ["new_line", "raw_at", "raw_length", "stored_load"] + immutable.map { "conflict_\($0)" }
            + stored.map { "stored_\($0)" } + written
        try db.execute("CREATE TEMPORARY TABLE chiso_merge AS SELECT " + kept.joined(separator: ", ") + ", "
                       + all.filter { !kept.contains($0) }.map { "CASE WHEN new OR changed OR conflict THEN \($0) END AS \($0)" }
                           .joined(separator: ", ")
                       + " FROM (SELECT s.line AS new_line, s.raw_at, s.raw_length, s.row_hash, t.load_id AS stored_load, "
                       + immutable.map { differs(columns[$0]) + " AS conflict_\($0), " }.joined()
                       + "t.\(key) IS NULL AS new, t.\(key) IS NOT NULL AND \(changed) AS changed, "
                       + "t.\(key) IS NOT NULL AND \(conflict) AS conflict, "
                       + stored.map { "t.\($0) AS stored_\($0)" }.joined(separator: ", ") + ", "
                       + written.map { "s.\($0)" }.joined(separator: ", ")
                       + " FROM \(staging) s LEFT JOIN \(table) t ON t.\(key) = s.\(key) OFFSET 0) matched")
        try db.execute("ANALYZE chiso_merge")
        try db.execute("DECLARE chiso_cursor NO SCROLL CURSOR FOR SELECT new_line, raw_at, raw_length, stored_load, "
                       + immutable.map { "conflict_\($0), " }.joined() + "changed, "
                       + (stored + written).enumerated().map { $0 < stored.count ? "stored_\($1)" : $1 }
                           .joined(separator: ", ") + " FROM chiso_merge WHERE changed OR conflict")
        let first = 4 + immutable.count + 1, n = columns.count
        var revisions: [[SQLBindable]] = []
        while true {
            let batch = try db.rows("FETCH 10000 FROM chiso_cursor")
            for row in batch {
                let values = row.values
                if let column = immutable.indices.first(where: { values[4 + $0].int == 1 }) {
                    merged.refused.append((Int(values[0].int ?? 0), .conflict(column: columns[immutable[column]],
                                                                                  loadID: Int(values[3].int ?? 0)),
                                           Int(values[1].int ?? 0), Int(values[2].int ?? 0)))
                    var stagedHash = RowHash()
                    for value in values[(first + n + 2)...] { stagedHash.add(value) }
                    digestChange?.remove(stagedHash)
                    continue
                }
                // Changed: the stored record leaves the seal; the row staged, counted as it streamed, stands in its place.
                var storedHash = RowHash()
                for value in values[first..<(first + n)] + [values[3], values[first + n], values[first + n + 1]] {
                    storedHash.add(value)
                }
                digestChange?.remove(storedHash)
                merged.updated += 1
                revisions.append([registry.rawValue, values[first + n + 2], try previousJSON(Array(values[first..<(first + n)])),
                                  values[3], loadID])
            }
            try db.insert("INSERT INTO registry_revision (registry, record_key, previous, load_id, replaced_by_load)",
                          revisions)
            revisions.removeAll(keepingCapacity: true)
            if batch.count < 10000 { break }
        }
        try db.execute("CLOSE chiso_cursor")
        // The unchanged records stay as stored: their rows, counted into the seal as they streamed, come out of
        // it, added up here (their hashes' sum modulo 2^64, as the seal adds them).
        let unchanged = try db.rows("SELECT count(*) AS n, mod(mod(coalesce(sum(row_hash::numeric), 0), 18446744073709551616) "
                                    + "+ 18446744073709551616, 18446744073709551616)::text AS digest "
                                    + "FROM chiso_merge WHERE NOT new AND NOT changed AND NOT conflict")[0]
        merged.unchanged += Int(unchanged["n"].int ?? 0)
        digestChange?.remove(rows: Int(unchanged["n"].int ?? 0), digest: UInt64(unchanged["digest"].text ?? "") ?? 0)
        let assignments = (columns.dropFirst() + ["load_id", "line"]).map { "\($0) = m.\($0)" }.joined(separator: ", ")
        let moved = "m.province_id <> m.stored_province_id AND NOT m.conflict"
        for statement in [
            "UPDATE \(table) t SET \(assignments) FROM chiso_merge m "
                + "WHERE t.\(key) = m.\(key) AND t.province_id = m.province_id AND m.changed AND NOT m.conflict",
            "DELETE FROM \(table) t USING chiso_merge m "
                + "WHERE t.\(key) = m.\(key) AND t.province_id = m.stored_province_id AND \(moved)",
            "INSERT INTO \(table) (\(written.joined(separator: ", "))) "
                + "SELECT \(written.joined(separator: ", ")) FROM chiso_merge m WHERE m.new OR \(moved)",
            "DROP TABLE \(staging), chiso_merge",
        ] { try db.execute(statement) }
    }
}
