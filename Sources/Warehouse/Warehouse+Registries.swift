import Foundation

/// The registry tables: records written by a file's load, the settings of registry loads, and the counts that
/// indicators are derived from.
extension Warehouse {
    /// A writer of `registry`'s records for the load `loadID`, inside its transaction.
    public func registryWriter(_ registry: Registry, loadID: Int) throws -> RegistryWriter {
        try RegistryWriter(db: db, registry: registry, loadID: loadID)
    }

    /// Runs `body` (a long bulk load) with the engine set for it: memory bounded, not growing with the file.
    public func bulkLoading<T>(_ body: () throws -> T) throws -> T { try db.bulkLoading(body) }

    /// Records the day a registry extract describes on its load.
    public func recordExtractDate(_ asOf: String, load id: Int) throws {
        try db.run("UPDATE load SET as_of = ? WHERE id = ?", [asOf, id])
    }

    /// The fingerprint of the key the population registry's pseudonyms were made with, once one was loaded.
    public func pseudonymKeyFingerprint() throws -> String? { try setting("pseudonym_key_fingerprint") }

    /// Records the pseudonym key's fingerprint with the first population load (later loads must match it).
    public func recordPseudonymKeyFingerprint(_ fingerprint: String) throws {
        try db.run("""
            INSERT INTO setting (name, value) VALUES ('pseudonym_key_fingerprint', ?) ON CONFLICT (name) DO NOTHING
            """, [fingerprint])
    }
}

/// The counts of registry records that indicators are derived from (read by `derive`).
extension Warehouse {
    /// Record counts by unit and year: `[unit id: [year: count]]`.
    public typealias CountsByUnitAndYear = [Int: [Int: Double]]

    /// The id and extract date of the latest successful load of `registry`.
    public func latestExtract(of registry: Registry) throws -> (load: Int, asOf: String)? {
        let row = try db.rows("""
            SELECT id, as_of FROM load WHERE dataset = ? AND status = 'loaded' AND as_of IS NOT NULL
            ORDER BY as_of DESC, id DESC LIMIT 1
            """, [registry.rawValue]).first
        guard let row, let id = row["id"].int, let asOf = row["as_of"].text else { return nil }
        return (Int(id), asOf)
    }

    /// The units `registry` has records in.
    public func unitsWithRecords(in registry: Registry) throws -> Set<Int> {
        Set(try db.rows("SELECT DISTINCT unit_id FROM \(registry.table.name)").compactMap { $0.values[0].int.map(Int.init) })
    }

    /// Active residents by unit and year of birth.
    public func activeResidentsByBirthYear() throws -> CountsByUnitAndYear {
        try counts("SELECT unit_id, substr(birth_date, 1, 4), count(*) FROM person WHERE status = 'active' GROUP BY 1, 2")
    }

    /// Active residents with a level-2 identity, by unit and year the identity was registered.
    public func levelTwoIdentitiesByYear() throws -> CountsByUnitAndYear {
        try counts("""
            SELECT unit_id, substr(identity_registered_on, 1, 4), count(*) FROM person
            WHERE status = 'active' AND identity_level = 2 GROUP BY 1, 2
            """)
    }

    /// Active enterprises by unit and year of registration.
    public func activeEnterprisesByRegistrationYear() throws -> CountsByUnitAndYear {
        try counts("""
            SELECT unit_id, substr(registered_on, 1, 4), count(*) FROM enterprise WHERE status = 'active' GROUP BY 1, 2
            """)
    }

    /// How many active enterprises use e-invoices without the date they started.
    public func eInvoiceUsersWithoutStartDate() throws -> Int {
        Int(try db.scalar("""
            SELECT count(*) FROM enterprise WHERE status = 'active' AND e_invoice = 1 AND e_invoice_since IS NULL
            """).int ?? 0)
    }

    /// Active enterprises using e-invoices by unit and the year they started (the later of registration and
    /// `e_invoice_since`), or all in `year` when it is given (start dates unknown).
    public func eInvoiceUsersByYear(allIn year: Int? = nil) throws -> CountsByUnitAndYear {
        let started = year.map { "'\($0)'" } ?? """
            substr(CASE WHEN e_invoice_since > registered_on THEN e_invoice_since
                        WHEN e_invoice_since IS NOT NULL THEN registered_on END, 1, 4)
            """
        return try counts("""
            SELECT unit_id, \(started), count(*) FROM enterprise WHERE status = 'active' AND e_invoice = 1 GROUP BY 1, 2
            """)
    }

    /// Enterprises (dissolved ones included) by unit and year of registration.
    public func enterprisesByRegistrationYear() throws -> CountsByUnitAndYear {
        try counts("SELECT unit_id, substr(registered_on, 1, 4), count(*) FROM enterprise GROUP BY 1, 2")
    }

    /// Parcels by unit: how many, how many with a digitised record, how many with a certificate.
    public func parcelCounts() throws -> [Int: (count: Double, digitised: Double, certified: Double)] {
        var parcels: [Int: (count: Double, digitised: Double, certified: Double)] = [:]
        for row in try db.rows("""
            SELECT unit_id, count(*), sum(record_digitised), sum(certificate_issued) FROM parcel GROUP BY unit_id
            """) {
            guard let unit = row.values[0].int, let count = row.values[1].double,
                  let digitised = row.values[2].double, let certified = row.values[3].double else { continue }
            parcels[Int(unit)] = (count, digitised, certified)
        }
        return parcels
    }

