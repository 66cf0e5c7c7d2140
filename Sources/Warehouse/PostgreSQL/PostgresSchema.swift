import Reference

/// PostgreSQL's own statements for the migrations a translation of SQLite's cannot express.
enum PostgresSchema {
    /// The tables kept by province: partitioned by `province_id` (the unit's 2025 province, `unit.province_id`),
    /// one partition per province (`PostgresConnection.partition(byProvinces:)`) and one, `<table>_elsewhere`,
    /// for the rest (the nation's, regions' and ministries' figures). A partitioned table's key must hold the
    /// partition's column, so a registry's key is (its key, province_id); the registry writer still keeps one
    /// record per key, as it looks each key up before writing. Citus can distribute these tables by the same
    /// column (README, "Kept by province, ready to spread across servers").
    static let partitioned = ["person", "parcel", "enterprise", "observation"]

    /// Migration 12 on PostgreSQL: the province of each unit, as on SQLite; each table kept by province made
    /// again, partitioned, with its rows; row-level security for access by unit (`Warehouse.grantSQL`) on them.
    static let byProvince = """
        ALTER TABLE unit ADD COLUMN province_id BIGINT REFERENCES unit(id);
        \(Warehouse.placeUnitsSQL);
        """ + ["person": "pseudonym", "parcel": "parcel_id", "enterprise": "tax_code"].sorted(by: <).map { table, key in
            // A registry table's columns as they were, then the province, as SQLite adds it.
            partitionedTable(table, columns: "LIKE \(table) INCLUDING DEFAULTS INCLUDING CONSTRAINTS, province_id BIGINT NOT NULL, "
                                + "PRIMARY KEY (\(key), province_id)",
                             rows: "t.*, u.province_id")
        }.joined() + partitionedTable("observation", columns: """
            indicator TEXT NOT NULL REFERENCES indicator(code),
            unit_id BIGINT NOT NULL REFERENCES unit(id),
            period TEXT NOT NULL,
            province_id BIGINT NOT NULL,
            year BIGINT NOT NULL,
            value DOUBLE PRECISION,
            numerator DOUBLE PRECISION,
            denominator DOUBLE PRECISION,
            source TEXT,
            load_id BIGINT REFERENCES load(id),
            origin TEXT NOT NULL DEFAULT 'loaded' CHECK (origin IN ('loaded', 'aggregated', 'crosswalk')),
            origin_run BIGINT REFERENCES run(id),
            PRIMARY KEY (indicator, unit_id, period, province_id)
            """, rows: "t.indicator, t.unit_id, t.period, u.province_id, t.year, t.value, t.numerator, t.denominator, "
                + "t.source, t.load_id, t.origin, t.origin_run") + """
        CREATE TABLE IF NOT EXISTS access_scope (
            role_name TEXT NOT NULL, unit_id BIGINT NOT NULL REFERENCES unit(id), PRIMARY KEY (role_name, unit_id));
        ALTER TABLE access_scope ENABLE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS own_scope ON access_scope;
        CREATE POLICY own_scope ON access_scope FOR SELECT USING (role_name = current_user);
        """ + partitioned.map { table in
            let published = table == "observation" ? " OR unit_id IN (SELECT id FROM unit WHERE level IN ('nation', 'region'))" : ""
            return """
                ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
                CREATE POLICY by_unit ON \(table) FOR SELECT USING
                    (unit_id IN (SELECT unit_id FROM access_scope WHERE role_name = current_user)\(published));

                """
        }.joined() + """
        ALTER TABLE reject ENABLE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS by_unit ON reject;
        CREATE POLICY by_unit ON reject FOR SELECT USING (FALSE);
        """
}

