/// Access by unit on a PostgreSQL warehouse, enforced by the server (row-level security), not by chiso: a
/// province's role reads only its own units' rows of the registries and of the observations, and the
/// figures of the nation and its regions. The policies are part of the schema (`PostgresSchema.byProvince`):
/// they read `access_scope`, which says which units each role may see.
///
/// `grantSQL` writes the statements; `grant` runs them. The warehouse's owner (the role the nightly runs as)
/// is exempt from the policies, as PostgreSQL exempts a table's owner.
extension Warehouse {
    /// The statements that let `role` (created when missing, able to log in; its password is the DBA's to
    /// set) read the warehouse, seeing only the units of the province `province` as of 1 July 2025 (its
    /// 2025 code): the province, its communes, and the units before the merger whose crosswalk leads into
    /// them, with theirs (the old provinces' districts, which no crosswalk names: the provinces merged whole).
    /// Rejected rows carry no trusted unit (the unit may be what was wrong), so a province's role sees none of
    /// them. Safe to run again.
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
            // An old province's code: the province it went into.
            let successor = try db.rows("""
                SELECT o.name_vi AS old, n.code, n.name_vi AS new FROM unit o JOIN crosswalk c ON c.from_unit_id = o.id
                JOIN unit n ON n.id = c.to_unit_id WHERE o.version = 'pre2025' AND o.level = 'province' AND o.code = ?
                """, [province]).first.map { row in
                    "; \(province) was \(row["old"].text ?? "") until 30 June 2025, now part of \(row["code"].text ?? "") "
                        + "\(row["new"].text ?? ""): --province \(row["code"].text ?? "")"
                } ?? ""
            throw WarehouseFileError(message: "no province \(province) among the 34 of 1 July 2025 ('chiso units --level province')"
                                        + successor)
        }
        if let reason = try unrestricted(role) {
            throw WarehouseFileError(message: "'\(role)' would read every row whatever chiso grants: \(reason); "
                                        + "grant a role of its own (chiso grant --role NAME ...)")
        }
        let quotedProvince = "'" + province + "'"
        return [
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '\(role)') THEN CREATE ROLE \(role) LOGIN; "
                + "END IF; END $$",
            "GRANT USAGE ON SCHEMA \(try schemaName()) TO \(role)",
            // The tables, not their partitions: row-level security applies to a partitioned table, and a
            // partition read on its own would show every row it holds.
            """
            DO $$ DECLARE t record; BEGIN
                FOR t IN SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace
                         AND relkind IN ('r', 'p') AND NOT relispartition LOOP
                    EXECUTE format('GRANT SELECT ON %I TO \(role)', t.relname);
                END LOOP;
            END $$
            """,
            "DELETE FROM access_scope WHERE role_name = '\(role)'",
            """
            INSERT INTO access_scope (role_name, unit_id)
            WITH RECURSIVE now (id) AS (
                SELECT id FROM unit WHERE version = '2025' AND level = 'province' AND code = \(quotedProvince)
                UNION SELECT u.id FROM unit u JOIN now ON u.parent_id = now.id
            ), before (id) AS (
                SELECT c.from_unit_id FROM crosswalk c JOIN now ON c.to_unit_id = now.id
                UNION SELECT u.id FROM unit u JOIN before ON u.parent_id = before.id
            )
            SELECT '\(role)', id FROM now UNION SELECT '\(role)', id FROM before
            """,
        ]
    }

    /// Runs `grantSQL(role:province:)` in one transaction; returns the statements run and the province the
    /// role saw before, when another (a grant run again with another code moves the role's scope).
    @discardableResult
    public func grant(role: String, province: String) throws -> (statements: [String], before: String?) {
        let statements = try grantSQL(role: role, province: province)
        let before = try db.scalar("""
            SELECT min(u.code) FROM access_scope a JOIN unit u ON u.id = a.unit_id
            WHERE a.role_name = ? AND u.version = '2025' AND u.level = 'province'
            """, [role]).text
        try transaction { for statement in statements { try db.execute(statement) } }
        return (statements, before == province ? nil : before)
    }

    /// Why `role` is exempt from row-level security (it owns the tables, or is a superuser or may bypass it),
    /// or `nil` when the policies bind it (a role not made yet included).
    func unrestricted(_ role: String) throws -> String? {
        if try db.scalar("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'person'").text == role {
            return "it owns the warehouse's tables"
        }
        if try db.scalar("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = ?", [role]).int == 1 {
            return "it is a superuser or may bypass row-level security"
        }
        return nil
    }

    /// Whether this connection's role reads every row: on SQLite always; on a server, unless row-level
    /// security hides some from it (a province's role), when seals cannot be checked.
    public func readsEveryRow() throws -> Bool {
        guard PostgresConnection.isURL(db.path), let role = try db.scalar("SELECT current_user").text else { return true }
        return try unrestricted(role) != nil
    }

    /// Refuses to go on as a role that may only read the warehouse (one `grant` made) before anything is
    /// written, instead of failing on the first statement that writes with the server's "permission denied".
    func refuseReadOnlyRole() throws {
        guard PostgresConnection.isURL(db.path), try db.schemaVersion() > 0,
              try db.scalar("SELECT has_table_privilege('load', 'INSERT')").int != 1 else { return }
        let role = try db.scalar("SELECT current_user").text ?? "this role"
        throw WarehouseFileError(message: "\(role) may only read the warehouse at \(db.path) and this command writes to "
                                    + "it: run it as the warehouse's owner (the role the nightly runs as); as \(role), "
                                    + "the commands that print read it (units, targets, runs, ingest --dry-run but "
                                    + "of registry extracts, and aggregate, forecast, assess and simulate without --save)")
    }

    private func schemaName() throws -> String { try db.scalar("SELECT current_schema()").text ?? "public" }
}
