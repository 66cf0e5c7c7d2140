import Foundation

/// The registry tables: records written by a file's load, the settings of registry loads, and the counts that
/// indicators are derived from.
extension Warehouse {
    /// A writer of `registry`'s records for the load `loadID`, inside its transaction, from a file of
    /// `fileBytes` bytes.
    public func registryWriter(_ registry: Registry, loadID: Int, fileBytes: Int) throws -> RegistryWriter {
        try RegistryWriter(db: db, registry: registry, loadID: loadID, fileBytes: fileBytes)
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
