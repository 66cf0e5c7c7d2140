import ArgumentParser
import Foundation
import Reference
import Warehouse

struct Targets: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the targets of Decision 942/QĐ-TTg (and local plans), or the appendix tasks.",
        discussion: """
            Examples:
              chiso targets
              chiso targets --deadline 2025 --level national --format csv
              chiso targets --clause III.3
              chiso targets --tasks --agency MOST    # also the tasks the decision gave MIC

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @Option(help: "Only clauses starting with this, e.g. III.3 or III.3.d.") var clause: String?
    @Option(help: "Only this level: national, ministry_province, district, commune...") var level: String?
    @Option(help: "Only this deadline year.") var deadline: Int?
    @Flag(help: "List the appendix tasks instead of the targets.") var tasks = false
    @Option(help: "With --tasks: only tasks this agency leads or co-leads (2021 code or its successor).") var agency: String?
    @OptionGroup var output: PrintOptions

    func validate() throws {
        if agency != nil && !tasks { throw ValidationError("--agency goes with --tasks: targets have no agency") }
        if tasks && (clause != nil || level != nil || deadline != nil) {
            throw ValidationError("--clause, --level and --deadline filter targets, not --tasks")
        }
    }

    func run() throws {
        try reportingFailures {
            let store = try Warehouse(reading: warehouse.path)
            if tasks {
                // The latest status of each task, led since 1 March 2025 by the successor of a merged body.
                if let agency {
                    let known = try store.agencies().keys.sorted()
                    guard known.contains(agency) else {
                        throw unknown("agency", agency, among: known)
                    }
                }
                let rows = try store.taskStatuses(agency: agency, today: Clock.today())
                guard !rows.isEmpty || agency != nil else { throw Failure("no tasks: run 'chiso init' first") }
                printRows(["id", "lead", "lead_2021", "co_leads", "start", "end", "standing", "status", "status_date",
                           "text_vi", "text_en"],
                          rows.map { row in
                              [.text(row.id), .text(row.leadAgencyNow), .text(row.leadAgency),
                               .list(row.coAgencies.map(Cell.text)), .integer(row.startYear), .integer(row.endYear),
                               .text(row.standing.rawValue), .text(row.status), .text(row.statusDate), .text(row.textVI),
                               .text(row.textEN)]
                          }, options: output, leaveOut: ["text_en", "co_leads", "lead_2021", "start", "status_date", "status"])
                return
            }
            let all = try store.targets()
            guard !all.isEmpty else { throw Failure("no targets: run 'chiso init' first") }
            let selected = all.filter { target in
                (clause.map { target.clause == $0 || target.clause.hasPrefix($0 + ".") } ?? true)
                    && (level.map { target.level == $0 } ?? true) && (deadline.map { target.deadline == $0 } ?? true)
            }
            printRows(["id", "clause", "indicator", "comparator", "threshold", "unit", "level", "deadline",
                       "text_vi", "text_en"],
                      selected.map { t in
                          [.text(t.id), .text(t.clause), .text(t.indicator), .text(t.comparator.rawValue),
                           t.threshold == t.threshold.rounded() ? .integer(Int(t.threshold)) : .real(t.threshold), .text(t.unit), .text(t.level), .integer(t.deadline), .text(t.textVI),
                           .text(t.textEN)]
                      }, options: output, leaveOut: ["text_en", "clause", "unit", "level", "indicator"])
        }
    }
}
