import Analytics
import ArgumentParser
import Foundation
import Pipeline
import Reference
import Warehouse

struct Assess: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Assess every target by the published methods, with the latest forecasts.",
        discussion: """
            Methods (METHODS.md section 3), one row each per target and unit:
              headline               the one status a report shows (3.6): met or
                                     not met when the year judged has passed and
                                     was observed, no data for the deadline when
                                     it was not; ahead of it, met early,
                                     insufficient data (one value), on track
                                     (P >= 0.8), at risk (P >= 0.2), off track
              progress-measure       Statistics Canada / Open SDG 2.4: substantial
                                     (>= 0.95), moderate (>= 0.6), limited (>= 0),
                                     deterioration; score -5..5
              projected-value-ratio  UNSD progress chart as adapted by EUSTAT: on
                                     track (>= 0.95), fair (>= 0.10), stagnation or
                                     regression
              escap-* (provisional)  ESCAP-style current status and anticipated
                                     progress indices
            Each row also has the year judged (the deadline, or the first survey after
            it for ranks), whether the value then was observed or forecast, the
            probability of meeting the target, and the required and observed yearly
            pace. Once the year judged has passed, a target missed is 'target not
            achieved' by every method; the two that project say 'target achieved' of
            one met and 'no data for the deadline' of one unobserved (their measures
            kept); no pace is required. It assesses on the latest stored forecasts
            ('chiso forecast --save').

            \(lookingNeverChanges)

            Examples:
              chiso assess --save
              chiso assess --target III.1.d --format json
              chiso assess --base-year 2021 --target III.1.d
              chiso assess --method headline --level province

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var stored: StoredResults
    @Option(help: "Base year (when it has no value, the next later year with one is used; default 2020; a what-if without --save).")
    var baseYear: Int?
    @Option(help: "Only print this target id.") var target: String?
    @Option(help: "Only print this method.") var method: String?
    @OptionGroup var filter: ResultFilter
    @OptionGroup var output: PrintOptions

    func validate() throws {
        if let method, !AssessmentMethod.all.contains(method) {
            throw unknown("method", method, among: AssessmentMethod.all).reported()
        }
    }

    func run() throws {
        try reportingFailures {
            let context = try stored.open(warehouse, command: "assess")
            let store = context.warehouse
            let directory = try context.units()
            let keep = try filter.predicate(directory, indicators: Array(context.indicators().keys))
            let targets = try context.targets()
            if let target, !targets.contains(where: { $0.id == target }) {
                throw unknown("target", target, among: targets.map(\.id))
            }
            let indicatorOf = Dictionary(uniqueKeysWithValues: targets.map { ($0.id, $0.indicator) })
            let run: Int?, rows: [AssessmentRow]
            if stored.save {
                let runID = try context.startRun(command: "assess")
                try assessStep(context, baseYear: baseYear ?? 2020)
                try store.finishRun(runID, status: .succeeded)
                (run, rows) = (runID, try store.assessments(run: runID, target: target)?.rows ?? [])
            } else if let baseYear {
                (run, rows) = (nil, try computeAssessments(context, baseYear: baseYear).filter { target == nil || $0.targetID == target })
                note(StoredResults.notSaved)
            } else {
                guard let found = try store.assessments(run: stored.run, target: target) else {
                    throw stored.nothingStored("assessments", command: "assess")
                }
                (run, rows) = (found.run, found.rows)
            }
            printRows(["run", "target", "unit", "method", "status", "value", "score", "base_year", "latest_year",
                       "latest", "judged_year", "basis", "value_at_deadline", "probability", "required_pace",
                       "observed_pace"],
                      try filter.nonEmpty(rows.filter { row in
                          (method == nil || row.method == method) && keep(indicatorOf[row.targetID] ?? "", row.unitID)
                      }, also: [target.map { "--target \($0)" }, method.map { "--method \($0)" }]).map { row in
                          [.whole(run), .text(row.targetID), .text(directory.unit(id: row.unitID)?.code ?? "?"),
                           .text(row.method), .text(row.status), .number(row.progress), .number(row.score),
                           .whole(row.baseYear), .whole(row.latestYear), .number(row.latestValue), .whole(row.assessedYear),
                           .string(row.basis), .number(row.valueAtDeadline), .number(row.probability),
                           .number(row.requiredPace), .number(row.observedPace)]
                      }, options: output, leaveOut: ["run", "observed_pace", "required_pace", "basis", "judged_year", "latest_year", "latest", "base_year", "score", "value_at_deadline", "value"])
        }
    }
}
