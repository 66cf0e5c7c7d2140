import ArgumentParser
import Foundation
import Pipeline

struct Nightly: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the nightly job from a YAML file: init, ingest, forecast, assess, report.",
        discussion: """
            The YAML names the warehouse, the indicator files to load (patterns with * allowed), and optional
            settings: datasets, forecast_years, base_year, output, language, max_reject_rate. Paths are
            relative to the YAML file. Every step is recorded in the warehouse and in run.json beside the
            reports.

            Exit codes: 0 every step succeeded; 1 a step failed (the others still ran); 2 completed with
            warnings (rows rejected under the threshold, no input matched).

            Example:
              chiso nightly --config Datasets/sample/pipeline.yaml
            """)

    @Option(help: "The pipeline file.") var config: String
    @Flag(help: "Print only the report paths.") var quiet = false

    func run() throws {
        try reportingFailures {
            let settings = try NightlyConfig.load(path: config)
            let record = try runNightly(settings) { line in
                if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) }
            }
            record.reports.forEach { print($0) }
            if !quiet { FileHandle.standardError.write(Data("run \(record.run): \(record.status)\n".utf8)) }
            switch record.status {
            case "failed": throw ExitCode.failure
            case "warnings": throw ExitCode(2)
            default: break
            }
        }
    }
}
