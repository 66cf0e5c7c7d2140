import ArgumentParser
import Foundation
import Pipeline
import Reference
import Warehouse

@main
struct Chiso: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chiso",
        abstract: "Track the Digital Government targets of Decision 942/QĐ-TTg: load, forecast, assess, simulate, report.",
        discussion: """
            chiso keeps a warehouse - an SQLite file (default ./chiso.sqlite), or a
            PostgreSQL database shared by many analysts (--db postgresql://USER@HOST/DB);
            --db or CHISO_DB to change - with the administrative units before and after
            1 July 2025, the decision's targets and tasks, and the series you load.

            The examples name the bundled files by $CHISO_DATASETS, the Datasets folder of
            the repository (export CHISO_DATASETS=/path/to/chiso/Datasets), so they run
            from any folder; the warehouse and Notebooks-output/ are made in the current
            one.

            Typical use:
              chiso init
              chiso ingest $CHISO_DATASETS/sample/synthetic/indicators.csv
              chiso aggregate --save && chiso forecast --save && chiso assess --save
              chiso report        # prints the path of report.html; open it in a browser
              chiso simulate --scenario $CHISO_DATASETS/scenarios/lagging-provinces.yaml
              chiso nightly --config $CHISO_DATASETS/sample/pipeline.yaml

            \(exitCodes)
            """,
        subcommands: [Init.self, Units.self, Targets.self, Ingest.self, Rejects.self, Generate.self, Derive.self, Aggregate.self,
                      Forecast.self, Assess.self, Simulate.self, Report.self, Nightly.self, Runs.self, Verify.self, Grant.self]
    )

    /// Stops cleanly on SIGINT and SIGTERM, suggests the nearest command for a typo, then runs the command.
    static func main() {
        Interruption.install()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--version"] {
            print(Program.version)
            Foundation.exit(0)
        }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        if let first = arguments.first, !first.hasPrefix("-"), !names.contains(first) {
            note("unknown command '\(first)'; did you mean '\(nearest(first, among: names)[0])'? ('chiso --help' lists them)")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        main(nil)
    }
}

/// SIGINT (Ctrl-C) and SIGTERM end any command at once with 130 or 143 and one line. SQLite rolls back the
/// transaction that was open (the file being loaded, the results being stored), as after a crash; what was
/// committed before it stays. `nightly` installs its own handlers, which finish the file under way first.
enum Interruption {
    static func install() {
        for number in [SIGINT, SIGTERM] {
            signal(number) { received in
                let message: StaticString = received == SIGINT
                    ? "chiso: stopped by SIGINT: the work under way is rolled back; what was committed before it is kept ('chiso runs' shows the runs)\n"
                    : "chiso: stopped by SIGTERM: the work under way is rolled back; what was committed before it is kept ('chiso runs' shows the runs)\n"
                _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
                _exit(128 + received)
            }
        }
    }
}

/// The exit codes, as every command's help states them (`nightly` adds 2).
let exitCodes = """
    Exit codes: 0 done; 1 failed, with one line on stderr naming the file, line
    and field at fault; 64 usage error (an unknown option, command or value, with
    the nearest); 130 and 143 stopped by Ctrl-C (SIGINT) or SIGTERM, the work
    under way rolled back.
    """

/// Options every command that touches the warehouse takes.
struct WarehouseOptions: ParsableArguments {
    @Option(name: .long, help: "The warehouse: a file, or a PostgreSQL server's postgresql:// URL (default: $CHISO_DB, else ./chiso.sqlite).")
    var db: String?

    /// --db, else $CHISO_DB when set to something, else ./chiso.sqlite.
    var path: String { db ?? ProcessInfo.processInfo.environment["CHISO_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "chiso.sqlite" }
}

/// For a command that writes: one writer at a time per warehouse (`WriterLock`), waiting for another or not.
struct WriterOptions: ParsableArguments {
    @Option(help: "When another command is writing to the warehouse, wait up to this many seconds for it (default: refuse at once).")
    var wait: Double = 0

    func validate() throws {
        guard wait >= 0 else { throw ValidationError("--wait must be 0 or more seconds") }
    }

    /// Takes the warehouse's writer lock for `command`, held until the process exits (then released, its
    /// lock file emptied: only a killed command leaves its line there), or throws naming the command that
    /// holds it.
    func lock(_ warehouse: WarehouseOptions, command: String) throws {
        Self.held = try WriterLock(warehouse: warehouse.path, holder: "chiso " + command, wait: wait) { note($0) }
        atexit { WriterOptions.held = nil }
        Warehouse.writer = "chiso " + command
    }

    nonisolated(unsafe) private static var held: WriterLock?
}

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// A value on the command line that names nothing (an indicator, unit, target, method, agency): one line on
/// stderr with the nearest candidates, exit code 64 as for any usage error.
struct UsageFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }

    /// Prints the line and gives the exit code, for `validate()`, where a `ValidationError` would add the usage.
    func reported() -> ExitCode {
        note(message)
        return .validationFailure
    }
}

/// A failure the user can act on: printed as one line on stderr, exit code 1.
struct Failure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

extension ParsableCommand {
    /// Runs `body`, turning any error into one line on stderr and exit code 1.
    func reportingFailures(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch let error as UsageFailure {
            FileHandle.standardError.write(Data("chiso: \(error)\n".utf8))
            throw ExitCode.validationFailure
        } catch let error as NSError where [NSCocoaErrorDomain, NSPOSIXErrorDomain].contains(error.domain) {
            // A file system error Foundation raised: the file and the reason in words, not the error's dump.
            let file = error.userInfo[NSFilePathErrorKey] as? String ?? (error.userInfo[NSURLErrorKey] as? URL)?.path
            FileHandle.standardError.write(Data("chiso: \(file.map { $0 + ": " } ?? "")\(error.localizedDescription)\n".utf8))
            throw ExitCode.failure
        } catch {
            FileHandle.standardError.write(Data("chiso: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// The three candidates nearest to `value` by edit distance, ignoring case, to the whole candidate or to its
/// start (a value cut short, "progres", is nearest to what it begins): for "did you mean".
func nearest(_ value: String, among candidates: [String]) -> [String] {
    let key = value.uppercased()
    func distance(_ candidate: String) -> Int {
        let upper = candidate.uppercased()
        return min(NameNormaliser.distance(key, upper), NameNormaliser.distance(key, String(upper.prefix(key.count))))
    }
    return Array(candidates.sorted { (distance($0), $0) < (distance($1), $1) }.prefix(3))
}

/// A line on stderr about what a command did (stdout holds the results only).
func note(_ text: String) {
    FileHandle.standardError.write(Data("chiso: \(text)\n".utf8))
}
