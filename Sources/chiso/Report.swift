import ArgumentParser
import Foundation
import Pipeline
import Reports
import Warehouse

extension ReportLanguage: ExpressibleByArgument {}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the reports of the latest assessment: CSV, SDMX-CSV and self-contained HTML.",
        discussion: """
            Writes into <output>/run-<id>/ and prints the paths:
              scorecard.csv      every target in every unit, by every method
              series.csv         observations and forecasts, tidy
              scenarios.csv      the latest simulation's results beside their baselines
              rejects.csv        every rejected row with its reason
              tasks.csv          the appendix tasks by the agency leading them now,
                                 overdue first, then those with no status report
              observations.sdmx.csv, forecasts.sdmx.csv
                                 SDMX-CSV 2.0, dataflows CHISO:DG942_OBS(1.0) and
                                 CHISO:DG942_FORECAST(1.0); the first reads back with
                                 'chiso ingest --sdmx'
              report.html        the national report: a first page with what produced
                                 it and a summary, the overview by clause, units x
                                 targets matrix, trend charts, maps, scenarios,
                                 tasks, data quality, methods
              README.txt         what produced the files (runs, settings, data
                                 dates, version) and what each one holds
            Each file is written whole under a temporary name, then renamed; the
            folder holds INCOMPLETE until every file is in place, and only then does
            <output>/latest link to it (a kill or a full disk leaves the folder
            marked and latest on the last complete run; a full disk names the file
            and the space it needed).
            CSVs are RFC 4180 in UTF-8 (--excel adds a byte-order mark) and text that
            a spreadsheet would run as a formula is neutralised. The HTML needs
            nothing from the network and prints on A4. A registry figure that shows
            or reveals fewer than 10 people or enterprises - a count, a share of
            fewer, a share whose numerator or complement is below 10 (5 of 509) - is
            shown as <10, with the sibling that would reveal it.

            Examples:
              chiso report
              chiso report --lang en --each-unit --excel
              chiso report --unit "Lạng Sơn"

            \(exitCodes)
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @OptionGroup var writer: WriterOptions
    @Option(help: "Folder under which the run's folder is made.") var output = "Notebooks-output"
    @Option(help: "Report language: vi or en.") var lang: ReportLanguage = .vi
    @Flag(help: "Also write one page per unit under units/, with an index.") var eachUnit = false
    @Option(help: "Write only this unit's page (a code or a name).") var unit: String?
    @Flag(help: "Start every CSV with a byte-order mark, for Excel.") var excel = false

    func run() throws {
        try reportingFailures {
            try writer.lock(warehouse, command: "report")
            let store = try Warehouse(path: warehouse.path, create: false)
            guard try store.assessments() != nil else { throw Failure("nothing assessed yet: run 'chiso assess --save' first") }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: output, isDirectory: &isFolder), !isFolder.boolValue {
                throw Failure("\(output) is a file: --output names the folder under which run-<id>/ is made")
            }
            let context = RunContext(store)
            let runID = try context.startRun(command: "report")
            let directory = output + "/run-\(runID)"
            let options = ReportOptions(language: lang, eachUnit: eachUnit, unit: unit, excel: excel)
            let paths = try reportStep(context, directory: directory, options: options)
            try store.finishRun(runID, status: .succeeded, outputDirectory: directory)
            try RunFolder.complete(directory, pointingLatest: unit == nil)
            paths.forEach { print($0) }
        }
    }
}
