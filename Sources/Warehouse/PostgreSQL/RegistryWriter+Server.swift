/// A registry file merged beside the stored records on a server, set by set instead of key by key: a look-up
/// per row costs a round trip (200,000 rows revising 200,000 stored records took 107 s that way, against 2 s
/// on SQLite, where a look-up is a call). The file's rows, sorted and without duplicates, stream by COPY into a
/// temporary table beside the registry's, each with its hash for the seal; one left join finds the stored
/// record each matches, if any; a pass of a cursor over the changed and conflicting ones makes the revisions, finds the
/// conflicts and moves the seal's digest, as the row-by-row merge does; then a few statements update, move and
/// insert. The unchanged records, most of a nightly's extract, are left as they are and never leave the server.
extension RegistryWriter {
    static let stagingTable = "chiso_staged"

    /// The temporary table of the file's rows (the registry's columns, its load, line and province, where each
    /// row's text is in the file, and the row's hash as the seal adds it up), and a COPY into it.
    func stageOnServer() throws -> CopyStream {
        let staging = Self.stagingTable
        try db.execute("""
            DROP TABLE IF EXISTS \(staging);
            CREATE TEMPORARY TABLE \(staging) (LIKE \(table) INCLUDING DEFAULTS, raw_at BIGINT NOT NULL,
                raw_length BIGINT NOT NULL, row_hash BIGINT NOT NULL)
            """)
        guard let copy = try db.copyStream(into: staging, columns: written + ["raw_at", "raw_length", "row_hash"]) else {
            throw ReferenceError(message: "the warehouse's engine has no bulk path to stage \(table) rows on")
        }
        return copy
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
