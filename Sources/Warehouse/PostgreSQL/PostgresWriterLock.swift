import Foundation

/// One writer at a time on a PostgreSQL warehouse: a session-level advisory lock on the warehouse's database,
/// held by a connection of its own for as long as this object lives. A writer that finds the lock taken names
/// who holds it: the holder's session's `application_name` (the holder's description, which the server cuts
/// at 63 bytes), its role and when it connected. Any role that may connect can take an advisory lock, a
/// province's read-only one too: its role in the message says who to ask. The server releases the lock when
/// the holder's session ends, however its process ends.
public final class PostgresWriterLock {
    /// The lock's key: "chiso" in its first bytes, the same for every chiso (advisory locks are per database).
    static let key: Int64 = 0x6368_6973_6f00_0001
    private let connection: PostgresConnection

    /// Takes the lock of the warehouse at `url` for `holder` (what others' messages will say). When another
    /// writer holds it, waits up to `wait` seconds (calling `waiting` once with the holder), then throws
    /// naming the holder.
    public init(url: String, holder: String, wait: Double, waiting: (String) -> Void) throws {
        connection = try PostgresConnection(url: url)
        try connection.run("SELECT set_config('application_name', ?, false)", [String(holder.prefix(63))])
        let deadline = Date().addingTimeInterval(wait)
        var told = false
        while try connection.scalar("SELECT pg_try_advisory_lock(?)", [Self.key]) != 1 {
            let held = try holderOfLock() ?? "another command"
            guard Date() < deadline else {
                throw PostgresError(message: "\(held) is writing to the warehouse at \(connection.location): "
                                        + (wait > 0 ? "still after \(String(format: "%g s", wait)); " : "")
                                        + "wait for it to finish (--wait SECONDS waits), or stop it")
            }
            if !told {
                waiting("waiting up to \(String(format: "%g s", wait)) for the warehouse: \(held) is writing to it")
                told = true
            }
            usleep(200_000)
        }
    }

    /// The session holding the lock, if any: its `application_name`, role and when it connected (UTC; the
    /// server shows that of another role's session to a superuser or a member of pg_read_all_stats only).
    func holderOfLock() throws -> String? {
        try connection.scalar("""
            SELECT coalesce(nullif(a.application_name, ''), 'a session') || ' as ' || a.usename
                   || coalesce(', connected at ' || to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid = ? AND l.objid = ? AND l.objsubid = 1
            """, [Self.key >> 32, Self.key & 0xffff_ffff]).text
    }
}
