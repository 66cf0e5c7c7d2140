/// The warehouse schema, as numbered migrations. Add a new migration; never edit one that has shipped.
public enum Schema {
    public static let migrations: [Migration] = tables + rebuilds + byProvince

    /// The migrations that create tables and columns.
    static let tables: [Migration] = [
        Migration(version: 1, name: "reference units, catalogue, observations, loads, runs", sql: """
            CREATE TABLE unit (
                id INTEGER PRIMARY KEY,
                code TEXT NOT NULL,
                level TEXT NOT NULL
                    CHECK (level IN ('nation', 'region', 'province', 'district', 'commune', 'ministry')),
                version TEXT NOT NULL CHECK (version IN ('pre2025', '2025')),
                name_vi TEXT NOT NULL,
                name_en TEXT,
                full_name_vi TEXT,
                full_name_en TEXT,
                kind TEXT,
                parent_id INTEGER REFERENCES unit(id),
                valid_from TEXT,
                valid_to TEXT,
                UNIQUE (version, level, code)
            );
            CREATE INDEX unit_parent ON unit(parent_id);
            CREATE TABLE unit_alias (
                alias TEXT NOT NULL,
                unit_id INTEGER NOT NULL REFERENCES unit(id),
                PRIMARY KEY (alias, unit_id)
            );
            CREATE TABLE crosswalk (
                from_unit_id INTEGER NOT NULL REFERENCES unit(id),
                to_unit_id INTEGER NOT NULL REFERENCES unit(id),
                share REAL NOT NULL CHECK (share > 0 AND share <= 1),
                partial INTEGER NOT NULL CHECK (partial IN (0, 1)),
                PRIMARY KEY (from_unit_id, to_unit_id)
            );
            CREATE TABLE indicator (
                code TEXT PRIMARY KEY,
                name_vi TEXT NOT NULL,
                name_en TEXT NOT NULL,
                unit_of_measure TEXT NOT NULL,
                direction INTEGER NOT NULL CHECK (direction IN (-1, 1)),
                aggregation TEXT NOT NULL CHECK (aggregation IN ('SUM', 'RATIO', 'MEAN', 'WEIGHTED_MEAN', 'RANK'))
            );
            CREATE TABLE target (
                id TEXT PRIMARY KEY,
                clause TEXT NOT NULL,
                indicator TEXT NOT NULL REFERENCES indicator(code),
                level TEXT NOT NULL,
                comparator TEXT NOT NULL CHECK (comparator IN ('>=', '<=', '==')),
                threshold REAL NOT NULL,
                unit_of_measure TEXT NOT NULL,
                deadline INTEGER NOT NULL,
                text_vi TEXT NOT NULL,
                text_en TEXT NOT NULL,
                note TEXT,
                source TEXT NOT NULL,
                position INTEGER NOT NULL
            );
            CREATE TABLE task (
                id TEXT PRIMARY KEY,
                section TEXT NOT NULL,
                number TEXT NOT NULL,
                text_vi TEXT NOT NULL,
                text_en TEXT NOT NULL,
                lead_agency TEXT NOT NULL,
                co_agencies TEXT,
                start_year INTEGER NOT NULL,
                end_year INTEGER NOT NULL,
                note TEXT
            );
            CREATE TABLE load (
                id INTEGER PRIMARY KEY,
                file TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                format TEXT NOT NULL,
                dataset TEXT NOT NULL,
                rows_read INTEGER NOT NULL DEFAULT 0,
                rows_loaded INTEGER NOT NULL DEFAULT 0,
                rows_updated INTEGER NOT NULL DEFAULT 0,
                rows_skipped INTEGER NOT NULL DEFAULT 0,
                rows_rejected INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL CHECK (status IN ('loaded', 'failed', 'skipped')),
                message TEXT,
                started_at TEXT NOT NULL,
                finished_at TEXT
            );
            CREATE INDEX load_sha256 ON load(sha256);
            CREATE TABLE reject (
                load_id INTEGER NOT NULL REFERENCES load(id),
                line INTEGER NOT NULL,
                column_name TEXT,
                error_code TEXT NOT NULL,
                message TEXT NOT NULL,
                raw TEXT
            );
            CREATE INDEX reject_load ON reject(load_id);
            CREATE TABLE observation (
                indicator TEXT NOT NULL REFERENCES indicator(code),
                unit_id INTEGER NOT NULL REFERENCES unit(id),
                period TEXT NOT NULL,
                year INTEGER NOT NULL,
                value REAL,
                numerator REAL,
                denominator REAL,
                source TEXT,
                load_id INTEGER REFERENCES load(id),
                PRIMARY KEY (indicator, unit_id, period)
            ) WITHOUT ROWID;
            CREATE TABLE observation_revision (
                indicator TEXT NOT NULL,
                unit_id INTEGER NOT NULL,
                period TEXT NOT NULL,
                value REAL,
                numerator REAL,
                denominator REAL,
                load_id INTEGER,
                replaced_by_load INTEGER,
                replaced_at TEXT NOT NULL
            );
            CREATE TABLE run (
                id INTEGER PRIMARY KEY,
                command TEXT NOT NULL,
                status TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                output_dir TEXT
            );
            CREATE TABLE run_step (
                run_id INTEGER NOT NULL REFERENCES run(id),
                step TEXT NOT NULL,
                status TEXT NOT NULL,
                started_at TEXT NOT NULL,
                duration_s REAL,
                detail TEXT,
                PRIMARY KEY (run_id, step)
            );
            CREATE TABLE forecast (
                run_id INTEGER NOT NULL REFERENCES run(id),
                indicator TEXT NOT NULL,
                unit_id INTEGER NOT NULL REFERENCES unit(id),
                year INTEGER NOT NULL,
                model TEXT NOT NULL,
                value REAL,
                lower80 REAL, upper80 REAL, lower95 REAL, upper95 REAL,
                slope REAL,
                n_points INTEGER NOT NULL,
                PRIMARY KEY (run_id, indicator, unit_id, year)
            );
            CREATE TABLE assessment (
                run_id INTEGER NOT NULL REFERENCES run(id),
                target_id TEXT NOT NULL REFERENCES target(id),
                unit_id INTEGER NOT NULL REFERENCES unit(id),
                method TEXT NOT NULL,
                base_year INTEGER, base_value REAL,
                latest_year INTEGER, latest_value REAL,
                progress REAL,
                score REAL,
                status TEXT NOT NULL,
                PRIMARY KEY (run_id, target_id, unit_id, method)
            );
            """),
        Migration(version: 2, name: "derived observations, forecast accuracy, assessment details", sql: """
            ALTER TABLE observation ADD COLUMN origin TEXT NOT NULL DEFAULT 'loaded'
                CHECK (origin IN ('loaded', 'aggregated', 'crosswalk'));
            ALTER TABLE observation ADD COLUMN origin_run INTEGER REFERENCES run(id);
            ALTER TABLE forecast ADD COLUMN mae REAL;
            ALTER TABLE forecast ADD COLUMN center REAL;
            ALTER TABLE forecast ADD COLUMN sigma REAL;
            ALTER TABLE forecast ADD COLUMN df INTEGER;
            ALTER TABLE assessment ADD COLUMN basis TEXT;
            ALTER TABLE assessment ADD COLUMN assessed_year INTEGER;
            ALTER TABLE assessment ADD COLUMN value_at_deadline REAL;
            ALTER TABLE assessment ADD COLUMN probability REAL;
            ALTER TABLE assessment ADD COLUMN required_pace REAL;
            ALTER TABLE assessment ADD COLUMN required_rate REAL;
            ALTER TABLE assessment ADD COLUMN observed_pace REAL;
            """),
        Migration(version: 3, name: "local plans' targets for one unit", sql: """
            ALTER TABLE target ADD COLUMN unit_id INTEGER REFERENCES unit(id);
            """),
        Migration(version: 4, name: "status updates of the appendix tasks", sql: """
            CREATE TABLE task_status (
                task_id TEXT NOT NULL REFERENCES task(id),
                status TEXT NOT NULL
                    CHECK (status IN ('not_started', 'in_progress', 'completed', 'delayed', 'cancelled')),
                date TEXT NOT NULL,
                note TEXT,
                load_id INTEGER REFERENCES load(id),
                PRIMARY KEY (task_id, date)
            );
            """),
        Migration(version: 5, name: "population, land and business registries", sql: """
            ALTER TABLE load ADD COLUMN as_of TEXT;
            CREATE TABLE setting (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE person (
                pseudonym TEXT PRIMARY KEY,
                birth_date TEXT NOT NULL,
                sex TEXT NOT NULL CHECK (sex IN ('M', 'F')),
                unit_id INTEGER NOT NULL REFERENCES unit(id),
                identity_level INTEGER NOT NULL CHECK (identity_level IN (0, 1, 2)),
                identity_registered_on TEXT,
                status TEXT NOT NULL CHECK (status IN ('active', 'deceased', 'emigrated')),
                load_id INTEGER NOT NULL REFERENCES load(id),
                line INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE parcel (
                parcel_id TEXT PRIMARY KEY,
                unit_id INTEGER NOT NULL REFERENCES unit(id),
                area_m2 REAL NOT NULL,
                land_use TEXT NOT NULL,
                certificate_issued INTEGER NOT NULL,
                record_digitised INTEGER NOT NULL,
                load_id INTEGER NOT NULL REFERENCES load(id),
                line INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE enterprise (
                tax_code TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                unit_id INTEGER NOT NULL REFERENCES unit(id),
                vsic_section TEXT NOT NULL,
                vsic_division TEXT NOT NULL,
                registered_on TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'dissolved')),
                e_invoice INTEGER NOT NULL,
                e_invoice_since TEXT,
                load_id INTEGER NOT NULL REFERENCES load(id),
                line INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE registry_revision (
                registry TEXT NOT NULL,
                record_key TEXT NOT NULL,
                previous TEXT NOT NULL,
                load_id INTEGER NOT NULL,
                replaced_by_load INTEGER NOT NULL
            );
            """),
        Migration(version: 6, name: "scenario simulations", sql: """
            CREATE TABLE simulation (
                run_id INTEGER NOT NULL REFERENCES run(id),
                scenario TEXT NOT NULL,
                target_id TEXT NOT NULL REFERENCES target(id),
                unit_id INTEGER NOT NULL REFERENCES unit(id),
                year INTEGER NOT NULL,
                draws INTEGER NOT NULL,
                aggregated INTEGER NOT NULL CHECK (aggregated IN (0, 1)),
                probability REAL NOT NULL,
                median REAL NOT NULL,
                lower80 REAL NOT NULL,
                upper80 REAL NOT NULL,
                lower95 REAL NOT NULL,
                upper95 REAL NOT NULL,
                baseline_probability REAL NOT NULL,
                baseline_median REAL NOT NULL,
                PRIMARY KEY (run_id, scenario, target_id, unit_id)
            );
            CREATE TABLE simulation_gain (
                run_id INTEGER NOT NULL REFERENCES run(id),
                scenario TEXT NOT NULL,
                target_id TEXT NOT NULL REFERENCES target(id),
                unit_id INTEGER NOT NULL REFERENCES unit(id),
                gain_units TEXT NOT NULL,
                from_year INTEGER NOT NULL,
                level REAL NOT NULL,
                gain REAL,
                probability_without REAL NOT NULL,
                probability_with REAL,
                PRIMARY KEY (run_id, scenario, target_id, unit_id, gain_units)
            );
            """),
        Migration(version: 7, name: "warnings of loaded rows", sql: """
            CREATE TABLE load_warning (
                load_id INTEGER NOT NULL REFERENCES load(id),
                line INTEGER NOT NULL,
                column_name TEXT,
                code TEXT NOT NULL,
                message TEXT NOT NULL,
                raw TEXT
            );
            """),
        Migration(version: 8, name: "agencies and their successors; what each report showed; the settings and scenarios of each run", sql: """
            CREATE TABLE agency (
                code TEXT PRIMARY KEY,
                name_vi TEXT NOT NULL,
                name_en TEXT NOT NULL,
                kind TEXT NOT NULL,
                successor TEXT
            );
            CREATE TABLE report (
                run_id INTEGER PRIMARY KEY REFERENCES run(id),
                assessment_run INTEGER NOT NULL,
                forecast_run INTEGER,
                written_at TEXT NOT NULL,
                directory TEXT NOT NULL
            );
            ALTER TABLE run ADD COLUMN settings TEXT;
            CREATE TABLE scenario (
                run_id INTEGER NOT NULL REFERENCES run(id),
                name TEXT NOT NULL,
                description TEXT,
                PRIMARY KEY (run_id, name)
            );
            """),
        Migration(version: 9, name: "seals: a digest of each table after each writing command, for tamper evidence", sql: """
            CREATE TABLE seal (
                id INTEGER PRIMARY KEY,
                table_name TEXT NOT NULL,
                rows INTEGER NOT NULL,
                digest TEXT NOT NULL,
                sealed_at TEXT NOT NULL,
                command TEXT NOT NULL,
                last_load INTEGER
            );
            CREATE INDEX seal_by_table ON seal (table_name, id);
            """),
        Migration(version: 10, name: "each report records the simulation run it showed", sql: """
            ALTER TABLE report ADD COLUMN simulation_run INTEGER;
            """),
    ]
}
