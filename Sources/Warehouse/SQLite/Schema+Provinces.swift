/// The migration that keys the registry and observation tables by province, so that a server can keep each
/// province's rows apart (PostgreSQL's partitions, Citus's shards; see `PostgresSchema`).
extension Schema {
    static let byProvince: [Migration] = [
        // Every unit gets the 2025 province it lies in (`Warehouse.placeUnitsSQL`), and every registry record and
        // observation the province of its unit. SQLite keeps each table whole: the column is there so that both
        // engines hold the same rows and the same seals. The observation table is rebuilt to have it in its
        // key, as a partitioned table must on PostgreSQL (the upserts name the key's columns); the key's columns
        // come first, as SQLite 3.40's integrity check misreads a table without rowid whose key columns do not
        // lead ("NULL value in observation.year" for a row that has one).
        Migration(version: 12, name: "the province of every unit, registry record and observation, for partitioning", sql: """
            ALTER TABLE unit ADD COLUMN province_id INTEGER REFERENCES unit(id);
            \(Warehouse.placeUnitsSQL);
            ALTER TABLE person ADD COLUMN province_id INTEGER;
            UPDATE person SET province_id = (SELECT province_id FROM unit WHERE unit.id = person.unit_id);
            ALTER TABLE parcel ADD COLUMN province_id INTEGER;
            UPDATE parcel SET province_id = (SELECT province_id FROM unit WHERE unit.id = parcel.unit_id);
            ALTER TABLE enterprise ADD COLUMN province_id INTEGER;
            UPDATE enterprise SET province_id = (SELECT province_id FROM unit WHERE unit.id = enterprise.unit_id);
            CREATE TABLE observation_by_province (
                indicator TEXT NOT NULL REFERENCES indicator(code),
                unit_id INTEGER NOT NULL REFERENCES unit(id),
                period TEXT NOT NULL,
                province_id INTEGER NOT NULL,
                year INTEGER NOT NULL,
                value REAL,
                numerator REAL,
                denominator REAL,
                source TEXT,
                load_id INTEGER REFERENCES load(id),
                origin TEXT NOT NULL DEFAULT 'loaded' CHECK (origin IN ('loaded', 'aggregated', 'crosswalk')),
                origin_run INTEGER REFERENCES run(id),
                PRIMARY KEY (indicator, unit_id, period, province_id)
            ) WITHOUT ROWID;
            INSERT INTO observation_by_province
                SELECT o.indicator, o.unit_id, o.period, u.province_id, o.year, o.value, o.numerator, o.denominator,
                       o.source, o.load_id, o.origin, o.origin_run
                FROM observation o JOIN unit u ON u.id = o.unit_id;
            DROP TABLE observation;
            ALTER TABLE observation_by_province RENAME TO observation;
            """, postgresql: PostgresSchema.byProvince,
            changesSealedTables: ["unit", "person", "parcel", "enterprise", "observation"]),
        // Revisions and warnings hold registry records' and figures' earlier values and files' lines: on a server,
        // a province's role reads them as it reads the tables they come from. SQLite has no roles.
        Migration(version: 13, name: "access by unit to revisions and warnings", sql: "SELECT 1",
                  postgresql: PostgresSchema.revisionsByUnit),
        // Whether a file already loaded still stands (`loadedFile`) asks whether any of its values was replaced.
        Migration(version: 14, name: "revisions found by the load whose values they keep", sql: """
            CREATE INDEX observation_revision_by_load ON observation_revision (load_id);
            CREATE INDEX registry_revision_by_load ON registry_revision (load_id);
            """),
        // ... and whether a later load replaced any value of its dataset: a file can list values it did not
        // write (as stored already), which a later file can change.
        Migration(version: 15, name: "revisions found by the load that made them", sql: """
            CREATE INDEX observation_revision_by_replacing_load ON observation_revision (replaced_by_load);
            CREATE INDEX registry_revision_by_replacing_load ON registry_revision (registry, replaced_by_load);
            """),
        // The nation's and regions' figures are every role's to read, but for a registry figure of a small group.
        Migration(version: 16, name: "small registry figures of the nation and regions hidden from provinces' roles",
                  sql: "SELECT 1", postgresql: PostgresSchema.publishedFigures),
        // Forecasts, assessments and simulations of another province's districts and communes are its own.
        Migration(version: 17, name: "results below the provinces read by their province's roles only",
                  sql: "SELECT 1", postgresql: PostgresSchema.resultsByUnit),
        // A registry's keys compare as bytes, as SQLite compares them, instead of by the database's locale.
        Migration(version: 18, name: "registry keys compared byte by byte on PostgreSQL",
                  sql: "SELECT 1", postgresql: PostgresSchema.keysByBytes),
        // The nation's and regions' registry figures that disclosure control publishes, as the aggregation last
        // stored them: all a province's role reads of them on a server (migration 16 hid only the small ones).
        Migration(version: 19, name: "the nation's and regions' registry figures read as published", sql: """
            CREATE TABLE published_figure (
                indicator TEXT NOT NULL, unit_id INTEGER NOT NULL REFERENCES unit(id), period TEXT NOT NULL,
                value REAL, numerator REAL, denominator REAL, PRIMARY KEY (indicator, unit_id, period));
            """, postgresql: PostgresSchema.publishedOnly),
    ]
}
