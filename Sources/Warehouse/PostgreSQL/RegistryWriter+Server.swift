import Foundation

/// A registry file written on a server. Each batch of rows streams by COPY as soon as it is checked, so the
/// server stores it on one core while the next batches are read and checked on the other. A row whose key may
/// be one already sent (a filter of the keys sent says so, `KeyFilter`) is held back instead. The rows' keys
/// are kept, sorted, to find the keys the file repeats: the rows held back that are kept (each the first line
/// of its key) are then sent, and a row sent before an earlier line of its key (batches come in the order their
/// checks end) is deleted.
///
/// A first load, into a table with no records, follows PostgreSQL's manual on populating a table ("Populating a
/// Database": load by COPY, then build the indexes): inside the load's transaction the table's primary key is
/// dropped, the rows stream into the table, and the key is built again in one pass as soon as the stream ends
/// (the rows sent have keys of their own). A load that fails or is refused rolls back, the key's drop with it.
/// Until the load commits, the table is the load's alone: a reader waits (it would have found the table empty).
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
        /// The keys of the rows sent.
        let sent: KeyFilter
        /// The rows held back: a row sent may have had their key.
        let held: SortedRuns

        /// Whether the rows go to the staging table, with where each row's text is in the file and its hash.
        var staging: Bool { primaryKey == nil }
    }

    /// Starts the COPY of the file's rows: into the registry's table without its primary key when it has no
    /// records, else into a temporary table of the rows (the registry's columns, its load, line and province,
    /// where each row's text is in the file, and the row's hash as the seal adds it up). The filter of the keys
    /// sent is sized for a file of `fileBytes` bytes.
    func startServerLoad(fileBytes: Int) throws -> ServerLoad {
        let sent = try KeyFilter(fileBytes: fileBytes)
        guard try db.rows("SELECT 1 FROM \(table) LIMIT 1").isEmpty else {
            let staging = Self.stagingTable
            try db.execute("""
                DROP TABLE IF EXISTS \(staging);
                CREATE TEMPORARY TABLE \(staging) (LIKE \(table) INCLUDING DEFAULTS, raw_at BIGINT NOT NULL,
                    raw_length BIGINT NOT NULL, row_hash BIGINT NOT NULL)
                """)
            return ServerLoad(copy: try copyStream(into: staging, staging: true), table: staging, primaryKey: nil, sent: sent,
                              held: SortedRuns(rowsPerRun: staged.rowsPerRun))
        }
        guard let key = try db.rows("""
            SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
            WHERE conrelid = CAST(? AS regclass) AND contype = 'p'
            """, [table]).first, let name = key["name"].text, let definition = key["definition"].text else {
            throw ReferenceError(message: "the warehouse's \(table) table has no primary key")
        }
        try db.execute("ALTER TABLE \(table) DROP CONSTRAINT \(name)")
        return ServerLoad(copy: try copyStream(into: table, staging: false), table: table, primaryKey: (name, definition),
                          sent: sent, held: SortedRuns(rowsPerRun: staged.rowsPerRun))
    }

    /// A COPY into `table` of the columns written, and in the staging table where each row's text is in the
    /// file and its hash.
    private func copyStream(into table: String, staging: Bool) throws -> CopyStream {
        let columns = written + (staging ? ["raw_at", "raw_length", "row_hash"] : [])
        guard let copy = try db.copyStream(into: table, columns: columns) else {
            throw ReferenceError(message: "the warehouse's engine has no bulk path to write \(table) rows by")
        }
        return copy
    }

    /// Writes the rows of `rows` whose key was not sent before by the load's COPY, and holds back the others:
    /// the rows' keys, where each row is in its file, and the hashes of those written.
    func stream(_ rows: StagedRows, into load: ServerLoad) throws -> StagedRows {
        var keys = StagedRows(), held = StagedRows()
        try rows.bytes.withUnsafeBytes { buffer in
            // The filter is asked about the whole batch first: its look-ups, each a miss in the processor's
            // caches, then overlap one another.
            var mayRepeat: [Bool] = []
            mayRepeat.reserveCapacity(rows.count)
            var at = 0
            while at < buffer.count {
                let row = PackedRow(buffer.baseAddress! + at)
                mayRepeat.append(load.sent.insert(row.key))
                at += row.length
            }
            at = 0
            for repeats in mayRepeat {
                let row = PackedRow(buffer.baseAddress! + at)
                if repeats {
                    held.append(row)
                    keys.appendKey(of: row, hash: nil)
                } else {
                    keys.appendKey(of: row, hash: try send(row, by: load.copy, staging: load.staging))
                }
                at += row.length
            }
        }
        if held.count > 0 { try load.held.append(held) }
        return keys
    }

    /// Writes `row` by `copy`, adding its hash to the seal's change: the hash.
    private func send(_ row: PackedRow, by copy: CopyStream, staging: Bool) throws -> UInt64 {
        let sealed = sealer.sealed(row)
        try write(row, sealed, with: { copy.add($0) }, { copy.add($0) })
        if staging {
            // Where its text is in the file, and its hash: the seal's change takes it back if it is as stored.
            copy.add(SQLValue.integer(Int64(row.rawAt)))
            copy.add(SQLValue.integer(Int64(row.rawLength)))
            copy.add(SQLValue.integer(Int64(bitPattern: sealed.hash)))
        }
        try copy.endRow()
        return sealed.hash
    }

    /// Ends the COPY, refuses each row whose key an earlier line of the file has (deleted if it was sent, else
    /// never written), sends the rows held back that are kept and, beside stored records, merges the rows:
    /// how many rows were staged. In a first load the primary key is built while the keys are compared (the
    /// rows sent have keys of their own).
    func finish(_ load: ServerLoad, counting merged: inout Merged) throws -> Int {
        try load.copy.finish()
        // A unit the warehouse lacks refuses the load now rather than after the key's build (the rows held
        // back are checked when they are sent, by `merge`).
        try refuseMissingUnits()
        var compared = ComparedKeys()
        try concurrently({ compared = try compareKeys() }, { if let key = load.primaryKey { try buildPrimaryKey(key) } })
        merged.refused += compared.refused
        for hash in compared.sent.hashes { digestChange?.remove(rows: 1, digest: hash) }
        if !compared.sent.lines.isEmpty, !load.staging {
            try db.run("DELETE FROM \(load.table) WHERE \(columns[0]) = ANY(CAST(? AS TEXT[])) AND load_id = ? "
                       + "AND line = ANY(CAST(? AS BIGINT[]))",
                       [Self.arrayLiteral(compared.sent.keys), loadID, Self.arrayLiteral(compared.sent.lines.map(String.init))])
        }
        let held = try load.held.ordered()
        var copy: CopyStream?
        while let row = try held.next() {
            if compared.refusedHeld.contains(row.line) { continue }
            if copy == nil { copy = try copyStream(into: load.table, staging: load.staging) }
            _ = try send(row, by: copy!, staging: load.staging)
        }
        try copy?.finish()
        if load.staging {
            try mergeStaged(rows: compared.count - compared.refused.count, leavingOut: compared.sent.lines, counting: &merged)
        }
        return compared.count
    }

    /// The file's keys compared (`compareKeys`): how many, the rows refused for repeating an earlier line's
    /// key, and of those the ones sent (their keys, lines and hashes) and the ones held back (their lines).
    struct ComparedKeys {
        var count = 0
        var refused: [(line: Int, reason: Refusal, rawAt: Int, rawLength: Int)] = []
        var sent: (keys: [String], lines: [Int], hashes: [UInt64]) = ([], [], [])
        var refusedHeld = Set<Int>()
    }

    /// Compares the staged keys in key order; reads nothing from the warehouse.
    func compareKeys() throws -> ComparedKeys {
        let keys = try staged.ordered()
        var repeated = RepeatedKeys(), compared = ComparedKeys()
        while let key = try keys.next() {
            compared.count += 1
            guard let first = repeated.firstLine(ofRepeated: key) else { continue }
            compared.refused.append((key.line, .duplicate(line: first), key.rawAt, key.rawLength))
            var hash: Int64?
            key.forEachValue { if case .integer(let value) = $0 { hash = value } }
            if let hash {
                compared.sent.keys.append(String(decoding: key.key, as: UTF8.self))
                compared.sent.lines.append(key.line)
                compared.sent.hashes.append(UInt64(bitPattern: hash))
            } else {
                compared.refusedHeld.insert(key.line)
            }
        }
        return compared
    }

    /// Runs `first` and `second` at once, each on a thread of its own; throws the first's error, else the second's.
    private func concurrently(_ first: () throws -> Void, _ second: () throws -> Void) throws {
        var firstError: Error?, secondError: Error?
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            do {
                try index == 0 ? first() : second()
            } catch {
                if index == 0 { firstError = error } else { secondError = error }
            }
        }
        if let error = firstError ?? secondError { throw error }
    }

    /// An array as PostgreSQL reads one from `texts`: each quoted, its quotes and backslashes escaped (numbers
    /// too: '{"12"}' reads as an array of the number 12).
    static func arrayLiteral(_ texts: [String]) -> String {
        "{" + texts.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            .joined(separator: ",") + "}"
    }

    /// Adds the primary key a first load dropped again, once the rows are in.
    func buildPrimaryKey(_ key: (name: String, definition: String)) throws {
        // Each partition's index is sorted in memory rather than in batches on disk (the default is 64 MB).
        try db.execute("SET LOCAL maintenance_work_mem = '256MB'")
        try db.execute("ALTER TABLE \(table) ADD CONSTRAINT \(key.name) \(key.definition)")
        try db.execute("SET LOCAL maintenance_work_mem TO DEFAULT")
    }

    /// Merges the `rows` staged rows into the registry's table, but those of the lines `refused` (sent, then
    /// found to repeat an earlier line's key), counting what became of them in `merged` (its refusals, updates
    /// and unchanged records; the rest are inserted). The staged rows are joined with the stored records once,
    /// and the new, changed and conflicting ones kept in a table (`chiso_merge`) that the pass making the
    /// revisions and the statements that write read.
    func mergeStaged(rows: Int, leavingOut refused: [Int], counting merged: inout Merged) throws {
        let staging = Self.stagingTable, key = columns[0]
        // Until here the seal's change holds the rows staged: each added as it streamed, the repeats taken out.
        let staged = digestChange
        let differs = { (column: String) in "t.\(column) IS DISTINCT FROM s.\(column)" }
        // Another unit's province counts as a change, so that a record is kept under its unit's province.
        let changed = "(" + (columns.dropFirst() + ["province_id"]).map(differs).joined(separator: " OR ") + ")"
        let conflict = immutable.isEmpty ? "FALSE" : "(" + immutable.map { differs(columns[$0]) }.joined(separator: " OR ") + ")"
        let stored = columns + ["line", "province_id"]
        // The join hashes the staged rows: in memory, not in batches on disk (the defaults hold 8 MB; 5 million
        // rows take 464 MB, which in two batches took 1.5 s more). Each statement here runs once a load: compiling
        // it (JIT) took 0.6 s for the join and 1.3 s for the update of 5 million rows, more than it saved.
        // (The settings last until the merge ends; hash_mem_multiplier is PostgreSQL 13's.)
        try db.execute("SET LOCAL work_mem = '256MB'; SET LOCAL hash_mem_multiplier = 4; SET LOCAL jit = off")
        try db.execute("ANALYZE \(staging)")
        try db.execute("DROP TABLE IF EXISTS chiso_merge")
        // The staged rows that are new, or differ from the stored record of their key, beside that record. The
        // unchanged ones, most of a nightly's extract, are left out: what they add up to is what was staged less
        // what is kept here.
        try db.execute("CREATE TEMPORARY TABLE chiso_merge AS SELECT * FROM (SELECT s.line AS new_line, s.raw_at, "
                       + "s.raw_length, s.row_hash, t.load_id AS stored_load, "
                       + immutable.map { differs(columns[$0]) + " AS conflict_\($0), " }.joined()
                       + "t.\(key) IS NULL AS new, t.\(key) IS NOT NULL AND \(changed) AS changed, "
                       + "t.\(key) IS NOT NULL AND \(conflict) AS conflict, "
                       + stored.map { "t.\($0) AS stored_\($0)" }.joined(separator: ", ") + ", "
                       + written.map { "s.\($0)" }.joined(separator: ", ")
                       + " FROM \(staging) s LEFT JOIN \(table) t ON t.\(key) = s.\(key)"
                       + (refused.isEmpty ? "" : " WHERE s.line <> ALL('\(Self.arrayLiteral(refused.map(String.init)))'::BIGINT[])")
                       + ") matched WHERE new OR changed OR conflict")
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
        // it (their hashes' sum modulo 2^64, as the seal adds them).
        let kept = try db.rows("SELECT count(*) AS n, mod(mod(coalesce(sum(row_hash::numeric), 0), 18446744073709551616) "
                               + "+ 18446744073709551616, 18446744073709551616)::text AS digest FROM chiso_merge")[0]
        let unchanged = rows - Int(kept["n"].int ?? 0)
        merged.unchanged += unchanged
        if let staged {
            digestChange?.remove(rows: unchanged, digest: staged.digest &- (UInt64(kept["digest"].text ?? "") ?? 0))
        }
        let assignments = (columns.dropFirst() + ["load_id", "line"]).map { "\($0) = m.\($0)" }.joined(separator: ", ")
        let moved = "m.province_id <> m.stored_province_id AND NOT m.conflict"
        // Each changed record is found by its key and province in its partition's index when few changed: the
        // planner, costing a look-up in every partition, chose to hash them and read the whole table (for
        // 93,661 records changed among 5.1 million, the hash join took 2.8 s, the look-ups 1.3 s; a look-up
        // costs about what hashing 20 stored records does).
        let lookUp = merged.updated * 20 < rows
        for statement in [
            lookUp ? "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off" : "",
            "UPDATE \(table) t SET \(assignments) FROM chiso_merge m "
                + "WHERE t.\(key) = m.\(key) AND t.province_id = m.province_id AND m.changed AND NOT m.conflict",
            "SET LOCAL enable_hashjoin TO DEFAULT; SET LOCAL enable_mergejoin TO DEFAULT",
            "DELETE FROM \(table) t USING chiso_merge m "
                + "WHERE t.\(key) = m.\(key) AND t.province_id = m.stored_province_id AND \(moved)",
            "INSERT INTO \(table) (\(written.joined(separator: ", "))) "
                + "SELECT \(written.joined(separator: ", ")) FROM chiso_merge m WHERE m.new OR \(moved)",
            "DROP TABLE \(staging), chiso_merge",
            "SET LOCAL work_mem TO DEFAULT; SET LOCAL hash_mem_multiplier TO DEFAULT; SET LOCAL jit TO DEFAULT",
        ] where !statement.isEmpty { try db.execute(statement) }
    }
}
