import ArgumentParser
import Foundation
import Pipeline
import Warehouse

struct Derive: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn the loaded registries into indicator observations by unit and year.",
        discussion: """
            Reads each registry as of its latest load and stores, by commune (or
            province for enterprises):
              POPULATION            active residents
              DIGITAL_ID_L2_SHARE   residents with a level-2 digital identity
                                    (target III.4.a), each year since the first
                                    registration
              EINVOICE_SHARE        active enterprises using e-invoices (target
                                    III.4.l), each year since the first adoption
                                    when every user has e_invoice_since
              LAND_DIGITISED_SHARE  parcels with a digitised record (appendix
                                    task on the land database)
              LAND_CERTIFIED_SHARE  parcels with a land-use-right certificate
              NEW_ENTERPRISES       enterprises registered in each complete year
            Shares carry numerator and denominator, so 'chiso aggregate' rolls them up
            to districts, provinces, regions and the nation. The observations load like
            a file (changed values keep their earlier ones as revisions); the load is
            listed with dataset "derived".

            Example:
              chiso ingest --registry population --as-of 2024-12-31 \\
                $CHISO_DATASETS/sample/synthetic/population.csv
              chiso derive && chiso aggregate

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var writer: WriterOptions
    @OptionGroup var output: PrintOptions

    func run() throws {
        try reportingFailures {
            try writer.lock(warehouse, command: "derive")
            let summary = try deriveStep(RunContext(try Warehouse(path: warehouse.path, create: false)))
            if output.format == .json {
                printJSON(summary)
            } else {
                printRows(["source", "status", "observations", "new", "revised", "unchanged", "load", "message"],
                          [[.text(summary.file), .text(summary.status.rawValue), .integer(summary.read), .integer(summary.loaded),
                            .integer(summary.updated), .integer(summary.unchanged), .whole(summary.loadID),
                            .string(summary.message)]], options: output)
            }
        }
    }
}
