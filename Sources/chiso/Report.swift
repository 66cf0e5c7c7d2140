import ArgumentParser
import Foundation
import Pipeline
import Reports
import Warehouse

extension ReportLanguage: ExpressibleByArgument {}

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write scorecard.csv and a self-contained report.html from the latest assessment.",
        discussion: """
            Writes into <output>/run-<id>/ and prints the paths. The HTML needs nothing
            from the network.

            Example:
              chiso report --output Notebooks-output --lang en
            """)

    @OptionGroup var warehouse: WarehouseOptions
    @Option(help: "Folder under which the run's folder is made.") var output = "Notebooks-output"
    @Option(help: "Report language: vi or en.") var lang: ReportLanguage = .vi

    func run() throws {
        try reportingFailures {
            let store = try Warehouse(path: warehouse.path)
            guard try store.assessments() != nil else { throw Failure("nothing assessed yet: run 'chiso assess' first") }
            let runID = try store.startRun(command: "report")
            let directory = output + "/run-\(runID)"
            let paths = try reportStep(store, runID: runID, directory: directory, language: lang)
            try store.finishRun(runID, status: "succeeded", outputDirectory: directory)
            paths.forEach { print($0) }
        }
    }
}
