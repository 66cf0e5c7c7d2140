import Foundation
import Ingest
import Reference
import Reports
import Warehouse
import Yams

/// The nightly job's settings, read from YAML. Relative paths are relative to the file's folder.
public struct NightlyConfig: Decodable, Sendable {
    /// The warehouse file.
    public var warehouse: String
    /// The `Datasets/` folder with the reference tables and the catalogue (default: located as for `init`).
    public var datasets: String?
    /// File patterns of tidy indicator CSVs to ingest, e.g. `sample/synthetic/indicators.csv`.
    public var indicators: [String]
    /// Registry extracts to load, by registry (`population`, `land`, `business`), then derive indicators from.
    public var registries: [String: String]?
    /// The day the registry extracts describe (YYYY-MM-DD; default today).
    public var registryAsOf: String?
    /// File holding the pseudonym key for citizen IDs (default: `$CHISO_PSEUDONYM_KEY`).
    public var pseudonymKeyFile: String?
    /// File patterns of local plans' targets to load (optional).
    public var localTargets: [String]?
    /// Years to forecast to (default: the targets' deadlines).
    public var forecastYears: [Int]?
    /// Base year of the progress measure (default 2020, the year before the decision).
    public var baseYear: Int?
    /// Folder under which each run writes `run-<id>/` (default `Notebooks-output`).
    public var output: String?
    /// Report language, `vi` (default) or `en`.
    public var language: String?
    /// Largest share of rejected rows a file may have and still load (default 0.05).
    public var maxRejectRate: Double?

    enum CodingKeys: String, CodingKey {
        case warehouse, datasets, indicators, registries, registryAsOf = "registry_as_of",
             pseudonymKeyFile = "pseudonym_key_file", localTargets = "local_targets", forecastYears = "forecast_years",
             baseYear = "base_year", output, language, maxRejectRate = "max_reject_rate"
    }

    /// Reads `path`, resolving relative paths against its folder.
    public static func load(path: String) throws -> NightlyConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError(file: path, message: "cannot read the configuration file")
        }
        var config: NightlyConfig
        do {
            config = try YAMLDecoder().decode(NightlyConfig.self, from: text)
        } catch let DecodingError.keyNotFound(key, _) {
            throw InputError(file: path, column: key.stringValue, message: "required setting is missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            throw InputError(file: path, column: context.codingPath.map(\.stringValue).joined(separator: "."),
                             message: context.debugDescription)
        } catch {
            throw InputError(file: path, message: "\(error)")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ value: String) -> String {
            value.hasPrefix("/") ? value : base.appendingPathComponent(value).standardizedFileURL.path
        }
        config.warehouse = resolve(config.warehouse)
        config.datasets = config.datasets.map(resolve)
        config.indicators = config.indicators.map(resolve)
        config.localTargets = config.localTargets?.map(resolve)
        config.registries = config.registries?.mapValues(resolve)
        config.pseudonymKeyFile = config.pseudonymKeyFile.map(resolve)
        for name in (config.registries ?? [:]).keys where Registry(rawValue: name) == nil {
            throw InputError(file: path, column: "registries.\(name)", message: "not a registry: use population, land or business")
        }
        if let day = config.registryAsOf, Period.calendarDate(day) == nil {
            throw InputError(file: path, column: "registry_as_of", message: "'\(day)' is not a day written YYYY-MM-DD")
        }
        config.output = config.output.map(resolve)
        if let language = config.language, ReportLanguage(rawValue: language) == nil {
            throw InputError(file: path, column: "language", message: "'\(language)' is not vi or en")
        }
        return config
    }
}

/// The outcome of one step of a run.
public struct StepRecord: Codable, Equatable, Sendable {
    public let step: String
    public let status: String
    public let startedAt: String
    public let seconds: Double
    public let detail: String
}

/// The record of a nightly run, written as `run.json` beside its reports.
public struct RunRecord: Codable, Sendable {
    public let run: Int
    public var status: String
    public var steps: [StepRecord]
    public var loads: [LoadSummary]
    public var outputDirectory: String
    public var reports: [String]
}

