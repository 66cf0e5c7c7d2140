import ArgumentParser
import Foundation
import Pipeline
import Reference

@main
struct Chiso: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chiso",
        abstract: "Track the Digital Government targets of Decision 942/QĐ-TTg: load, forecast, assess, simulate, report.",
        discussion: """
            chiso keeps an SQLite warehouse (default ./chiso.sqlite; --db or CHISO_DB to
            change) with the administrative units before and after 1 July 2025, the
            decision's targets and tasks, and the indicator series you load.

            Typical use:
              chiso init
              chiso ingest Datasets/sample/synthetic/indicators.csv
              chiso aggregate && chiso forecast && chiso assess && chiso report
              chiso simulate --scenario Datasets/scenarios/lagging-provinces.yaml
              chiso nightly --config Datasets/sample/pipeline.yaml
            """,
        version: Program.version,
        subcommands: [Init.self, Units.self, Targets.self, Ingest.self, Rejects.self, Generate.self, Derive.self, Aggregate.self,
                      Forecast.self, Assess.self, Simulate.self, Report.self, Nightly.self, Runs.self]
    )
}

/// Options every command that touches the warehouse takes.
struct WarehouseOptions: ParsableArguments {
    @Option(name: .long, help: "The warehouse file (default: $CHISO_DB, else ./chiso.sqlite).")
    var db: String?

    var path: String { db ?? ProcessInfo.processInfo.environment["CHISO_DB"] ?? "chiso.sqlite" }
}

/// How results are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
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
        } catch {
            FileHandle.standardError.write(Data("chiso: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// The three candidates nearest to `value` by edit distance, ignoring case: for "did you mean".
func nearest(_ value: String, among candidates: [String]) -> [String] {
    let key = value.uppercased()
    return Array(candidates.sorted { (NameNormaliser.distance(key, $0.uppercased()), $0) < (NameNormaliser.distance(key, $1.uppercased()), $1) }
        .prefix(3))
}
