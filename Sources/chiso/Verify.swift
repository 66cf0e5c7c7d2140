import ArgumentParser
import Foundation
import Warehouse

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that the warehouse holds what chiso wrote: every table against its last seal.",
        discussion: """
            Every command that writes seals the tables it changed as it commits: their
            row count and a digest of every row. verify recomputes them and lists each
            table: intact, or changed outside chiso (the sqlite3 shell, an edited byte
            - which SQLite's own integrity_check does not notice). The nightly checks
            the same before it runs, and refuses a warehouse changed outside chiso.
            When a change was meant (a repair by hand), --accept seals the tables as
            they are now. SQLite's quick_check runs too.

            Exit codes: 0 every table as sealed; 1 a table changed outside chiso, or
            the file is damaged; 64 usage error.

            Examples:
              chiso verify
              chiso verify --format json
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var writer: WriterOptions
    @Flag(help: "Seal the tables as they are now: the change found was meant.") var accept = false
    @OptionGroup var output: PrintOptions

    func run() throws {
        try reportingFailures {
            if accept { try writer.lock(warehouse, command: "verify --accept") }
            let store = accept ? try Warehouse(path: warehouse.path, create: false) : try Warehouse(reading: warehouse.path)
            let check = try store.quickCheck()
            guard check == "ok" else {
                throw Failure("\(warehouse.path): the file is damaged (SQLite's quick_check: \(check)): restore it from a backup")
            }
            if accept {
                store.sealedBy = "chiso verify --accept"
                try store.seal()
            }
            let checks = try store.verify()
            printRows(["table", "status", "rows", "sealed_rows", "sealed_at", "sealed_by"], checks.map { check in
                [.text(check.table), .text(check.intact ? "intact" : "changed outside chiso"), .integer(check.rows),
                 .whole(check.sealed?.rows), .string(check.sealed?.at), .string(check.sealed?.command)]
            }, options: output, leaveOut: ["sealed_by", "sealed_at"])
            let changed = checks.filter { !$0.intact }
            if !changed.isEmpty {
                throw Failure("\(changed.count) \(changed.count == 1 ? "table was" : "tables were") changed outside chiso ("
                              + changed.map(\.table).joined(separator: ", ") + "): restore the warehouse from a backup, or "
                              + "'chiso verify --accept' if the change was meant")
            }
        }
    }
}
