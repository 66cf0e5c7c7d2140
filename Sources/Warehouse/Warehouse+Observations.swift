/// One value of one indicator in one unit and period.
public struct ObservationRow: Equatable, Sendable {
    public let indicator: String
    public let unitID: Int
    /// "2024", "2024-Q3" or "2024-09".
    public let period: String
    public let year: Int
    public let value: Double?
    public let numerator: Double?
    public let denominator: Double?
    public let source: String?
    /// "loaded" from a file, "aggregated" up the hierarchy, or "crosswalk" (converted between versions, or
    /// aggregated from values that were).
    public let origin: String

    public init(indicator: String, unitID: Int, period: String, year: Int, value: Double?,
                numerator: Double? = nil, denominator: Double? = nil, source: String? = nil,
                origin: String = "loaded") {
        self.indicator = indicator
        self.unitID = unitID
        self.period = period
        self.year = year
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.source = source
        self.origin = origin
    }
}

/// Whether storing an observation added, changed or left a row as it was.
public enum ObservationChange: Sendable { case inserted, revised, unchanged }

/// How many observations storing added, changed and left as they were.
public struct ObservationCounts: Equatable, Sendable {
    public var inserted = 0, revised = 0, unchanged = 0

    public init() {}

    public mutating func count(_ change: ObservationChange) {
        switch change {
        case .inserted: inserted += 1
        case .revised: revised += 1
        case .unchanged: unchanged += 1
        }
    }
}

extension ObservationRow {
    /// Whether it is a yearly value with a value (its period is its year): what `annualObservations` selects.
    public var isAnnualValue: Bool { value != nil && period == String(year) }
}

extension Warehouse {
    /// Prepared statements for storing many observations in one transaction.
    public final class ObservationWriter {
        let db: Database
        let find: Statement
        let insert: Statement
        let remove: Statement
        let keep: Statement
        let loadID: Int
        /// Every statement names the row's province with its key: on a server, one partition's index is read.
        let provinces: UnitProvinces

        init(db: Database, loadID: Int) throws {
            find = try db.prepare("""
                SELECT value, numerator, denominator FROM observation
                WHERE indicator = ? AND unit_id = ? AND period = ? AND province_id = ? AND origin = 'loaded'
                """)
            insert = try db.prepare("""
                INSERT INTO observation (indicator, unit_id, period, year, value, numerator, denominator, source, load_id,
                                         province_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """ + Self.upsert)
            keep = try db.prepare("""
                INSERT INTO observation_revision (indicator, unit_id, period, value, numerator, denominator, load_id,
                                                  replaced_by_load, replaced_at)
                SELECT indicator, unit_id, period, value, numerator, denominator, load_id, ?, ?
                FROM observation WHERE indicator = ? AND unit_id = ? AND period = ? AND province_id = ? AND origin = 'loaded'
                """)
            remove = try db.prepare("DELETE FROM observation WHERE indicator = ? AND unit_id = ? AND period = ? AND province_id = ?")
            provinces = try UnitProvinces(db)
            self.loadID = loadID
            self.db = db
        }

        /// A loaded value replaces whatever has its key, derived or loaded.
        static let upsert = """

            ON CONFLICT (indicator, unit_id, period, province_id) DO UPDATE SET value = excluded.value,
                numerator = excluded.numerator, denominator = excluded.denominator, source = excluded.source,
                load_id = excluded.load_id, origin = 'loaded', origin_run = NULL
            """

        /// `row`'s columns as the writer stores them: its key, year, values, source, load and province.
        func values(of row: ObservationRow) -> [SQLBindable] {
            [row.indicator, row.unitID, row.period, row.year, row.value, row.numerator, row.denominator, row.source,
             loadID, provinces[Int64(row.unitID)]]
        }

        /// `row`'s key with its unit's province (none for a unit the warehouse lacks, which its reference refuses).
        private func key(_ row: ObservationRow) -> [SQLBindable] {
            [row.indicator, row.unitID, row.period, provinces[Int64(row.unitID)]]
        }

