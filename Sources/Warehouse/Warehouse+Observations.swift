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

    public init(indicator: String, unitID: Int, period: String, year: Int, value: Double?,
                numerator: Double? = nil, denominator: Double? = nil, source: String? = nil) {
        self.indicator = indicator
        self.unitID = unitID
        self.period = period
        self.year = year
        self.value = value
        self.numerator = numerator
        self.denominator = denominator
        self.source = source
    }
}

/// Whether storing an observation added, changed or left a row as it was.
public enum ObservationChange: Sendable { case inserted, revised, unchanged }

extension Warehouse {
    /// Prepared statements for storing many observations in one transaction.
    public final class ObservationWriter {
        let find: Statement
        let insert: Statement
        let revise: Statement
        let keep: Statement
        let loadID: Int

        init(db: Database, loadID: Int) throws {
            find = try db.prepare("""
                SELECT value, numerator, denominator FROM observation WHERE indicator = ? AND unit_id = ? AND period = ?
                """)
            insert = try db.prepare("""
                INSERT INTO observation (indicator, unit_id, period, year, value, numerator, denominator, source, load_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (indicator, unit_id, period) DO UPDATE SET value = excluded.value,
                    numerator = excluded.numerator, denominator = excluded.denominator, source = excluded.source,
                    load_id = excluded.load_id
                """)
            keep = try db.prepare("""
                INSERT INTO observation_revision (indicator, unit_id, period, value, numerator, denominator, load_id,
                                                  replaced_by_load, replaced_at)
                SELECT indicator, unit_id, period, value, numerator, denominator, load_id, ?, ?
                FROM observation WHERE indicator = ? AND unit_id = ? AND period = ?
                """)
            revise = insert
            self.loadID = loadID
        }

        /// Stores `row`; a changed value keeps the earlier one as a revision.
        public func store(_ row: ObservationRow) throws -> ObservationChange {
            try find.bind([row.indicator, row.unitID, row.period])
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
                try keep.execute([loadID, Warehouse.timestamp(), row.indicator, row.unitID, row.period])
            case .inserted:
                break
            }
            try insert.execute([row.indicator, row.unitID, row.period, row.year, row.value, row.numerator,
                                row.denominator, row.source, loadID])
            return change
        }
    }

    /// A writer whose rows are attributed to load `loadID`.
    public func observationWriter(loadID: Int) throws -> ObservationWriter {
        try ObservationWriter(db: db, loadID: loadID)
    }

    /// Yearly observations (period = year) with a value, ordered by indicator, unit and year.
    public func annualObservations() throws -> [ObservationRow] {
        try db.rows("""
            SELECT indicator, unit_id, period, year, value, numerator, denominator, source FROM observation
            WHERE period = CAST(year AS TEXT) AND value IS NOT NULL ORDER BY indicator, unit_id, year
            """).map { row in
            ObservationRow(indicator: row["indicator"].text ?? "", unitID: Int(row["unit_id"].int ?? 0),
                           period: row["period"].text ?? "", year: Int(row["year"].int ?? 0),
                           value: row["value"].double, numerator: row["numerator"].double,
                           denominator: row["denominator"].double, source: row["source"].text)
        }
    }
}

extension Warehouse {
    /// Whether any stored observation comes from synthetic sample data (its source says "synthetic").
    public func hasSyntheticData() throws -> Bool {
        try db.scalar("SELECT EXISTS (SELECT 1 FROM observation WHERE source LIKE '%synthetic%')").int == 1
    }
}
