import ArgumentParser
import Foundation
import Pipeline
import Warehouse

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or update the warehouse with the reference units and the Decision 942 catalogue.",
        discussion: """
            Loads the units before and after 1 July 2025 (nation, 6 regions, 63 -> 34
            provinces, 696 districts, 10,035 -> 3,321 communes), the ministries before
            and after 1 March 2025, the crosswalks between them, and the decision's
            indicators, targets and appendix tasks. Safe to run again: the result is the
            same warehouse.

            Example:
              chiso init --db /data/chiso.sqlite
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @Option(help: "The Datasets folder (default: $CHISO_DATASETS, else found above the working directory).")
    var datasets: String?
    @Option(help: "Output format: table, csv or json.") var format: OutputFormat = .table

    func run() throws {
        try reportingFailures {
            guard let folder = datasets ?? DatasetsFolder.locate() else {
                throw Failure("cannot find the Datasets folder: pass --datasets or set CHISO_DATASETS")
            }
            let summary = try initialise(try Warehouse(path: warehouse.path), datasets: folder)
            if format == .json { return printJSON(summary) }
            let rows = summary.units.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] }
                + [["crosswalk links", String(summary.crosswalkLinks)],
                   ["ward links left out (unit not in the tables)", String(summary.unmatchedWardLinks)],
                   ["indicators", String(summary.indicators)], ["targets", String(summary.targets)],
                   ["appendix tasks", String(summary.tasks)]]
            printRows(["what", "count"], rows, format: format)
        }
    }
}