        /// Deletes the loaded observation with `row`'s key, keeping it as a revision; `false` when there was none.
        public func delete(_ row: ObservationRow) throws -> Bool {
            try find.bind(key(row))
            let exists = try find.step()
            try find.bind([])
            guard exists else { return false }
            try keep.execute([loadID, Warehouse.timestamp()] + key(row))
            try remove.execute(key(row))
            return true
        }

        /// Stores `row`; a changed value keeps the earlier one as a revision.
        public func store(_ row: ObservationRow) throws -> ObservationChange {
            try find.bind(key(row))
            var change = ObservationChange.inserted
            if try find.step() {
                let same = find.double(0) == row.value && find.double(1) == row.numerator
                    && find.double(2) == row.denominator
                change = same ? .unchanged : .revised
            }
            try find.bind([])
            switch change {
            case .unchanged:
                return .unchanged
            case .revised:
                try keep.execute([loadID, Warehouse.timestamp()] + key(row))
            case .inserted:
                break
            }
            try insert.execute(values(of: row))
            return change
        }

        /// Stores `rows` as `store` would one by one; on a server, set by set when their keys all differ.
        public func store(_ rows: [ObservationRow]) throws -> ObservationCounts {
            if db.engine.hasCopy && Set(rows.map { [$0.indicator, String($0.unitID), $0.period] }).count == rows.count,
               let counts = try storeOnServer(rows) {
                return counts
            }
            var counts = ObservationCounts()
            for row in rows { counts.count(try store(row)) }
            return counts
        }
    }

    /// A writer whose rows are attributed to load `loadID`.
    public func observationWriter(loadID: Int) throws -> ObservationWriter {
        try ObservationWriter(db: db, loadID: loadID)
    }

    /// Yearly observations (period = year) with a value, loaded or derived, ordered by indicator, unit and year:
    /// those of `allObservations` whose `isAnnualValue` holds.
    public func annualObservations() throws -> [ObservationRow] {
        Self.reads["observations", default: 0] += 1
        return try observations(where: "period = CAST(year AS TEXT) AND value IS NOT NULL")
    }

    /// Every observation, loaded or derived.
    public func allObservations() throws -> [ObservationRow] {
        Self.reads["observations", default: 0] += 1
        return try observations(where: "TRUE")
    }

    /// What storing `rows` would do, as `ObservationWriter.store` counts it, without writing anything: a dry
    /// run's counts. Reads the stored loaded observations of the rows' indicators, as the writer finds them (a
    /// figure computed by `aggregate` is replaced, not revised).
    public func changes(storing rows: [ObservationRow]) throws -> ObservationCounts {
        var stored: [String: (Double?, Double?, Double?)] = [:]
        for indicator in Set(rows.map(\.indicator)) {
            for row in try observations(where: "indicator = ? AND origin = 'loaded'", [indicator]) {
                stored["\(row.indicator)|\(row.unitID)|\(row.period)"] = (row.value, row.numerator, row.denominator)
            }
        }
        var counts = ObservationCounts()
        for row in rows {
            guard let old = stored["\(row.indicator)|\(row.unitID)|\(row.period)"] else {
                counts.count(.inserted)
                continue
            }
            counts.count(old == (row.value, row.numerator, row.denominator) ? .unchanged : .revised)
        }
        return counts
    }

    /// The observations of one indicator (loaded and derived): a look-up reads only what it shows.
    public func observations(of indicator: String) throws -> [ObservationRow] {
        try observations(where: "indicator = ?", [indicator])
    }

    /// The loaded observations of `indicators`, with values.
    public func loadedObservations(of indicators: Set<String>) throws -> [ObservationRow] {
        try observations(where: "origin = 'loaded' AND value IS NOT NULL").filter { indicators.contains($0.indicator) }
    }

