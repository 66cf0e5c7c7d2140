import ArgumentParser
import Foundation
import Warehouse

struct Rejects: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export the rejected rows of a load, each with its line, column, reason and raw text.",
        discussion: """
            Every load keeps its rejected rows, even when the file failed whole. Without
            --load, the latest load that rejected anything. Load ids are printed by
            'chiso ingest'.

            Examples:
              chiso rejects
              chiso rejects --load 1 --format csv

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @Option(help: "The load id (default: the latest load with rejects).") var load: Int?
    @OptionGroup var output: PrintOptions

    func run() throws {
        try reportingFailures {
            let store = try Warehouse(reading: warehouse.path)
            guard try store.readsEveryRow() else {
                throw Failure("this role does not see rejected rows (a rejected row has no unit chiso trusts, so no "
                              + "province's role reads them): list them as the warehouse's owner")
            }
            guard let id = try load ?? store.latestLoadWithRejects() else {
                return note("no load has rejected rows: nothing to list")
            }
            guard let file = try store.loadedFileName(load: id) else {
                throw Failure("no load \(id): see the load ids printed by 'chiso ingest'")
            }
            printRows(["load", "file", "line", "column", "error", "message", "raw"],
                      try store.rejects(load: id).map { reject in
                          [.integer(id), .text(file), .integer(reject.line), .string(reject.column), .text(reject.errorCode),
                           .text(reject.message), .string(reject.raw)]
                      }, options: output, leaveOut: ["raw", "load", "file"])
        }
    }
}
