import Foundation
import Reference

/// What became of an input file, as its load record, `chiso ingest` and `run.json` say it.
public enum LoadStatus: String, Codable, Sendable {
    /// Its rows are in the warehouse, those rejected aside (each kept with its reason).
    case loaded
    /// Not read again: a file of the same content was loaded the same way before (for `derive`, nothing changed).
    case skipped
    /// Nothing of it is stored: more rows were rejected than allowed; the load and its rejects are on record.
    case failed
    /// A dry run: read and checked, nothing written (its counts say what a load would do).
    case checked
}

/// What happened to one input file.
public struct LoadSummary: Codable, Equatable, Sendable {
    public var loadID: Int?
    public var file: String
    public var sha256: String
    public var format: String
    public var dataset: String
    public var read = 0
    public var loaded = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0
    /// Values read as intentionally missing (`MissingValue`): loaded as observations without a value, or, in a
    /// table, cells that are no observation.
    public var missing = 0
    /// Rejected rows by error code.
    public var rejectedByReason: [String: Int] = [:]
    /// Loaded rows flagged for a look (an implausible jump), by code; the rows are loaded.
    public var warnedByReason: [String: Int] = [:]
    public var status = LoadStatus.loaded
    public var message: String?

    public init(file: String, sha256: String, format: String, dataset: String) {
        self.file = file
        self.sha256 = sha256
        self.format = format
        self.dataset = dataset
    }

    /// The summary of this file skipped as loaded before: nothing read, nothing stored.
    public var skipped: LoadSummary {
        var summary = LoadSummary(file: file, sha256: sha256, format: format, dataset: dataset)
        summary.status = .skipped
        summary.message = "already loaded (same content hash)"
        return summary
    }

    enum CodingKeys: String, CodingKey {
        case loadID, file, sha256, format, dataset, read, loaded, updated, unchanged, rejected, missing, rejectedByReason,
             warnedByReason, status, message
    }

    /// Every key, a missing load id or message as `null` (a script reads one shape).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(loadID, forKey: .loadID)
        try c.encode(file, forKey: .file)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(format, forKey: .format)
        try c.encode(dataset, forKey: .dataset)
        try c.encode(read, forKey: .read)
        try c.encode(loaded, forKey: .loaded)
        try c.encode(updated, forKey: .updated)
        try c.encode(unchanged, forKey: .unchanged)
        try c.encode(rejected, forKey: .rejected)
        try c.encode(missing, forKey: .missing)
        try c.encode(rejectedByReason, forKey: .rejectedByReason)
        try c.encode(warnedByReason, forKey: .warnedByReason)
        try c.encode(status, forKey: .status)
        try c.encode(message, forKey: .message)
    }
}

/// A row of an input file that did not load, and why.
public struct RejectedRow: Codable, Equatable, Sendable {
    public let line: Int
    public let column: String?
    public let errorCode: String
    public let message: String
    public let raw: String?

    /// A rejected row keeps its message and its raw line whole up to this many characters, and an excerpt of
    /// a longer one, so a reject costs at most a few kilobytes whatever the row held.
    public static let excerptLimit = 1_000

    /// The row's message and raw line are kept as excerpts (`excerpt(_:of:)`), control characters escaped.
    /// A row rejected (or flagged) for `errorCode`; its message and raw text are kept whole up to
    /// `excerptLimit` characters, control characters escaped.
    public init(line: Int, column: String?, errorCode: RejectCode, message: String, raw: String?) {
        self.init(line: line, column: column, storedCode: errorCode.rawValue, message: message, raw: raw)
    }

    /// A row as stored, its code read back as written.
    init(line: Int, column: String?, storedCode: String, message: String, raw: String?) {
        self.line = line
        self.column = column
        self.errorCode = storedCode
        self.message = Self.excerpt(message.escapingControlCharacters, of: message.utf8.count)
        self.raw = raw.map { Self.excerpt($0.escapingControlCharacters, of: $0.utf8.count) }
    }

    /// `text` when it has at most `excerptLimit` characters, else its beginning and end around a note of the
    /// size of the whole (`bytes`, the size before escaping).
    public static func excerpt(_ text: String, of bytes: Int) -> String {
        guard text.count > excerptLimit else { return text }
        let head = text.prefix(excerptLimit * 4 / 5), tail = text.suffix(excerptLimit / 10)
        return head + " … [\(bytes) bytes in all] … " + tail
    }
}

