import ArgumentParser
import Foundation
import Logging
import Pipeline
import Warehouse

struct Nightly: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the nightly job from a YAML file: every step from ingest to simulate and report.",
        discussion: """
            The YAML names the warehouse (--db instead, or CHISO_DB when it names none),
            the indicator files to load (patterns with * allowed), and optional settings:
            registries (population, land, business files), registry_as_of,
            pseudonym_key_file, local_targets, max_age, datasets, forecast_years,
            base_year, scenarios, simulation (draws, seed), output, language, each_unit,
            excel, max_reject_rate.
            Paths are relative to the YAML file; Datasets/sample/pipeline.yaml documents
            each. A run's folder (<output>/run-<id>/) holds one warehouse's reports: a
            run of another warehouse (--db) into the same output is refused, not
            written over them.

            Steps: init; ingest:indicators, ingest:registries, ingest:local_targets (one
            per dataset); derive; freshness (with max_age: a dataset whose newest data
            is older is a warning, also in the report); aggregate; forecast; assess;
            simulate (with scenarios); report. A step whose input failed is skipped, with the reason; the steps
            that do not need it still run. Every step is recorded in the warehouse
            ('chiso runs') and in run.json beside the reports. Unchanged input files are
            skipped by content hash, and when nothing changed since the last computation
            (no file loaded, same catalogue, reference data and settings, same year and
            version of chiso), aggregate, forecast and assess are skipped as up to date
            (simulate too when its scenario files and settings are the same). When
            only files of observations were loaded, aggregate and forecast recompute
            just the indicators those files changed. --full recomputes everything.

            One writer at a time per warehouse, whatever the path to it: while another
            command writes (a nightly, an ingest, a --save), the run exits at once
            naming it, or waits for it with --wait SECONDS; no other writer gets in
            until the run ends, so its results and reports come from one state of the
            warehouse. A lock left by a killed command is taken over. SIGINT or SIGTERM stop the run after the file being loaded (each file
            is one transaction): the rest is skipped and recorded. Killed outright, a
            run leaves the warehouse as it was before the file it was loading.

            Log lines go to stderr (--quiet: warnings and errors only; --verbose: every
            file too; --log-format json: one JSON object per line); the report paths go
            to stdout.

            Exit codes: 0 every step succeeded; 1 a step failed or was skipped (the
            others still ran), or the run could not start (one line says why); 2
            completed with warnings (rows rejected under the threshold, no input
            matched: the report is written; the sample exits 2, since it spoils a few
            rows on purpose); 64 usage error; 130 and 143 stopped by SIGINT or SIGTERM
            after the file under way ('--retry' goes on from there).

            Examples:
              chiso nightly --config $CHISO_DATASETS/sample/pipeline.yaml
              chiso nightly --config $CHISO_DATASETS/sample/pipeline.yaml --retry
            """)

    @Option(help: "The pipeline file.") var config: String
    @Option(help: "The warehouse, a file or a postgresql:// URL, instead of the pipeline file's (default: its 'warehouse:', else $CHISO_DB).")
    var db: String?
    @Flag(help: "Rerun only the steps of the last run that failed, were skipped or never ran (it was killed).")
    var retry = false
    @Flag(help: "Recompute aggregate, forecast and assess even when no input changed.") var full = false
    @Flag(help: "Log only warnings and errors.") var quiet = false
    @Flag(help: "Log every file loaded too, with its counts and hash.") var verbose = false
    @Option(help: "Log lines as text or json (one object per line).") var logFormat: LogFormat = .text
    @OptionGroup var writer: WriterOptions

    func run() throws {
        try reportingFailures {
            let settings = try NightlyConfig.load(path: config, warehouse: db)
            StopRequest.install()
            let level: Logger.Level = quiet ? .warning : verbose ? .debug : .info
            let logger = Logger(label: "chiso.nightly") { [logFormat] label in
                StderrLogHandler(logLevel: level, format: logFormat, label: label)
            }
            let record = try runNightly(settings, retrying: retry, full: full, waitForLock: writer.wait, logger: logger,
                                        progress: quiet || logFormat == .json ? nil : ProgressLine.show)
            record.reports.forEach { print($0) }
            logger.log(level: record.status == .succeeded ? .info : record.status == .warnings ? .warning : .error,
                       "run \(record.run): \(record.status)")
            if let signal = StopRequest.signal {
                note("stopped by \(signal == SIGINT ? "SIGINT" : "SIGTERM") after the file under way; what was done is kept: "
                     + "'chiso nightly --config \(config) --retry' goes on from there")
                throw ExitCode(128 + signal)
            }
            switch record.status {
            case .failed: throw ExitCode.failure
            case .warnings: throw ExitCode(2)
            default: break
            }
        }
    }
}

struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the latest runs with the status of each step.",
        discussion: """
            Example:
              chiso runs --limit 5

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @Option(help: "How many runs, newest first.") var limit = 10
    @OptionGroup var output: PrintOptions

    func run() throws {
        try reportingFailures {
            let rows = try Warehouse(reading: warehouse.path).runs(limit: limit)
            let columns = ["id", "command", "status", "started_at", "finished_at", "output_dir", "steps"]
            printRows(columns, rows.map { row in columns.map { row[$0].text.map(Cell.text) ?? .whole(row[$0].int.map(Int.init)) } },
                      options: output, leaveOut: ["steps", "output_dir", "finished_at"])
        }
    }
}
