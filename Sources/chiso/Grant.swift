import ArgumentParser
import Foundation
import Warehouse

struct Grant: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Let a province's role read a PostgreSQL warehouse, seeing only its own units' rows.",
        discussion: """
            Creates the role when missing (able to log in: set its password as the
            server's administrator does), lets it read every table (not the tables'
            partitions by province) and records the units it may see. The server's
            row-level security, part of the warehouse's schema, then shows the role
            the registry rows (people, parcels, enterprises) and the figures of the
            province's units as of 1 July 2025, of the units before the merger that
            lead into them (with the old provinces' districts), and the nation's and
            regions' figures, of registry figures only those the reports publish (not
            those of fewer than 10 people or enterprises, nor those that would reveal
            one), with the revisions of those rows and figures; no rejected
            rows or warnings (a rejected row's
            unit is not to be trusted). The stored forecasts, assessments and
            simulations of every nation, region, province and ministry stay readable
            (the national report shows them side by side); of districts and communes,
            only the province's own. The server enforces it for every program that
            connects as the role, not only chiso. The warehouse's owner, which the
            nightly runs as, sees everything: a role that owns the tables, is a
            superuser or may bypass row-level security is refused. Safe to run again;
            run it again after 'chiso init' brings new tables. Run again with another
            province, it moves the role there and says which it saw. --print writes the SQL
            instead of running it, for a DBA to review and run.

            An SQLite warehouse cannot do this: whoever can read the file reads all of it.
            CHISO_DB (or --db) names the server: postgresql://USER@HOST:PORT/DATABASE.

            \(exitCodes)

            Examples:
              chiso grant --db "$CHISO_DB" --role province_01 --province 01
              chiso grant --db "$CHISO_DB" --role province_79 --province 79 --print
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var writer: WriterOptions
    @Option(help: "The role to create or update (lower-case letters, digits and _).") var role: String
    @Option(help: "The province, by its code among the 34 of 1 July 2025 (e.g. 01, 79).") var province: String
    @Flag(help: "Print the SQL instead of running it.") var print = false

    func run() throws {
        try reportingFailures {
            if print {
                for statement in try Warehouse(reading: warehouse.path).grantSQL(role: role, province: province) {
                    Swift.print(statement + ";")
                }
                return
            }
            try writer.lock(warehouse, command: "grant")
            let (statements, before) = try Warehouse(path: warehouse.path, create: false).grant(role: role, province: province)
            Swift.print("\(role) reads the warehouse, seeing province \(province)'s units only (\(statements.count) statements run)")
            if let before { note("\(role) saw province \(before)'s units until now, and no longer does") }
        }
    }
}
