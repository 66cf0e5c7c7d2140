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
              chiso targets --tasks --agency MIC
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @Option(help: "Only clauses starting with this, e.g. III.3 or III.3.d.") var clause: String?
    @Option(help: "Only this level: national, ministry_province, district, commune...") var level: String?
    @Option(help: "Only this deadline year.") var deadline: Int?
    @Flag(help: "List the appendix tasks instead of the targets.") var tasks = false
    @Option(help: "With --tasks: only tasks led by this agency code.") var agency: String?
    @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        try reportingFailures {
            let store = try Warehouse(path: warehouse.path)
            if tasks {
                // The latest status of each task; a task past its end year and not completed is overdue.
                let year = Calendar(identifier: .gregorian).component(.year, from: Date())
                let rows = try store.taskStatuses(agency: agency, year: year)
                guard !rows.isEmpty || agency != nil else { throw Failure("no tasks: run 'chiso init' first") }
                printRows(["id", "lead", "co_leads", "start", "end", "status", "status_date", "overdue", "text_vi",
                           "text_en"],
                          rows.map { row in
                              [row.id, row.leadAgency, row.coAgencies, String(row.startYear), String(row.endYear), row.status,
                               row.statusDate, row.overdue ? "yes" : "", row.textVI, row.textEN]
                          }, format: format)
                return
            }
            let all = try CatalogueStore.targets(in: store.db)
            guard !all.isEmpty else { throw Failure("no targets: run 'chiso init' first") }
            let selected = all.filter { target in
                (clause.map { target.clause == $0 || target.clause.hasPrefix($0 + ".") } ?? true)
                    && (level.map { target.level == $0 } ?? true) && (deadline.map { target.deadline == $0 } ?? true)
            }
            printRows(["id", "clause", "indicator", "comparator", "threshold", "unit", "level", "deadline",
                       "text_vi", "text_en"],
                      selected.map { t in
                          [t.id, t.clause, t.indicator, t.comparator.rawValue, formatNumber(t.threshold), t.unit, t.level,
                           String(t.deadline), t.textVI, t.textEN]
                      }, format: format)
        }
    }
}

/// A threshold as written: 100, not 100.0.
func formatNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}
