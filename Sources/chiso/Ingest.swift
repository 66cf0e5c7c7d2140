import ArgumentParser
import Foundation
import Ingest
import Reference
import Warehouse

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load indicator files, registry extracts, local targets or task status updates, validating every row.",
        discussion: """
            Each file is validated row by row; every problem is reported, with line,
            column and what to do. The valid rows of a file load together in one
            transaction, or none do when more than --max-reject-rate of its rows are
            rejected. A file already loaded (same content) is skipped. Units are codes
            or names, read in the version in force at the end of the period.

            With --registry population|land|business the files are registry extracts,
            one row per record (columns in Datasets/schemas/README.md), read as of
            --as-of (default today): unit codes in the version in force that day, no
            date after it. They stream through in constant memory; duplicate keys within
            the file are rejected, a key already in the warehouse is updated (its
            earlier values kept as a revision) unless a field that never changes differs
            (birth date, sex, registration date). Citizen IDs are replaced by
            HMAC-SHA256 pseudonyms keyed by --pseudonym-key-file or
            $CHISO_PSEUDONYM_KEY; without a key, population files are refused. Rejected
            lines are kept with ID numbers masked. On a terminal, long loads show rows,
            rows/s and time left.

            With --local-targets the files are targets a ministry or province set in its
            own plan: indicator, unit, comparator (>=, <=, ==), threshold, deadline,
            source (the plan), optionally id, text_vi, text_en. They are assessed like
            the decision's, for their one unit, labelled with their source.

            With --sdmx the files are SDMX-CSV 1.0 or 2.x: columns by header name
            (INDICATOR, REF_AREA, TIME_PERIOD, OBS_VALUE), ACTION honoured (D deletes,
            keeping a revision).

            With --task-status the files are status updates of the appendix tasks: task
            (an id such as I.1), status (not_started, in_progress, completed, delayed,
            cancelled, or the Vietnamese wording), date (YYYY-MM-DD, not in the future),
            note.

            With --statistics-office-table CODE the files are tables as downloaded from
            the statistics office, reshaped to long form as indicator CODE. The header
            is found by the table's structure (labels above rows of a name and numbers):
            years as columns ("2016", "Năm 2016", "Sơ bộ 2016", "Total Prel. 2016",
            "2016 (*) Average population (Thous. pers.)"), on one header row or two;
            measures as columns with the year in the title ("... năm 2024") or
            --period; or one row per unit and year (a "Year"/"Năm" column). Title and
            footnote lines are skipped; national and regional rows load as their
            units. A table of several measures (Total, Male,
            Female; area, population, density) needs --measure NAME, or several
            --measure NAME=INDICATOR. "Thous."/"Nghìn" multiply by 1000; a measure in
            km2, per km2, % or money is refused for a count. Read and rejected counts
            are cells.

            Any indicator file may be CSV (',' ';' or tab; UTF-8 with or without BOM,
            or UTF-16 "Unicode text") or an .xlsx workbook (--sheet NAME or number).
            Decimal commas are recognised ("45,8"; "101.343,9"); when a file could be
            read both ways, --decimal decides; when every share lies within 0 and 1
            (0.458: 45.8% or 0.458%?), --shares fraction or --shares percent does. In
            every format an empty value, "..", "...", "-", "x", "NA", "#N/A" or "NaN"
            means missing, and the summary's "missing" counts them. A share outside 0-100, a negative count, a period
            that begins after --as-of (default today), a field holding a control
            character (NUL, ...) or longer than 64 KiB are rejected. A file that ends
            without a line break gets a warning, and its last row is rejected when a
            number there has fewer decimals than the rest of its column (cut short).
            Codes and names are read in the version in force at each period's end; a
            file whose provinces look like the 34 of 2025 with periods before July
            2025 is refused until --units 2025 (figures for the new provinces) or
            --units pre2025 says which.

            Exit code: 0 when every file loaded (rejected rows under the threshold are
            listed), 1 when a file failed.

            Examples:
              chiso ingest $CHISO_DATASETS/sample/synthetic/indicators.csv
              chiso ingest --dry-run --format json \\
                $CHISO_DATASETS/schemas/indicators-example.csv
              chiso ingest --statistics-office-table POPULATION --dry-run \\
                $CHISO_DATASETS/schemas/statistics-office-example.csv
              chiso ingest --local-targets $CHISO_DATASETS/sample/local-targets.csv
              chiso ingest --task-status $CHISO_DATASETS/sample/task-status.csv
              chiso ingest --sdmx $CHISO_DATASETS/schemas/sdmx-example.csv
              chiso ingest --registry population --as-of 2024-12-31 \\
                --pseudonym-key-file ~/.chiso.key \\
                $CHISO_DATASETS/sample/synthetic/population.csv
              chiso ingest --registry land --as-of 2024-12-31 \\
                $CHISO_DATASETS/sample/synthetic/land.csv
              chiso ingest --registry business --as-of 2024-12-31 \\
                $CHISO_DATASETS/sample/synthetic/business.csv

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var writer: WriterOptions
    @Argument(help: "The files to load: indicator files (CSV or .xlsx) unless an option below names another kind.")
    var files: [String]
    @Option(help: "Largest share of rejected rows a file may have and still load (0-1).") var maxRejectRate = 0.05
    @Flag(help: "Validate and report, write nothing.") var dryRun = false
    @Option(help: "The files are statistics-office table exports of this indicator.") var statisticsOfficeTable: String?
    @Option(help: "With --statistics-office-table: a measure to load (\"Total\"), or NAME=INDICATOR; repeatable.")
    var measure: [String] = []
    @Option(help: "With --statistics-office-table: the year of a table whose columns carry none.") var period: String?
    @Option(help: "The version of the files' codes and names: pre2025 or 2025 (default: in force at each period's end).")
    var units: UnitVersion?
    @Option(help: "The decimal mark of the files' numbers: point or comma (default: recognised).")
    var decimal: DecimalMark?
    @Option(help: "How the files write a percentage: percent (45.8) or fraction (0.458) (default: percent, refusing a file whose every share lies within 0-1).")
    var shares: ShareScale?
    @Option(help: "The sheet of an .xlsx workbook: a name or a number (default: the first).") var sheet: String?
    @Flag(help: "The files are local plans' targets (indicator, unit, comparator, threshold, deadline, source).")
    var localTargets = false
    @Flag(help: "The files are status updates of the appendix tasks (task, status, date, note).")
    var taskStatus = false
    @Flag(help: "The files are SDMX-CSV (1.0 with DATAFLOW, or 2.x with STRUCTURE, STRUCTURE_ID, ACTION).")
    var sdmx = false
    @Option(help: "The files are extracts of this registry: population, land or business.") var registry: Registry?
    @Option(help: "The day a registry extract describes; no period may begin after it (YYYY-MM-DD; default today).")
    var asOf: String?
    @Option(help: "File holding the key of citizen ID pseudonyms (default: $CHISO_PSEUDONYM_KEY).")
    var pseudonymKeyFile: String?
    @OptionGroup var output: PrintOptions

    func validate() throws {
        guard (0...1).contains(maxRejectRate) else { throw ValidationError("--max-reject-rate must be within 0 and 1") }
        if statisticsOfficeTable == nil && (!measure.isEmpty || period != nil) {
            throw ValidationError("--measure and --period go with --statistics-office-table")
        }
        if let period, Period(period) == nil { throw ValidationError("--period must be YYYY, YYYY-Qn or YYYY-MM") }
        if let asOf, Period.calendarDate(asOf) == nil { throw ValidationError("--as-of must be a date, YYYY-MM-DD") }
    }

    func run() throws {
        try reportingFailures {
            if !dryRun { try writer.lock(warehouse, command: "ingest") }
            // A dry run reads, but of registry extracts: those are merged beside the stored records in a
            // transaction it rolls back.
            let store = dryRun && registry == nil ? try Warehouse(reading: warehouse.path)
                : try Warehouse(path: warehouse.path, create: false)
            let indicators = try store.indicators()
            guard !indicators.isEmpty else { throw Failure("the warehouse has no catalogue: run 'chiso init' first") }
            var loader = IndicatorFileLoader(warehouse: store, units: try store.unitDirectory(),
                                             indicators: indicators)
            loader.maxRejectRate = maxRejectRate
            loader.dryRun = dryRun
            loader.unitsVersion = units
            loader.decimalMark = decimal
            loader.shares = shares
            loader.sheet = sheet
            if let asOf { loader.asOf = asOf }
            var summaries: [(summary: LoadSummary, rejects: [RejectedRow])] = []
            var failed = false
            for file in files {
                let (summary, rejects): (LoadSummary, [RejectedRow])
                do {
                    (summary, rejects) = try load(file, store: store, loader: loader, indicators: indicators)
                } catch let error as SQLiteError {
                    throw Failure("\(file): not loaded, the warehouse is as it was before it: \(error)")
                } catch let error as PostgresError {
                    // A connection lost mid-load: the server rolls the file's transaction back.
                    throw Failure("\(file): not loaded, the warehouse is as it was before it: \(error)")
                }
                ProgressLine.finish()
                summaries.append((summary, rejects))
                failed = failed || summary.status == .failed
                if output.format == .table {
                    for reject in rejects.prefix(20) {
                        FileHandle.standardError.write(Data(
                            "\(file):\(reject.line) [\(reject.column ?? "-")] \(reject.errorCode): \(reject.message)\n".utf8))
                    }
                    if rejects.count > 20 {
                        FileHandle.standardError.write(Data("… \(rejects.count - 20) more (chiso keeps them all)\n".utf8))
                    }
                    if !summary.rejectedByReason.isEmpty {
                        let reasons = summary.rejectedByReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
                            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                        FileHandle.standardError.write(Data("\(file): rejected by reason: \(reasons)\n".utf8))
                    }
                }
            }
            if output.format == .json {
                // Each file's summary with every rejected row (in a dry run too, where nothing is stored).
                printJSON(summaries.map { IngestResult(summary: $0.summary, rejects: $0.rejects) })
            } else {
                // A table keeps the counts; the message, which says what was (or would be) loaded, follows whole.
                let withMessage = output.format == .csv
                printRows(["file", "status", "read", "loaded", "updated", "unchanged", "rejected", "missing", "load"]
                            + (withMessage ? ["message"] : []),
                          summaries.map(\.summary).map { s in
                              [.text(s.file), .text(s.status.rawValue), .integer(s.read), .integer(s.loaded), .integer(s.updated),
                               .integer(s.unchanged), .integer(s.rejected), .integer(s.missing), .whole(s.loadID)]
                                  + (withMessage ? [.string(s.message)] : [])
                          }, options: output)
                if !withMessage {
                    for summary in summaries.map(\.summary) where summary.message != nil {
                        print("\(summary.file): \(summary.message ?? "")")
                    }
                }
            }
            if failed { throw ExitCode.failure }
        }
    }

    private func load(_ file: String, store: Warehouse, loader: IndicatorFileLoader,
                      indicators: [String: Indicator]) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        if let registry {
            return try registryLoader(store, registry, units: loader.units).load(path: file)
        } else if taskStatus {
            var tasks = TaskStatusLoader(warehouse: store)
            tasks.maxRejectRate = maxRejectRate
            tasks.dryRun = dryRun
            return try tasks.load(path: file, today: Clock.today())
        } else if sdmx {
            return try loader.loadSDMX(path: file)
        } else if localTargets {
            var targets = LocalTargetLoader(warehouse: store, units: loader.units, indicators: indicators)
            targets.dryRun = dryRun
            return try targets.load(path: file)
        } else if let statisticsOfficeTable {
            return try loader.loadStatisticsOfficeTable(path: file, indicator: statisticsOfficeTable,
                                                        measures: measure.map(MeasureChoice.init), period: period)
        }
        return try loader.load(path: file)
    }

    private func registryLoader(_ store: Warehouse, _ registry: Registry, units: UnitDirectory) throws -> RegistryLoader {
        let pseudonymiser = registry == .population ? try Pseudonymiser.fromKeyFile(pseudonymKeyFile) : nil
        var loader = try RegistryLoader(warehouse: store, units: units, registry: registry,
                                        asOf: asOf ?? Clock.today(), pseudonymiser: pseudonymiser)
        loader.maxRejectRate = maxRejectRate
        loader.dryRun = dryRun
        if output.format == .table { loader.progress = ProgressLine.show }
        return loader
    }
}

/// What `ingest --format json` prints per file: the summary's fields, then `rejects`, each rejected row with
/// its line, column, code and message (`Datasets/schemas/ingest.json.md`).
struct IngestResult: Encodable {
    let summary: LoadSummary
    let rejects: [RejectedRow]

    struct Reject: Encodable {
        let line: Int
        let column: String?
        let code: String
        let message: String

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(line, forKey: .line)
            try c.encode(column, forKey: .column)
            try c.encode(code, forKey: .code)
            try c.encode(message, forKey: .message)
        }

        enum CodingKeys: String, CodingKey { case line, column, code, message }
    }

    enum CodingKeys: String, CodingKey { case rejects }

    func encode(to encoder: Encoder) throws {
        try summary.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rejects.map { Reject(line: $0.line, column: $0.column, code: $0.errorCode, message: $0.message) },
                     forKey: .rejects)
    }
}

extension Registry: ExpressibleByArgument {}
extension UnitVersion: ExpressibleByArgument {}
extension DecimalMark: ExpressibleByArgument {}
extension ShareScale: ExpressibleByArgument {}

/// A progress line on stderr for long loads - rows, rows/s, time left - only when stderr is a terminal.
enum ProgressLine {
    nonisolated(unsafe) private static var shown = false
    private static let isTerminal = isatty(STDERR_FILENO) == 1

    static func show(_ progress: LoadProgress) {
        guard isTerminal else { return }
        shown = true
        let seconds = max(progress.seconds, 1e-3)
        let rate = Double(progress.rows) / seconds
        let left = progress.bytesRead > 0 && progress.fileBytes > progress.bytesRead
            ? seconds * Double(progress.fileBytes - progress.bytesRead) / Double(progress.bytesRead) : 0
        FileHandle.standardError.write(Data(String(format: "\r%12d rows  %9.0f rows/s  %5.0f s left ",
                                                   progress.rows, rate, left).utf8))
    }

    /// Clears the line after a file.
    static func finish() {
        guard isTerminal, shown else { return }
        shown = false
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
