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
              chiso init
              chiso init --db "$CHISO_DB"    # the same, into the warehouse CHISO_DB names

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var writer: WriterOptions
    @Option(help: "The Datasets folder (default: $CHISO_DATASETS, else found above the working directory).")
    var datasets: String?
    @OptionGroup var output: PrintOptions

    func run() throws {
        try reportingFailures {
            guard let folder = datasets ?? DatasetsFolder.locate() else {
                throw Failure("cannot find the Datasets folder: pass --datasets or set CHISO_DATASETS")
            }
            try DatasetsFolder.check(folder)
            try writer.lock(warehouse, command: "init")
            let summary = try initialise(try Warehouse(path: warehouse.path), datasets: folder)
            if output.format == .json { return printJSON(summary) }
            let rows: [[Cell]] = summary.units.sorted { $0.key < $1.key }.map { [.text($0.key), .integer($0.value)] }
                + [["crosswalk links", .integer(summary.crosswalkLinks)],
                   ["ward links left out (unit not in the tables)", .integer(summary.unmatchedWardLinks)],
                   ["indicators", .integer(summary.indicators)], ["targets", .integer(summary.targets)],
                   ["appendix tasks", .integer(summary.tasks)]]
            printRows(["what", "count"], rows, options: output)
        }
    }
}