/// Runs init, ingest, derive (when registries are configured), aggregate, forecast, assess and report in order
/// under one run id, and writes `run.json`.
/// A file that fails to load marks the run "failed" and the rest still runs on what the warehouse holds.
public func runNightly(_ config: NightlyConfig, log: (String) -> Void = { _ in }) throws -> RunRecord {
    guard let datasets = config.datasets ?? DatasetsFolder.locate() else {
        throw InputError(file: "Datasets", message: "cannot find the Datasets folder; set 'datasets' or CHISO_DATASETS")
    }
    let warehouse = try Warehouse(path: config.warehouse)
    let runID = try warehouse.startRun(command: "nightly")
    let output = (config.output ?? "Notebooks-output") + "/run-\(runID)"
    var record = RunRecord(run: runID, status: "succeeded", steps: [], loads: [], outputDirectory: output, reports: [])
    func step(_ name: String, _ body: () throws -> String) {
        let started = Date()
        let startedAt = Warehouse.timestamp(started)
        var status = "succeeded"
        var detail: String
        do { detail = try body() } catch {
            status = "failed"
            detail = "\(error)"
            record.status = "failed"
        }
        if detail.hasPrefix("warning: ") && status == "succeeded" { status = "warnings" }
        let seconds = Date().timeIntervalSince(started)
        record.steps.append(StepRecord(step: name, status: status, startedAt: startedAt, seconds: seconds, detail: detail))
        try? warehouse.recordStep(run: runID, step: name, status: status, startedAt: startedAt, duration: seconds,
                                  detail: detail)
        log("\(name): \(status) - \(detail)")
    }
    step("init") {
        let summary = try initialise(warehouse, datasets: datasets)
        return "\(summary.units.values.reduce(0, +)) units, \(summary.targets) targets, \(summary.tasks) tasks"
    }
    step("ingest") {
        let files = config.indicators.flatMap(expandPattern)
        guard !files.isEmpty else { return "warning: no input file matched " + config.indicators.joined(separator: ", ") }
        var loader = IndicatorFileLoader(warehouse: warehouse, units: try ReferenceStore.directory(from: warehouse.db),
                                         indicators: Set(try CatalogueStore.indicators(in: warehouse.db).keys))
        loader.maxRejectRate = config.maxRejectRate ?? loader.maxRejectRate
        var failed: [String] = []
        for file in files {
            let (summary, _) = try loader.load(path: file)
            record.loads.append(summary)
            if summary.status == "failed" { failed.append("\(file): \(summary.message ?? "")") }
        }
        for (name, file) in (config.registries ?? [:]).sorted(by: { $0.key < $1.key }) {
            let registry = Registry(rawValue: name)!
            var registryLoader = try RegistryLoader(
                warehouse: warehouse, units: loader.units, registry: registry,
                asOf: config.registryAsOf ?? UnitDirectory.today(),
                pseudonymiser: registry == .population ? try Pseudonymiser.fromKeyFile(config.pseudonymKeyFile) : nil)
            registryLoader.maxRejectRate = loader.maxRejectRate
            let (summary, _) = try registryLoader.load(path: file)
            record.loads.append(summary)
            if summary.status == "failed" { failed.append("\(file): \(summary.message ?? "")") }
        }
        let targetLoader = LocalTargetLoader(warehouse: warehouse, units: loader.units,
                                             indicators: try CatalogueStore.indicators(in: warehouse.db))
        for file in (config.localTargets ?? []).flatMap(expandPattern) {
            let (summary, _) = try targetLoader.load(path: file)
            record.loads.append(summary)
            if summary.status == "failed" { failed.append("\(file): \(summary.message ?? "")") }
        }
        if !failed.isEmpty { throw NightlyFailure(message: failed.joined(separator: "; ")) }
        let rejected = record.loads.map(\.rejected).reduce(0, +)
        let skipped = record.loads.filter { $0.status == "skipped" }.count
        let text = "\(record.loads.count) files (\(skipped) unchanged, skipped), "
            + "\(record.loads.map(\.loaded).reduce(0, +)) rows loaded, \(record.loads.map(\.updated).reduce(0, +)) revised"
        return rejected > 0 ? "warning: \(text), \(rejected) rejected" : text
    }
    if config.registries != nil {
        step("derive") {
            let summary = try deriveStep(warehouse)
            return "\(summary.read) observations from the registries (\(summary.loaded) new, \(summary.updated) revised)"
        }
    }
    step("aggregate") {
        let summary = try aggregateStep(warehouse, runID: runID)
        return summary.derived.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    }
    step("forecast") {
        let result = try forecastStep(warehouse, runID: runID, years: config.forecastYears ?? [])
        return "\(result.series) series, \(result.forecasts) forecasts"
    }
    step("assess") {
        "\(try assessStep(warehouse, runID: runID, baseYear: config.baseYear ?? 2020)) assessments"
    }
    step("report") {
        record.reports = try reportStep(warehouse, runID: runID, directory: output,
                                        language: ReportLanguage(rawValue: config.language ?? "vi") ?? .vi)
        return record.reports.joined(separator: ", ")
    }
    if record.status == "succeeded" && record.steps.contains(where: { $0.status == "warnings" }) {
        record.status = "warnings"
    }
    try warehouse.finishRun(runID, status: record.status, outputDirectory: output)
    try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(record).write(to: URL(fileURLWithPath: output + "/run.json"))
    return record
}

struct NightlyFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// The files matching a pattern whose last component may hold `*` and `?`, sorted.
func expandPattern(_ pattern: String) -> [String] {
    let url = URL(fileURLWithPath: pattern)
    let folder = url.deletingLastPathComponent().path
    let name = url.lastPathComponent
    guard name.contains("*") || name.contains("?") else {
        return FileManager.default.fileExists(atPath: pattern) ? [pattern] : []
    }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return entries.filter { fnmatch(name, $0, 0) == 0 }.sorted().map { folder + "/" + $0 }
}
