import Foundation
import Reference
import Warehouse

/// Loads status updates of the decision's appendix tasks: `task, status, date[, note]`, so progress can be
/// reported by lead agency. Statuses: `not_started`, `in_progress`, `completed`, `delayed`, `cancelled`, or
/// their usual Vietnamese wording ("Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Chậm tiến độ", "Hủy").
/// Every row is validated; valid rows load in one transaction unless too many are rejected; an update for a
/// task and date already stored replaces it.
public struct TaskStatusLoader {
    public let warehouse: Warehouse
    public var maxRejectRate = 0.05
    /// Validate and report, write nothing.
    public var dryRun = false
    public static let dataset = "task-status"
    public static let statuses = ["not_started", "in_progress", "completed", "delayed", "cancelled"]
    static let vietnamese: [String: String] = [
        "chua thuc hien": "not_started", "dang thuc hien": "in_progress", "hoan thanh": "completed",
        "da hoan thanh": "completed", "cham tien do": "delayed", "cham": "delayed", "huy": "cancelled",
    ]

    public init(warehouse: Warehouse) { self.warehouse = warehouse }

    public func load(path: String, today: String) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        var load = try FileLoad(path: path, format: "task-status-csv", dataset: Self.dataset, warehouse: warehouse,
                                dryRun: dryRun)
        if try load.isAlreadyLoaded() { return (load.summary, []) }
        let table = try CSVTable(path: path)
        for name in ["task", "status", "date"] where !table.header.contains(name) {
            throw InputError(file: path, line: 1, column: name, message: "required column '\(name)' is missing")
        }
        let tasks = try warehouse.taskIDs()
        var updates: [(task: String, status: String, date: String, note: String?)] = []
        var rejects: [RejectedRow] = []
        for row in table.rows {
            load.summary.read += 1
            let raw = table.header.map { row.fields[$0] ?? "" }.joined(separator: ",")
            var problems: [(String, RejectCode, String)] = []
            let task = (row.fields["task"] ?? "").trimmingCharacters(in: .whitespaces)
            if !tasks.contains(task) {
                problems.append(("task", RejectCode.unknownTask, "unknown task '\(task)': use an id of 'chiso targets --tasks' (e.g. I.1)"))
            }
            let written = (row.fields["status"] ?? "").trimmingCharacters(in: .whitespaces)
            let status = Self.statuses.contains(written) ? written : Self.vietnamese[Self.fold(written)]
            if status == nil {
                problems.append(("status", RejectCode.badStatus, "status '\(written)' is not one of " + Self.statuses.joined(separator: ", ")))
            }
            let writtenDate = (row.fields["date"] ?? "").trimmingCharacters(in: .whitespaces)
            let date = Period.calendarDate(writtenDate) ?? ""
            if date.isEmpty {
                problems.append(("date", RejectCode.badDate, "date '\(writtenDate)' is not a day written YYYY-MM-DD"))
            } else if date > today {
                problems.append(("date", RejectCode.futureDate, "date \(date) is after today (\(today))"))
            }
            if let status, problems.isEmpty {
                let note = row.fields["note"].flatMap { $0.isEmpty ? nil : $0 }
                updates.append((task, status, date, note))
            } else {
                rejects += problems.map { RejectedRow(line: row.line, column: $0.0, errorCode: $0.1, message: $0.2, raw: raw) }
            }
        }
        load.summary.rejected = Set(rejects.map(\.line)).count
        return try load.finish(rejects: rejects, maxRejectRate: maxRejectRate, rows: updates.count,
                               described: "\(updates.count) task statuses") { loadID, summary in
            try warehouse.storeTaskStatuses(updates, load: loadID)
            summary.loaded = updates.count
        }
    }

    /// Lower case without diacritics, for matching Vietnamese status wording.
    static func fold(_ text: String) -> String {
        String(text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }
            .map { $0 == "đ" ? "d" : Character($0) })
    }
}
