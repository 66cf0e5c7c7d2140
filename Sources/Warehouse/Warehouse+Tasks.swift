/// Where an appendix task stands: what its latest status report says, read against its end year.
public enum TaskStanding: String, Sendable, CaseIterable {
    /// Reported completed, or cancelled.
    case completed, cancelled
    /// A status was reported, the end year has passed and the task is neither completed nor cancelled.
    case overdue
    /// A status was reported and the end year is still ahead.
    case open
    /// No status was ever reported: nothing says whether it is done.
    case noReport = "no report"
}

/// An agency of the catalogue, with its main successor when the 2025 restructuring ended it.
public struct AgencyRow: Equatable, Sendable {
    public let code: String
    public let nameVI: String
    public let nameEN: String
    public let kind: String
    /// The body that took over its work from 1 March 2025 (MIC -> MOST), for a body that ended then.
    public let successor: String?
}

/// An appendix task with its latest status update.
public struct TaskStatusRow: Equatable, Sendable {
    public let id: String
    /// The lead as the decision names it (2021), and the body leading it on the day asked (its successor
    /// after the 2025 restructuring).
    public let leadAgency: String
    public let leadAgencyNow: String
    public let coAgencies: [String]
    public let startYear: Int
    public let endYear: Int
    /// The latest status ("" when none was loaded) and its date.
    public let status: String
    public let statusDate: String
    public let standing: TaskStanding
    public let textVI: String
    public let textEN: String

    /// Whether `agency` leads or co-leads the task, under its 2021 name or as the successor in force.
    public func involves(_ agency: String, successors: [String: String]) -> Bool {
        ([leadAgency, leadAgencyNow] + coAgencies + coAgencies.compactMap { successors[$0] }).contains(agency)
    }
}

extension Warehouse {
    /// The ids of the appendix tasks.
    public func taskIDs() throws -> Set<String> { Set(try db.rows("SELECT id FROM task").compactMap { $0["id"].text }) }

    /// Stores status updates of tasks for the load `id` (one per task and date: a later load's replaces an
    /// earlier one of the same day), in the caller's transaction.
    public func storeTaskStatuses(_ updates: [(task: String, status: String, date: String, note: String?)], load id: Int) throws {
        let upsert = try db.prepare("""
            INSERT INTO task_status (task_id, status, date, note, load_id) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (task_id, date) DO UPDATE SET status = excluded.status, note = excluded.note,
                load_id = excluded.load_id
            """)
        for update in updates { try upsert.execute([update.task, update.status, update.date, update.note, id]) }
    }

    /// The agencies of the catalogue, by code.
    public func agencies() throws -> [String: AgencyRow] {
        var agencies: [String: AgencyRow] = [:]
        for row in try db.rows("SELECT code, name_vi, name_en, kind, successor FROM agency") {
            let code = row["code"].text ?? ""
            agencies[code] = AgencyRow(code: code, nameVI: row["name_vi"].text ?? "", nameEN: row["name_en"].text ?? "",
                                       kind: row["kind"].text ?? "", successor: row["successor"].text)
        }
        return agencies
    }

    /// Every appendix task (or those `agency` leads or co-leads, under its 2021 name or as a successor) with its
    /// latest status and standing on `today` (YYYY-MM-DD), in catalogue order. From 1 March 2025 a task led by
    /// a body the restructuring ended is led by its successor.
    public func taskStatuses(agency: String? = nil, today: String) throws -> [TaskStatusRow] {
        let year = Int(today.prefix(4)) ?? 0
        let successors = today >= "2025-03-01" ? try agencies().compactMapValues(\.successor) : [:]
        return try db.rows("""
            SELECT t.id, t.lead_agency, coalesce(t.co_agencies, '') AS co, t.start_year, t.end_year,
                   coalesce(s.status, '') AS status, coalesce(s.date, '') AS status_date, t.text_vi, t.text_en
            FROM task t LEFT JOIN task_status s ON s.task_id = t.id
                AND s.date = (SELECT max(date) FROM task_status WHERE task_id = t.id)
            ORDER BY t.rowid
            """).map { row in
            let end = Int(row["end_year"].int ?? 0), status = row["status"].text ?? ""
            let lead = row["lead_agency"].text ?? ""
            let standing: TaskStanding = status.isEmpty ? .noReport
                : status == "completed" ? .completed : status == "cancelled" ? .cancelled
                : end < year ? .overdue : .open
            return TaskStatusRow(id: row["id"].text ?? "", leadAgency: lead, leadAgencyNow: successors[lead] ?? lead,
                                 coAgencies: (row["co"].text ?? "").split(separator: ";").map(String.init),
                                 startYear: Int(row["start_year"].int ?? 0), endYear: end, status: status,
                                 statusDate: row["status_date"].text ?? "", standing: standing,
                                 textVI: row["text_vi"].text ?? "", textEN: row["text_en"].text ?? "")
        }.filter { task in agency.map { task.involves($0, successors: successors) } ?? true }
    }
}