extension PostgresSchema {
    /// Row-level security on what keeps earlier values (migration 13): an observation's revision by its unit,
    /// as the observation; a registry record's by the unit it had (in the JSON of its earlier values); the
    /// warnings of loaded rows, like the rejects, by none.
    static let revisionsByUnit = """
        ALTER TABLE observation_revision ENABLE ROW LEVEL SECURITY;
        CREATE POLICY by_unit ON observation_revision FOR SELECT USING
            (unit_id IN (SELECT unit_id FROM access_scope WHERE role_name = current_user)
             OR unit_id IN (SELECT id FROM unit WHERE level IN ('nation', 'region')));
        ALTER TABLE registry_revision ENABLE ROW LEVEL SECURITY;
        CREATE POLICY by_unit ON registry_revision FOR SELECT USING
            ((previous::jsonb ->> 'unit_id')::bigint IN (SELECT unit_id FROM access_scope WHERE role_name = current_user));
        ALTER TABLE load_warning ENABLE ROW LEVEL SECURITY;
        CREATE POLICY by_unit ON load_warning FOR SELECT USING (FALSE);
        """

    /// The nation's and regions' figures, which every province's role reads (migration 16), but for a registry
    /// figure that shows a group of fewer than `RegistryIndicators.smallestGroup` (as `DisclosureControl.isSmall`
    /// judges one): 1 of 4 enterprises of a region was there for every role to read.
    static let publishedFigures: String = {
        let few = { (count: String) in "(\(count) > 0 AND \(count) < \(RegistryIndicators.smallestGroup))" }
        let small = "coalesce(indicator IN (" + RegistryIndicators.derived.sorted().map { "'\($0)'" }.joined(separator: ", ")
            + ") AND CASE WHEN denominator IS NULL THEN \(few("value")) WHEN numerator IS NULL THEN \(few("denominator")) "
            + "ELSE \(few("denominator")) OR \(few("numerator")) OR \(few("denominator - numerator")) END, FALSE)"
        let policy = { (table: String) in """
            DROP POLICY IF EXISTS by_unit ON \(table);
            CREATE POLICY by_unit ON \(table) FOR SELECT USING
                (unit_id IN (SELECT unit_id FROM access_scope WHERE role_name = current_user)
                 OR (unit_id IN (SELECT id FROM unit WHERE level IN ('nation', 'region')) AND NOT \(small)));

            """
        }
        return policy("observation") + policy("observation_revision")
    }()

    /// The nation's and regions' registry figures a province's role reads (migration 19): those listed in
    /// `published_figure` with the values they have, which the aggregation stores from disclosure control's
    /// whole pattern (`Warehouse.replaceDerivedObservations`). The control hides more than the small figures -
    /// a figure that would reveal one: the South East before 1 July 2025 less the South East after gave old Tây
    /// Ninh's 6 of 115 to any role - and only chiso's control knows which. A figure changed since it ran does
    /// not match its listing, and stays hidden until it runs again. Other indicators' figures are every role's.
    /// The list is public, as what it lists is: a role granted before the migration reads it without a new grant
    /// (the policy reads it as the role reading the figures).
    static let publishedOnly: String = {
        let registry = RegistryIndicators.derived.sorted().map { "'\($0)'" }.joined(separator: ", ")
        let policy = { (table: String) in """
            DROP POLICY IF EXISTS by_unit ON \(table);
            CREATE POLICY by_unit ON \(table) FOR SELECT USING
                (unit_id IN (SELECT unit_id FROM access_scope WHERE role_name = current_user)
                 OR (unit_id IN (SELECT id FROM unit WHERE level IN ('nation', 'region'))
                     AND (indicator NOT IN (\(registry)) OR EXISTS (
                         SELECT 1 FROM published_figure p WHERE p.indicator = \(table).indicator
                         AND p.unit_id = \(table).unit_id AND p.period = \(table).period
                         AND NOT (p.value IS DISTINCT FROM \(table).value)
                         AND NOT (p.numerator IS DISTINCT FROM \(table).numerator)
                         AND NOT (p.denominator IS DISTINCT FROM \(table).denominator)))));

            """
        }
        return """
            CREATE TABLE published_figure (
                indicator TEXT NOT NULL, unit_id BIGINT NOT NULL REFERENCES unit(id), period TEXT NOT NULL,
                value DOUBLE PRECISION, numerator DOUBLE PRECISION, denominator DOUBLE PRECISION,
                PRIMARY KEY (indicator, unit_id, period));
            GRANT SELECT ON published_figure TO PUBLIC;

            """ + policy("observation") + policy("observation_revision")
    }()

