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
            let store = try Warehouse(path: warehouse.path, create: false)
            guard let id = try load ?? store.db.scalar("SELECT max(load_id) FROM reject").int.map(Int.init) else {
                return note("no load has rejected rows: nothing to list")
            }
            guard let file = try store.db.scalar("SELECT file FROM load WHERE id = ?", [id]).text else {
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