    private func observations(where condition: String, _ values: [SQLBindable] = []) throws -> [ObservationRow] {
        let statement = try db.prepare("""
            SELECT indicator, unit_id, period, year, value, numerator, denominator, source, origin FROM observation
            WHERE \(condition) ORDER BY indicator, unit_id, year, period
            """)
        try statement.bind(values)
        var rows: [ObservationRow] = []
        while try statement.step() {
            rows.append(ObservationRow(indicator: statement.text(0) ?? "", unitID: statement.int(1) ?? 0,
                                       period: statement.text(2) ?? "", year: statement.int(3) ?? 0,
                                       value: statement.double(4), numerator: statement.double(5),
                                       denominator: statement.double(6), source: statement.text(7),
                                       origin: statement.text(8) ?? "loaded"))
        }
        return rows
    }

    /// Replaces every derived observation (aggregated or converted through a crosswalk) with `rows`, and the
    /// list of the nation's and regions' registry figures that disclosure control publishes with `published`
    /// (what a province's role reads of them on a server, `PostgresSchema.publishedOnly`), in one transaction,
    /// attributed to run `runID`. Loaded observations are never touched.
    public func replaceDerivedObservations(_ rows: [ObservationRow], run runID: Int, indicators: Set<String>? = nil,
                                           published: [ObservationRow]) throws {
        try db.transaction {
            try db.execute("DELETE FROM published_figure")
            try db.insert("INSERT INTO published_figure (indicator, unit_id, period, value, numerator, denominator)",
                          published.map { [$0.indicator, $0.unitID, $0.period, $0.value, $0.numerator, $0.denominator] })
            if let indicators {
                let delete = try db.prepare("DELETE FROM observation WHERE origin <> 'loaded' AND indicator = ?")
                for indicator in indicators.sorted() { try delete.execute([indicator]) }
            } else {
                try db.execute("DELETE FROM observation WHERE origin <> 'loaded'")
            }
            let columns = ["indicator", "unit_id", "period", "year", "value", "numerator", "denominator", "source",
                           "origin", "origin_run", "province_id"]
            let provinces = try UnitProvinces(db)
            let values = { (row: ObservationRow) -> [SQLBindable] in
                [row.indicator, row.unitID, row.period, row.year, row.value, row.numerator, row.denominator, row.source,
                 row.origin, runID, provinces[Int64(row.unitID)]]
            }
            // On a server by COPY, as a statement per row costs a round trip.
            if let copy = try db.copyStream(into: "observation", columns: columns) {
                for row in rows { try copy.add(row: values(row)) }
                try copy.finish()
                return
            }
            try db.insert("INSERT INTO observation (\(columns.joined(separator: ", ")))", rows.map(values))
        }
    }
}

extension Warehouse {
    /// Whether any stored observation comes from synthetic sample data (its source says "synthetic").
    /// The indicators whose observations loads after `load` added, changed or deleted; `nil` when one of those
    /// loads was not of observations (local targets, task status), which can change more than observations.
    public func indicatorsChanged(afterLoad load: Int) throws -> Set<String>? {
        let other = try db.scalar("""
            SELECT count(*) FROM load WHERE id > ? AND status = 'loaded'
              AND dataset NOT IN ('indicator', 'derived', 'population', 'land', 'business')
            """, [load]).int ?? 0
        guard other == 0 else { return nil }
        let rows = try db.rows("""
            SELECT DISTINCT indicator FROM observation WHERE origin = 'loaded' AND load_id > ?1
            UNION SELECT DISTINCT indicator FROM observation_revision WHERE replaced_by_load > ?1
            """, [load])
        return Set(rows.compactMap { $0["indicator"].text })
    }

    public func hasSyntheticData() throws -> Bool {
        try db.scalar("SELECT EXISTS (SELECT 1 FROM observation WHERE source LIKE '%synthetic%')").int == 1
    }
}
