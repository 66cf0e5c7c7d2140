/// Access by unit on a PostgreSQL warehouse, enforced by the server (row-level security), not by chiso: a
/// province's role reads only its own units' rows of the registries and of the observations, and the
/// figures of the nation and its regions.
///
/// `grantSQL` writes the statements; `grant` runs them. The warehouse's owner (the role the nightly runs as)
/// is exempt from the policies, as PostgreSQL exempts a table's owner.
extension Warehouse {
    /// The tables whose rows a role sees only for its units.
    static let scopedTables = ["person", "parcel", "enterprise", "observation"]

    /// The statements that let `role` (created when missing, able to log in; its password is the DBA's to
    /// set) read the warehouse, seeing only the units of the province `province` as of 1 July 2025 (its
    /// 2025 code): the province, its communes, and the units before the merger whose crosswalk leads into
    /// them. Rejected rows carry no trusted unit (the unit may be what was wrong), so a province's role sees
    /// none of them. Safe to run again.
    public func grantSQL(role: String, province: String) throws -> [String] {
        guard PostgresConnection.isURL(db.path) else {
            throw WarehouseFileError(message: "access by unit needs a PostgreSQL warehouse (--db postgresql://...): "
                                        + "whoever can read an SQLite file reads all of it")
        }
        guard role.range(of: #"^[a-z_][a-z0-9_]{0,62}$"#, options: .regularExpression) != nil else {
            throw WarehouseFileError(message: "'\(role)' cannot be a role chiso makes: use lower-case letters, digits and _")
        }
        guard province.range(of: #"^[0-9]{2}$"#, options: .regularExpression) != nil,
              try db.scalar("SELECT count(*) FROM unit WHERE version = '2025' AND level = 'province' AND code = ?",
                            [province]) == 1 else {
            throw WarehouseFileError(message: "no province \(province) among the 34 of 1 July 2025 ('chiso units --level province')")
        }
        let quotedProvince = "'" + province + "'"
        var sql = [
            "CREATE TABLE IF NOT EXISTS access_scope (role_name TEXT NOT NULL, unit_id BIGINT NOT NULL REFERENCES unit(id), "
                + "PRIMARY KEY (role_name, unit_id))",
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN CREATE ROLE \(role) LOGIN; "
                + "END IF; END $$",
            "GRANT USAGE ON SCHEMA \(try schemaName()) TO \(role)",
            "GRANT SELECT ON ALL TABLES IN SCHEMA \(try schemaName()) TO \(role)",
            // A role reads its own scope (the policies below read it as the role), no other role's.
            "ALTER TABLE access_scope ENABLE ROW LEVEL SECURITY",
            "DROP POLICY IF EXISTS own_scope ON access_scope",
            "CREATE POLICY own_scope ON access_scope FOR SELECT USING (role_name = current_user)",
            "DELETE FROM access_scope WHERE role_name = '\(role)'",
            """
            INSERT INTO access_scope (role_name, unit_id)
            WITH RECURSIVE now (id) AS (
                SELECT id FROM unit WHERE version = '2025' AND level = 'province' AND code = \(quotedProvince)
                UNION SELECT u.id FROM unit u JOIN now ON u.parent_id = now.id
            )
            SELECT '\(role)', id FROM now
            UNION SELECT '\(role)', c.from_unit_id FROM crosswalk c JOIN now ON c.to_unit_id = now.id
            """,
        ]
        for table in Self.scopedTables {
            let published = table == "observation"
                ? " OR unit_id IN (SELECT id FROM unit WHERE level IN ('nation', 'region'))" : ""
            sql += [
                "ALTER TABLE \(table) ENABLE ROW LEVEL SECURITY",
                "DROP POLICY IF EXISTS by_unit ON \(table)",
                "CREATE POLICY by_unit ON \(table) FOR SELECT USING "
                    + "(unit_id IN (SELECT unit_id FROM access_scope WHERE role_name = current_user)\(published))",
            ]
        }
        sql += [
            "ALTER TABLE reject ENABLE ROW LEVEL SECURITY",
            "DROP POLICY IF EXISTS by_unit ON reject",
            "CREATE POLICY by_unit ON reject FOR SELECT USING (FALSE)",
        ]
        return sql
    }

    /// Runs `grantSQL(role:province:)` in one transaction; returns the statements run.
    @discardableResult
    public func grant(role: String, province: String) throws -> [String] {
        let statements = try grantSQL(role: role, province: province)
        try transaction { for statement in statements { try db.execute(statement) } }
        return statements
    }

    private func schemaName() throws -> String { try db.scalar("SELECT current_schema()").text ?? "public" }
}
