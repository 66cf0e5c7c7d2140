import ArgumentParser
import Foundation
import Pipeline
import Reference
import Warehouse

struct Assess: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Assess every target with the progress measure (Statistics Canada / Open SDG 2.4).",
        discussion: """
            For each target and each unit with a series of its indicator: "target achieved" when the latest
            value up to the deadline meets it, else the observed compound growth since the base year over the
            growth the target requires, classed as substantial (>= 0.95), moderate (>= 0.6), limited (>= 0)
            or deterioration, with a score from -5 to 5. See METHODS in the README.

            Examples:
              chiso assess
              chiso assess --base-year 2021 --target III.1.d --format json
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @Option(help: "Base year (when it has no value, the next later year with one is used).") var baseYear = 2020
    @Option(help: "Only print this target id.") var target: String?
    @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        try reportingFailures {
            let store = try Warehouse(path: warehouse.path)
            let runID = try store.startRun(command: "assess")
            try assessStep(store, runID: runID, baseYear: baseYear)
            try store.finishRun(runID, status: "succeeded")
            let directory = try ReferenceStore.directory(from: store.db)
            let rows = try store.assessments(run: runID)?.rows ?? []
            printRows(["run", "target", "unit", "base_year", "base", "latest_year", "latest", "progress", "score",
                       "status"],
                      rows.filter { target == nil || $0.targetID == target }.map { row in
                          [String(runID), row.targetID, directory.unit(id: row.unitID)?.code ?? "?",
                           row.baseYear.map(String.init) ?? "", fmt(row.baseValue),
                           row.latestYear.map(String.init) ?? "", fmt(row.latestValue), fmt(row.progress),
                           fmt(row.score), row.status]
                      }, format: format)
        }
    }
}