    /// The stored results (migration 17): a province's role reads those of its own units and of every nation,
    /// region, province and ministry, as the national report shows them side by side; not another province's
    /// districts' and communes' (a commune's forecast carried forward is its last figure).
    static let resultsByUnit = ["forecast", "assessment", "simulation", "simulation_gain"].map { table in """
        ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY;
        DROP POLICY IF EXISTS by_unit ON \(table);
        CREATE POLICY by_unit ON \(table) FOR SELECT USING
            (unit_id IN (SELECT unit_id FROM access_scope WHERE role_name = current_user)
             OR unit_id IN (SELECT id FROM unit WHERE level IN ('nation', 'region', 'province', 'ministry')));

        """
    }.joined()

    /// The registries' keys in the "C" collation (migration 18): compared and sorted as bytes, in SQLite's order
    /// and the order the registry writer sorts a file's rows in. In a locale's collation (a server's default,
    /// e.g. C.UTF-8) every comparison calls the C library's `strcoll` and sorts cannot use abbreviated keys:
    /// building a million-row table's primary key took 1.77 s that way, 0.89 s in "C".
    static let keysByBytes = Registry.allCases.map(\.table)
        .map { "ALTER TABLE \($0.name) ALTER COLUMN \($0.columns[0]) TYPE TEXT COLLATE \"C\";\n" }.joined()

    /// `table` made again with `columns`, partitioned by province with a partition for the rest, holding its
    /// rows as `rows` (of the old table `t` joined with its unit `u`) give them.
    static func partitionedTable(_ table: String, columns: String, rows: String) -> String {
        """
        CREATE TABLE \(table)_by_province (\(columns)) PARTITION BY LIST (province_id);
        CREATE TABLE \(table)_elsewhere PARTITION OF \(table)_by_province DEFAULT;
        INSERT INTO \(table)_by_province SELECT \(rows) FROM \(table) t JOIN unit u ON u.id = t.unit_id;
        DROP TABLE \(table);
        ALTER TABLE \(table)_by_province RENAME TO \(table);

        """
    }
}

extension PostgresConnection {
    /// Makes the partition `<table>_p<code>` of each table kept by province for each province that has none
    /// yet. Rows of that province already in `<table>_elsewhere` (a warehouse partitioned before its units
    /// were stored) move into it. New partitions grant nothing: a province's role reads the tables, where
    /// row-level security applies, not their partitions.
    func partition(byProvinces provinces: [(id: Int64, code: String)]) throws {
        guard !provinces.isEmpty else { return }
        // One transaction: rows on their way between partitions are never only in a temporary table.
        try transaction { try makePartitions(provinces) }
    }

    private func makePartitions(_ provinces: [(id: Int64, code: String)]) throws {
        for table in PostgresSchema.partitioned {
            let existing = Set(try rows("""
                SELECT child.relname AS name FROM pg_inherits i
                JOIN pg_class child ON child.oid = i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent
                WHERE parent.relname = ? AND parent.relnamespace = current_schema()::regnamespace
                """, [table]).compactMap { $0["name"].text })
            for province in provinces where !existing.contains("\(table)_p\(province.code)")
                && province.code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                let moving = try rows("SELECT 1 FROM \(table)_elsewhere WHERE province_id = ? LIMIT 1", [province.id]).count
                if moving > 0 {
                    try execute("""
                        CREATE TEMPORARY TABLE chiso_moving AS
                            SELECT * FROM \(table)_elsewhere WHERE province_id = \(province.id);
                        DELETE FROM \(table)_elsewhere WHERE province_id = \(province.id)
                        """)
                }
                try execute("CREATE TABLE IF NOT EXISTS \(table)_p\(province.code) PARTITION OF \(table) FOR VALUES IN (\(province.id))")
                if moving > 0 { try execute("INSERT INTO \(table) SELECT * FROM chiso_moving; DROP TABLE chiso_moving") }
            }
        }
    }
}