extension String {
    /// The text with every control character but the tab (NUL, escape, a line break, …) written `\u0000`, so it
    /// prints on one line and shows what the bytes were.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            if (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F {
                out += String(format: "\\u%04X", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension Warehouse {
    /// The id of an earlier successful load of a file with this content hash whose values all still stand, if
    /// any. A load does not count once a later load of its dataset revised or deleted any value: loading the
    /// file again puts back what it says (a file revised, then the original loaded again, must not be skipped
    /// with the revision's values in place). Any value, not only those the load wrote: a file lists values it
    /// finds as stored without writing them (a registry extract in another row order, a table exported again),
    /// and a later file can change those. At worst a file is read again and finds its values as stored.
    public func loadedFile(sha256: String, dataset: String, format: String) throws -> Int? {
        try db.scalar("""
            SELECT max(id) FROM load l WHERE sha256 = ? AND dataset = ? AND format = ? AND status = 'loaded'
                AND NOT EXISTS (SELECT 1 FROM observation_revision r WHERE r.load_id = l.id)
                AND NOT EXISTS (SELECT 1 FROM observation_revision r JOIN load later ON later.id = r.replaced_by_load
                                WHERE r.replaced_by_load > l.id AND later.dataset = l.dataset)
                AND NOT EXISTS (SELECT 1 FROM registry_revision r WHERE r.registry = l.dataset AND r.replaced_by_load > l.id)
            """, [sha256, dataset, format]).int.map(Int.init)
    }

    /// Marks `summary` skipped when a file with the same content hash was loaded into its dataset before, read
    /// the same way (its format names the sheet, measures and options: another measure of one table is
    /// another load), and none of its values has been replaced since.
    public func skipIfAlreadyLoaded(_ summary: inout LoadSummary) throws -> Bool {
        guard try loadedFile(sha256: summary.sha256, dataset: summary.dataset, format: summary.format) != nil else {
            return false
        }
        summary = summary.skipped
        return true
    }

    /// Runs `body` (which stores a load) in one write transaction, unless a file of the same content was loaded
    /// the same way before: that is checked inside the transaction, so two loads of one file at once cannot
    /// both store it. Returns whether `body` ran.
    public func transaction(loading summary: LoadSummary, _ body: () throws -> Void) throws -> Bool {
        try db.transaction {
            guard try loadedFile(sha256: summary.sha256, dataset: summary.dataset, format: summary.format) == nil else {
                return false
            }
            try body()
            return true
        }
    }

    /// Records a load and its rejected rows. Call inside the file's transaction for a successful load, or after
    /// the rollback for a failed one, so a failure is still on record. A load's id is the next after the last
    /// kept, on both engines: a server's sequence keeps what a rolled-back insert took, and a load refused
    /// after its rows were staged numbered every later load one higher on PostgreSQL than on SQLite.
    @discardableResult
    public func record(_ summary: LoadSummary, rejects: [RejectedRow], startedAt: String) throws -> Int {
        try db.transaction {
            let id = Int(try db.scalar("""
                INSERT INTO load (id, file, sha256, format, dataset, rows_read, rows_loaded, rows_updated, rows_skipped,
                                  rows_rejected, status, message, started_at, finished_at)
                VALUES ((SELECT coalesce(max(id), 0) + 1 FROM load), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [summary.file, summary.sha256, summary.format, summary.dataset, summary.read, summary.loaded,
                      summary.updated, summary.unchanged, summary.rejected, summary.status.rawValue, summary.message,
                      startedAt, Warehouse.timestamp()]).int ?? 0)
            try record(rejects, load: id)
            return id
        }
    }

    /// Stores the rejected rows of load `id`.
    public func record(_ rejects: [RejectedRow], load id: Int) throws {
        try db.insert("INSERT INTO reject (load_id, line, column_name, error_code, message, raw)",
                      rejects.map { [id, $0.line, $0.column, $0.errorCode, $0.message, $0.raw] })
    }

    /// Writes the final row counts of a load recorded before its rows were written.
    public func updateCounts(_ summary: LoadSummary) throws {
        guard let id = summary.loadID else { return }
        try db.run("""
            UPDATE load SET rows_read = ?, rows_loaded = ?, rows_updated = ?, rows_skipped = ?, rows_rejected = ?,
                            status = ?, message = ?, finished_at = ? WHERE id = ?
            """, [summary.read, summary.loaded, summary.updated, summary.unchanged, summary.rejected, summary.status.rawValue,
                  summary.message, Warehouse.timestamp(), id])
    }

    /// A load as recorded: what it read and what became of its rows.
    public struct LoadRecord: Sendable {
        public let id: Int
        public let file: String
        public let dataset: String
        public let status: String
        public let read: Int
        public let loaded: Int
        public let rejected: Int
    }

    /// Every load, oldest first.
    public func loads() throws -> [LoadRecord] {
        try db.rows("SELECT id, file, dataset, status, rows_read, rows_loaded, rows_rejected FROM load ORDER BY id").map(loadRecord)
    }

    private func loadRecord(_ row: Row) -> LoadRecord {
        LoadRecord(id: Int(row["id"].int ?? 0), file: row["file"].text ?? "", dataset: row["dataset"].text ?? "",
                   status: row["status"].text ?? "", read: Int(row["rows_read"].int ?? 0),
                   loaded: Int(row["rows_loaded"].int ?? 0), rejected: Int(row["rows_rejected"].int ?? 0))
    }

    /// Every rejected row with its load, by load and line.
    public func allRejects() throws -> [(load: LoadRecord, reject: RejectedRow)] {
        try db.rows("""
            SELECT l.id, l.file, l.dataset, l.status, l.rows_read, l.rows_loaded, l.rows_rejected,
                   r.line, r.column_name, r.error_code, r.message, r.raw
            FROM reject r JOIN load l ON l.id = r.load_id ORDER BY r.load_id, r.line
            """).map { row in
            (loadRecord(row), RejectedRow(line: Int(row["line"].int ?? 0), column: row["column_name"].text,
                                          storedCode: row["error_code"].text ?? "", message: row["message"].text ?? "",
                                          raw: row["raw"].text))
        }
    }

    /// The rejected rows of load `id`, in file order.
    public func rejects(load id: Int) throws -> [RejectedRow] {
        try db.rows("SELECT line, column_name, error_code, message, raw FROM reject WHERE load_id = ? ORDER BY line",
                    [id]).map { row in
            RejectedRow(line: Int(row["line"].int ?? 0), column: row["column_name"].text,
                        storedCode: row["error_code"].text ?? "", message: row["message"].text ?? "",
                        raw: row["raw"].text)
        }
    }
}

extension Warehouse {
    /// Stores the warnings of load `id`: rows that loaded but deserve a look.
    public func record(warnings: [RejectedRow], load id: Int) throws {
        try db.insert("INSERT INTO load_warning (load_id, line, column_name, code, message, raw)",
                      warnings.map { [id, $0.line, $0.column, $0.errorCode, $0.message, $0.raw] })
    }

    /// The id of the newest successful load (0 when none).
    public func latestLoadID() throws -> Int {
        Int(try db.scalar("SELECT coalesce(max(id), 0) FROM load WHERE status = 'loaded'").int ?? 0)
    }

    /// The id of the newest load with rejected rows.
    public func latestLoadWithRejects() throws -> Int? {
        try db.scalar("SELECT max(load_id) FROM reject").int.map(Int.init)
    }

    /// The file load `id` read, if there is such a load.
    public func loadedFileName(load id: Int) throws -> String? {
        try db.scalar("SELECT file FROM load WHERE id = ?", [id]).text
    }

    /// The periods of the observations that loads of indicator files stored.
    public func periodsLoadedFromIndicatorFiles() throws -> [String] {
        try db.rows("""
            SELECT DISTINCT period FROM observation
            WHERE load_id IN (SELECT id FROM load WHERE dataset = 'indicator' AND status = 'loaded')
            """).compactMap { $0["period"].text }
    }

    /// The number of warnings of each load, by code.
    public func warningCounts() throws -> [Int: [String: Int]] {
        var counts: [Int: [String: Int]] = [:]
        for row in try db.rows("SELECT load_id, code, count(*) AS n FROM load_warning GROUP BY load_id, code") {
            counts[Int(row["load_id"].int ?? 0), default: [:]][row["code"].text ?? ""] = Int(row["n"].int ?? 0)
        }
        return counts
    }

    /// The warnings of load `id`, in file order.
    public func warnings(load id: Int) throws -> [RejectedRow] {
        try db.rows("SELECT line, column_name, code, message, raw FROM load_warning WHERE load_id = ? ORDER BY line",
                    [id]).map { row in
            RejectedRow(line: Int(row["line"].int ?? 0), column: row["column_name"].text, storedCode: row["code"].text ?? "",
                        message: row["message"].text ?? "", raw: row["raw"].text)
        }
    }

    /// The day each dataset's newest loaded file describes (`--as-of`), by dataset: the registries' extract dates.
    public func datasetsAsOf() throws -> [String: String] {
        var days: [String: String] = [:]
        for row in try db.rows("""
            SELECT dataset, max(as_of) AS as_of FROM load WHERE status = 'loaded' AND as_of IS NOT NULL GROUP BY dataset
            """) {
            days[row["dataset"].text ?? ""] = row["as_of"].text
        }
        return days
    }

    /// The newest period loaded (not derived) of each indicator, by indicator code.
    public func latestLoadedPeriods() throws -> [(indicator: String, period: String)] {
        try db.rows("""
            SELECT indicator, max(period) AS period FROM observation WHERE origin = 'loaded' GROUP BY indicator ORDER BY indicator
            """).map { (indicator: $0["indicator"].text ?? "", period: $0["period"].text ?? "") }
    }

    /// Rejected rows of every load, counted by error code, by load id.
    public func rejectCounts() throws -> [Int: [String: Int]] {
        var counts: [Int: [String: Int]] = [:]
        for row in try db.rows("SELECT load_id, error_code, count(*) AS n FROM reject GROUP BY load_id, error_code") {
            counts[Int(row["load_id"].int ?? 0), default: [:]][row["error_code"].text ?? ""] = Int(row["n"].int ?? 0)
        }
        return counts
    }
}