    /// Counts of a query selecting unit, year and count.
    private func counts(_ sql: String) throws -> CountsByUnitAndYear {
        var result: CountsByUnitAndYear = [:]
        for row in try db.rows(sql) {
            guard let unit = row.values[0].int, let year = row.values[1].text.flatMap({ Int($0) }) ?? row.values[1].int.map(Int.init),
                  let count = row.values[2].double else { continue }
            result[Int(unit), default: [:]][year, default: 0] += count
        }
        return result
    }
}

/// Writes validated registry rows: an insert when the key is new, else a comparison with the stored record.
public struct RegistryWriter {
    /// What storing a row did.
    public enum Change { case inserted, updated, unchanged, duplicate(line: Int), conflict(column: String, loadID: Int) }

    public let registry: Registry
    public let loadID: Int
    private let db: Database
    private let insertMany, select, update, relist, revision: Statement
    private let immutable: [Int]
    /// Rows per multi-row INSERT: one statement run for many rows is much cheaper than one per row.
    static let rowsPerInsert = 64

    fileprivate init(db: Database, registry: Registry, loadID: Int) throws {
        self.db = db
        self.registry = registry
        self.loadID = loadID
        let (table, columns) = registry.table
        insertMany = try db.prepare(Self.insertSQL(registry, rows: Self.rowsPerInsert))
        select = try db.prepare("SELECT \(columns.joined(separator: ", ")), load_id, line FROM \(table) WHERE \(columns[0]) = ?")
        update = try db.prepare("UPDATE \(table) SET " + columns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
                                + ", load_id = ?, line = ? WHERE \(columns[0]) = ?")
        relist = try db.prepare("UPDATE \(table) SET load_id = ?, line = ? WHERE \(columns[0]) = ?")
        revision = try db.prepare("""
            INSERT INTO registry_revision (registry, record_key, previous, load_id, replaced_by_load) VALUES (?, ?, ?, ?, ?)
            """)
        immutable = registry.immutableColumns.compactMap { columns.firstIndex(of: $0) }
    }

    /// An INSERT of `rows` rows that skips keys already present and returns the keys it inserted.
    private static func insertSQL(_ registry: Registry, rows: Int) -> String {
        let (table, columns) = registry.table
        let row = "(" + Array(repeating: "?", count: columns.count + 2).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", ")), load_id, line) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ") + " ON CONFLICT DO NOTHING RETURNING \(columns[0])"
    }

    /// Stores `rows` (the table's values and the file line of each), in order; what happened to each.
    public func store(_ rows: [(values: [SQLValue], line: Int)]) throws -> [Change] {
        var changes: [Change] = []
        changes.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + Self.rowsPerInsert, rows.count)]
            let statement = chunk.count == Self.rowsPerInsert ? insertMany
                : try db.prepare(Self.insertSQL(registry, rows: chunk.count))
            try statement.bind([])
            var index: Int32 = 1
            for (values, line) in chunk {
                for value in values {
                    try statement.bind(value, at: index)
                    index += 1
                }
                try statement.bind(.integer(Int64(loadID)), at: index)
                try statement.bind(.integer(Int64(line)), at: index + 1)
                index += 2
            }
            var inserted: [String: Int] = [:]
            while try statement.step() {
                if let key = statement.text(0) { inserted[key, default: 0] += 1 }
            }
            try statement.bind([])
            for (values, line) in chunk {
                // Of two rows with one key in a chunk, the first is the one inserted.
                if let key = values[0].text, let count = inserted[key], count > 0 {
                    inserted[key] = count - 1
                    changes.append(.inserted)
                } else {
                    changes.append(try storeExisting(values, line: line))
                }
            }
            start += chunk.count
        }
        return changes
    }

    /// Compares a row whose key is already in the table with what is stored, and updates it when it changed.
    private func storeExisting(_ values: [SQLValue], line: Int) throws -> Change {
        let columns = registry.table.columns
        guard let stored = try select.rows([values[0]]).first else {
            throw SQLiteError(code: 0, message: "\(registry.keyName) at line \(line) was neither inserted nor found", sql: select.sql)
        }
        let storedLoad = Int(stored["load_id"].int ?? 0)
        if storedLoad == loadID { return .duplicate(line: Int(stored["line"].int ?? 0)) }
        if let index = immutable.first(where: { stored.values[$0] != values[$0] }) {
            return .conflict(column: columns[index], loadID: storedLoad)
        }
        if Array(stored.values.prefix(columns.count)) == values {
            // Stamped with this load, so that the key given again later in the file is a duplicate, as it is on a
            // first load: a record's load is the last one that listed it.
            try relist.execute([.integer(Int64(loadID)), .integer(Int64(line)), values[0]])
            return .unchanged
        }
        let previous = Dictionary(uniqueKeysWithValues: zip(columns, stored.values).map { ($0, $1.jsonValue) })
        let json = String(decoding: try JSONSerialization.data(withJSONObject: previous, options: [.sortedKeys]), as: UTF8.self)
        try revision.execute([registry.rawValue, values[0], json, storedLoad, loadID])
        try update.execute(Array(values.dropFirst()) + [.integer(Int64(loadID)), .integer(Int64(line)), values[0]])
        return .updated
    }
}

private extension SQLValue {
    var jsonValue: Any {
        switch self {
        case .null: return NSNull()
        case .integer(let v): return v
        case .real(let v): return v
        case .text(let v): return v
        }
    }
}
