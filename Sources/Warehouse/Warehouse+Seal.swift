import Foundation

/// Tamper evidence: after every command that writes, the warehouse records a seal of each table that holds
/// data - its row count and an order-independent digest of every row - and `verify` recomputes them. A change
/// made outside chiso (the sqlite3 shell, a byte edited in the file) changes a digest, though SQLite's own
/// `integrity_check` still passes.
///
/// The digest is the sum modulo 2^64 of a 64-bit hash (FNV-1a over each value's type and bytes, then mixed) of
/// each row, so it does not depend on the order rows are read in, and costs one pass over the table.
extension Warehouse {
    /// The tables sealed: reference data, loads and what they stored, and the stored results; not the
    /// bookkeeping every command writes (runs, settings, reports, the seals themselves).
    public static let sealedTables = [
        "unit", "unit_alias", "crosswalk", "indicator", "target", "task", "agency", "load", "reject", "load_warning",
        "observation", "observation_revision", "task_status", "person", "parcel", "enterprise", "registry_revision",
        "forecast", "assessment", "simulation", "simulation_gain", "scenario",
    ]

    /// One table's state now and as last sealed.
    public struct SealCheck: Sendable {
        public let table: String
        public let rows: Int
        public let digest: String
        /// The last seal, if the table was ever sealed: rows, digest, when and by which command.
        public let sealed: (rows: Int, digest: String, at: String, command: String)?
        /// As sealed, or never sealed and empty.
        public var intact: Bool { sealed.map { $0.rows == rows && $0.digest == digest } ?? (rows == 0) }
    }

    /// The row count and digest of `table`.
    func digest(of table: String) throws -> (rows: Int, digest: String) {
        let (rows, digest) = try db.digest(of: table)
        return (rows, String(format: "%016llx", digest))
    }

    /// The row count and digest of `table` now: when its writer made known what it changed in the open
    /// transaction (a registry load), the last seal plus that change - a tampered table stays as far from its
    /// seal as before - or the change alone for a table that was empty and never sealed; else one pass.
    private func digest(of table: String, lastSeal: Row?) throws -> (rows: Int, digest: String) {
        if let known = db.digestChanges[table] {
            let base: (rows: Int, digest: UInt64)?
            if let lastSeal, let rows = lastSeal["rows"].int, let digest = lastSeal["digest"].text.flatMap({ UInt64($0, radix: 16) }) {
                base = (Int(rows), digest)
            } else {
                base = known.emptyBefore ? (0, 0) : nil
            }
            if let base {
                return (base.rows + known.change.rows, String(format: "%016llx", base.digest &+ known.change.digest))
            }
        }
        return try digest(of: table)
    }

    /// Records a seal of each of `tables` that is sealed and changed since its last seal, in the open
    /// transaction (or one of its own).
    public func seal(_ tables: Set<String> = Set(sealedTables)) throws {
        let now = Warehouse.timestamp()
        try db.transaction {
            let lastLoad = try db.scalar("SELECT max(id) FROM load").int
            for table in Self.sealedTables where tables.contains(table) {
                let last = try db.rows("SELECT rows, digest FROM seal WHERE table_name = ? ORDER BY id DESC LIMIT 1", [table]).first
                let (rows, digest) = try digest(of: table, lastSeal: last)
                if last?["rows"].int == Int64(rows) && last?["digest"].text == digest { continue }
                try db.run("INSERT INTO seal (table_name, rows, digest, sealed_at, command, last_load) VALUES (?, ?, ?, ?, ?, ?)",
                           [table, rows, digest, now, sealedBy, lastLoad.map { SQLValue.integer($0) } ?? .null])
            }
        }
    }

    /// The engine's quick check of the file's structure: "ok", else what is damaged, on one line.
    public func quickCheck() throws -> String { try db.structureCheck() }

    /// Whether any table was ever sealed (not in a warehouse made before seals).
    public func hasSeals() throws -> Bool { try db.scalar("SELECT count(*) FROM seal").int ?? 0 > 0 }

    /// Every sealed table (or those of `tables`) now, beside its last seal.
    public func verify(_ tables: [String] = sealedTables) throws -> [SealCheck] {
        guard try readsEveryRow() else {
            throw WarehouseFileError(message: "this role sees only the rows row-level security lets it, so the seals "
                                        + "cannot be checked: verify as the warehouse's owner (the role the nightly runs as)")
        }
        return try tables.map { table in
            let (rows, digest) = try digest(of: table)
            let last = try db.rows("""
                SELECT rows, digest, sealed_at, command FROM seal WHERE table_name = ? ORDER BY id DESC LIMIT 1
                """, [table]).first
            return SealCheck(table: table, rows: rows, digest: digest, sealed: last.map {
                (Int($0["rows"].int ?? 0), $0["digest"].text ?? "", $0["sealed_at"].text ?? "", $0["command"].text ?? "")
            })
        }
    }

    /// Applies the pending migrations, if any (`false` when there were none). One that adds a column to sealed
    /// tables changes their digests: each table that was as sealed before it is sealed again after it, by
    /// "chiso (schema migration N)"; one that was not stays apart from its seal, as `verify` shows.
    func migrate() throws -> Bool {
        let applied = Set(try db.appliedMigrations())
        let pending = Schema.migrations.filter { !applied.contains($0.version) }
        guard !pending.isEmpty else { return false }
        let rewritten = Set(pending.flatMap(\.changesSealedTables))
        let intact = try !rewritten.isEmpty && db.engine.tableExists("seal")
            ? try verify(Self.sealedTables.filter(rewritten.contains)).filter { $0.sealed != nil && $0.intact }.map(\.table) : []
        try db.migrate(Schema.migrations)
        guard !intact.isEmpty, let changing = pending.last(where: { !$0.changesSealedTables.isEmpty }) else { return true }
        let writer = sealedBy
        defer { sealedBy = writer }
        sealedBy = "chiso (schema migration \(changing.version))"
        try seal(Set(intact))
        return true
    }
}
