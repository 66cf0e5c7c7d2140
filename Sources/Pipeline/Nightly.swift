import Analytics
import Foundation
import Ingest
import Logging
import Reference
import Reports
import Warehouse

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
    /// File patterns of status updates of the appendix tasks to load (optional).
    public var taskStatus: [String]?
    /// Years to forecast to (default: the targets' deadlines).
    public var forecastYears: [Int]?
    /// Base year of the progress measure (default 2020, the year before the decision).
    public var baseYear: Int?
    /// Scenario files to simulate (patterns, like `indicators`), and the simulation's draws and seed.
    public var scenarios: [String]?
    public var simulation: SimulationConfig?
    /// Folder under which each run writes `run-<id>/` (default `Notebooks-output`).
    public var output: String?
    /// Report language, `vi` (default) or `en`.
    public var language: String?
    /// Also write one page per unit (`units/`), and CSVs with a byte-order mark for Excel.
    public var eachUnit: Bool?
    public var excel: Bool?
    /// Largest share of rejected rows a file may have and still load (default 0.05).
    public var maxRejectRate: Double?
    /// How old each dataset may be ("indicators", "population", "land", "business" to "18 months", "45 days"):
    /// older newest data is a warning in the run and in the report.
    public var maxAge: [String: String]?

    enum CodingKeys: String, CodingKey {
        case warehouse, datasets, indicators, registries, registryAsOf = "registry_as_of",
             pseudonymKeyFile = "pseudonym_key_file", localTargets = "local_targets", taskStatus = "task_status", forecastYears = "forecast_years",
             baseYear = "base_year", scenarios, simulation, output, language, eachUnit = "each_unit", excel,
             maxRejectRate = "max_reject_rate",
             maxAge = "max_age"
    }

    /// Draws per scenario (default 10,000) and the seed (default 942).
    public struct SimulationConfig: Decodable, Sendable {
        public var draws: Int?
        public var seed: UInt64?
    }

    /// Reads `path`, resolving relative paths against its folder.
    public static func load(path: String) throws -> NightlyConfig {
        var config = try YAMLFile.decode(NightlyConfig.self, path: path)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ value: String) -> String {
            value.hasPrefix("/") ? value : base.appendingPathComponent(value).standardizedFileURL.path
        }
        config.warehouse = resolve(config.warehouse)
        config.datasets = config.datasets.map(resolve)
        config.indicators = config.indicators.map(resolve)
        config.localTargets = config.localTargets?.map(resolve)
        config.taskStatus = config.taskStatus?.map(resolve)
        config.scenarios = config.scenarios?.map(resolve)
        if let draws = config.simulation?.draws, draws < SimulationSettings.minimumDraws {
            throw InputError(file: path, column: "simulation.draws",
                             message: "\(draws) draws are too few: use at least \(SimulationSettings.minimumDraws)")
        }
        config.registries = config.registries?.mapValues(resolve)
        config.pseudonymKeyFile = config.pseudonymKeyFile.map(resolve)
        for name in (config.registries ?? [:]).keys where Registry(rawValue: name) == nil {
            throw InputError(file: path, column: "registries.\(name)", message: "not a registry: use population, land or business")
        }
        for (name, age) in config.maxAge ?? [:] {
            guard freshnessDatasets.contains(name) else {
                throw InputError(file: path, column: "max_age.\(name)",
                                 message: "not a dataset: use " + freshnessDatasets.sorted().joined(separator: ", "))
            }
            guard MaxAge(age) != nil else {
                throw InputError(file: path, column: "max_age.\(name)", message: "'\(age)' is not like '45 days', '18 months' or '2 years'")
            }
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
    /// The program that ran it.
    public var version = Program.version
    public var status: String
    public var steps: [StepRecord]
    public var loads: [LoadSummary]
    public var outputDirectory: String
    public var reports: [String]
}

/// Runs the nightly steps in order under one run id and writes `run.json`:
///
/// `init`; `ingest:indicators`, `ingest:registries`, `ingest:local_targets` and `ingest:task_status` (each dataset its own step);
/// `derive` (when registries are configured); `freshness` (when `max_age` is set); `aggregate`; `forecast`;
/// `assess`; `simulate` (when scenarios are configured); `report`.
///
/// A step whose input failed is skipped, with the reason; steps that do not need it still run. With
/// `retrying`, the steps of the last run that failed, were skipped or never ran (it was interrupted) run
/// again. One writer at a time per warehouse (`WriterLock`, waiting up to `waitForLock` seconds for another
/// writer): the run's results and reports all come from the state it left; a run found still marked running
/// is "interrupted".
public func runNightly(_ config: NightlyConfig, retrying: Bool = false, full: Bool = false, waitForLock: Double = 0,
                       logger: Logger = Logger(label: "chiso.nightly") { _ in SwiftLogNoOpLogHandler() },
                       progress: ((LoadProgress) -> Void)? = nil) throws -> RunRecord {
    guard let datasets = config.datasets ?? DatasetsFolder.locate() else {
        throw InputError(file: "Datasets", message: "cannot find the Datasets folder; set 'datasets' or CHISO_DATASETS")
    }
    let lock = try WriterLock(warehouse: config.warehouse, holder: retrying ? "chiso nightly --retry" : "chiso nightly",
                              wait: waitForLock) { logger.notice("\($0)") }
    defer { withExtendedLifetime(lock) {} }
    if let previous = lock.takenOverFrom {
        logger.warning("lock: taken over from a run that stopped without releasing it (\(previous))")
    }
    let warehouse = try Warehouse(path: config.warehouse)
    warehouse.sealedBy = retrying ? "chiso nightly --retry" : "chiso nightly"
    // A warehouse changed outside chiso is not run on; one from before seals is sealed as it is.
    if try !warehouse.hasSeals() {
        try warehouse.seal()
    } else {
        let changed = try warehouse.verify().filter { !$0.intact }
        if !changed.isEmpty {
            throw InputError(file: config.warehouse, message: "changed outside chiso since it was last sealed: "
                                + changed.map { check in
                                    "\(check.table) has \(check.rows) rows" + (check.sealed.map { sealed in
                                        (sealed.rows == check.rows ? " with other values than" : ", against \(sealed.rows)")
                                            + " when \(sealed.command) sealed it at \(sealed.at)"
                                    } ?? ", never sealed")
                                }.joined(separator: "; ")
                                + ". 'chiso verify' lists every table: restore the warehouse from a backup, or "
                                + "'chiso verify --accept' if the change was meant")
        }
    }
    // Holding the lock, any run still marked running was stopped without finishing.
    try warehouse.db.run("UPDATE run SET status = 'interrupted', finished_at = ? WHERE status = 'running'",
                         [Warehouse.timestamp()])
    var done: Set<String> = []
    if retrying {
        guard let last = try warehouse.lastRun(command: "nightly") else {
            throw InputError(file: config.warehouse, message: "no earlier nightly run to retry")
        }
        guard last.status == "failed" || last.status == "interrupted" else {
            throw InputError(file: config.warehouse, message: "run \(last.run) \(last.status): nothing to retry")
        }
        // What succeeded stays done; what failed, was skipped or never ran (an interrupted run) runs again.
        done = Set(last.steps.filter { $0.status == "succeeded" || $0.status == "warnings" }.map(\.step))
        logger.info("retry of run \(last.run), \(last.status); already done: \(done.sorted().joined(separator: ", "))")
    }
    let runID = try warehouse.startRun(command: retrying ? "nightly --retry" : "nightly")
    let output = (config.output ?? "Notebooks-output") + "/run-\(runID)"
    var record = RunRecord(run: runID, status: "succeeded", steps: [], loads: [], outputDirectory: output, reports: [])
    var outcome: [String: String] = [:]
    func step(_ name: String, needs: [String] = [], _ body: () throws -> String) {
        if done.contains(name) { return }
        let started = Date()
        let startedAt = Warehouse.timestamp(started)
        var status = "succeeded"
        var detail: String
        if let signal = StopRequest.signal {
            status = "skipped"
            detail = "stopped by signal \(signal) before this step"
        } else if let unmet = needs.first(where: { outcome[$0] == "failed" || outcome[$0] == "skipped" }) {
            status = "skipped"
            detail = "needs \(unmet), which \(outcome[unmet] ?? "")"
        } else {
            do { detail = try body() } catch {
                status = "failed"
                detail = "\(error)"
            }
        }
        if detail.hasPrefix("warning: ") && status == "succeeded" { status = "warnings" }
        if status == "failed" || status == "skipped" { record.status = "failed" }
        outcome[name] = status
        let seconds = Date().timeIntervalSince(started)
        record.steps.append(StepRecord(step: name, status: status, startedAt: startedAt, seconds: seconds, detail: detail))
        try? warehouse.recordStep(run: runID, step: name, status: status, startedAt: startedAt, duration: seconds,
                                  detail: detail)
        let message: Logger.Message = "\(name): \(status) - \(detail)"
        let metadata: Logger.Metadata = ["run": "\(runID)", "step": "\(name)", "status": "\(status)",
                                         "seconds": "\(String(format: "%.2f", seconds))"]
        switch status {
        case "failed", "skipped": logger.error(message, metadata: metadata)
        case "warnings": logger.warning(message, metadata: metadata)
        default: logger.info(message, metadata: metadata)
        }
    }
    /// Loads each of `inputs` with `load`; the step's detail, or a failure naming the files that failed.
    func ingest(_ inputs: [String], _ load: (String) throws -> LoadSummary) throws -> String {
        var loads: [LoadSummary] = []
        for input in inputs {
            if let signal = StopRequest.signal { throw NightlyFailure(message: "stopped by signal \(signal) after \(loads.count) files") }
            let summary = try load(input)
            logger.debug("\(summary.file): \(summary.status)", metadata: [
                "read": "\(summary.read)", "loaded": "\(summary.loaded)", "updated": "\(summary.updated)",
                "unchanged": "\(summary.unchanged)", "rejected": "\(summary.rejected)", "sha256": "\(summary.sha256)",
            ])
            loads.append(summary)
            record.loads.append(summary)
        }
        let failed = loads.filter { $0.status == "failed" }.map { "\($0.file): \($0.message ?? "")" }
        if !failed.isEmpty { throw NightlyFailure(message: failed.joined(separator: "; ")) }
        let rejected = loads.map(\.rejected).reduce(0, +)
        let skipped = loads.filter { $0.status == "skipped" }.count
        let text = "\(loads.count) files (\(skipped) unchanged, skipped), "
            + "\(loads.map(\.loaded).reduce(0, +)) rows loaded, \(loads.map(\.updated).reduce(0, +)) revised"
        return rejected > 0 ? "warning: \(text), \(rejected) rejected" : text
    }
    let maxRejectRate = config.maxRejectRate ?? 0.05

    step("init") {
        let summary = try initialise(warehouse, datasets: datasets)
        return "\(summary.units.values.reduce(0, +)) units, \(summary.targets) targets, \(summary.tasks) tasks"
            + (lock.takenOverFrom.map { "; lock taken over from a stopped run (\($0))" } ?? "")
    }
    step("ingest:indicators", needs: ["init"]) {
        let files = config.indicators.flatMap(expandPattern)
        guard !files.isEmpty else { return "warning: no input file matched " + config.indicators.joined(separator: ", ") }
        var loader = IndicatorFileLoader(warehouse: warehouse, units: try ReferenceStore.directory(from: warehouse.db),
                                         indicators: try CatalogueStore.indicators(in: warehouse.db))
        loader.maxRejectRate = maxRejectRate
        return try ingest(files) { try loader.load(path: $0).summary }
    }
    if let registries = config.registries {
        step("ingest:registries", needs: ["init"]) {
            let units = try ReferenceStore.directory(from: warehouse.db)
            return try ingest(registries.keys.sorted()) { name in
                let registry = Registry(rawValue: name)!
                var loader = try RegistryLoader(
                    warehouse: warehouse, units: units, registry: registry, asOf: config.registryAsOf ?? UnitDirectory.today(),
                    pseudonymiser: registry == .population ? try Pseudonymiser.fromKeyFile(config.pseudonymKeyFile) : nil)
                loader.maxRejectRate = maxRejectRate
                loader.progress = progress
                return try loader.load(path: registries[name]!).summary
            }
        }
        step("derive", needs: ["ingest:registries"]) {
            let summary = try deriveStep(warehouse)
            return "\(summary.read) observations from the registries (\(summary.loaded) new, \(summary.updated) revised)"
        }
    }
    if let patterns = config.localTargets {
        step("ingest:local_targets", needs: ["init"]) {
            let loader = LocalTargetLoader(warehouse: warehouse, units: try ReferenceStore.directory(from: warehouse.db),
                                           indicators: try CatalogueStore.indicators(in: warehouse.db))
            return try ingest(patterns.flatMap(expandPattern)) { try loader.load(path: $0).summary }
        }
    }
    if let patterns = config.taskStatus {
        step("ingest:task_status", needs: ["init"]) {
            var loader = TaskStatusLoader(warehouse: warehouse)
            loader.maxRejectRate = maxRejectRate
            return try ingest(patterns.flatMap(expandPattern)) { try loader.load(path: $0, today: UnitDirectory.today()).summary }
        }
    }
    var stale: [StaleSource] = []
    if let maxAge = config.maxAge {
        step("freshness") {
            stale = try staleSources(warehouse, maxAge: maxAge.compactMapValues(MaxAge.init), today: UnitDirectory.today())
            return stale.isEmpty ? "every source within its maximum age"
                : "warning: stale sources: " + stale.map(\.description).joined(separator: "; ")
        }
    }
    // Incremental: when no load changed the warehouse since the last computation, over the same catalogue,
    // reference data and settings, aggregate, forecast and assess have nothing new to compute.
    // When they cannot be read, everything is recomputed.
    let computeInputs = try? [
        String(warehouse.db.scalar("SELECT coalesce(max(id), 0) FROM load WHERE status = 'loaded'").int ?? 0),
        directoryFingerprint(datasets + "/catalog"), directoryFingerprint(datasets + "/reference"),
        "\(config.forecastYears ?? [])", "\(config.baseYear ?? 2020)",
    ].joined(separator: "|")
    let computed = try? warehouse.db.scalar("SELECT value FROM setting WHERE name = 'computed_inputs'").text
    let upToDate = !full && computeInputs != nil && computed == computeInputs
    let unchanged = "up to date: no input changed since the last computation (--full recomputes)"
    let scope = full || upToDate ? nil : incrementalScope(warehouse, computed: computed, now: computeInputs)
    let scopeNote = scope.map { " (only " + ($0.isEmpty ? "no indicator" : $0.sorted().joined(separator: ", ")) + ": the rest is unchanged)" } ?? ""
    step("aggregate", needs: ["ingest:indicators", "derive"]) {
        if upToDate { return unchanged }
        let summary = try aggregateStep(warehouse, runID: runID, only: scope)
        return summary.derived.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ") + scopeNote
    }
    step("forecast", needs: ["aggregate"]) {
        if upToDate { return unchanged }
        let result = try forecastStep(warehouse, runID: runID, years: config.forecastYears ?? [], only: scope)
        return "\(result.series) series, \(result.forecasts) forecasts" + scopeNote
    }
    step("assess", needs: ["forecast", "ingest:local_targets"]) {
        if upToDate { return unchanged }
        let count = try assessStep(warehouse, runID: runID, baseYear: config.baseYear ?? 2020)
        if let computeInputs {
            try warehouse.db.run("INSERT OR REPLACE INTO setting (name, value) VALUES ('computed_inputs', ?)", [computeInputs])
        }
        return "\(count) assessments"
    }
    if let patterns = config.scenarios {
        step("simulate", needs: ["forecast"]) {
            let files = patterns.flatMap(expandPattern)
            guard !files.isEmpty else { return "warning: no scenario file matched " + patterns.joined(separator: ", ") }
            let scenarios = try files.map(Scenario.load(path:))
            let settings = SimulationSettings(draws: config.simulation?.draws ?? 10_000, seed: config.simulation?.seed ?? 942)
            // Up to date when neither the computed results nor the scenarios and settings changed.
            let inputs = try (computeInputs.map { [$0] } ?? []) + files.map { try sha256Hex(ofFile: $0) }
                + ["\(settings.draws)", "\(settings.seed)"]
            let fingerprint = inputs.joined(separator: "|")
            let simulated = try? warehouse.db.scalar("SELECT value FROM setting WHERE name = 'simulated_inputs'").text
            if !full && computeInputs != nil && simulated == fingerprint { return unchanged }
            let summary = try simulateStep(warehouse, runID: runID, scenarios: scenarios, settings: settings)
            try warehouse.db.run("INSERT OR REPLACE INTO setting (name, value) VALUES ('simulated_inputs', ?)", [fingerprint])
            return "\(scenarios.count) scenarios, \(summary.rows.count) results, \(summary.gains.count) inverse answers"
        }
    }
    step("report", needs: ["assess"]) {
        let options = ReportOptions(language: ReportLanguage(rawValue: config.language ?? "vi") ?? .vi,
                                    warnings: stale.map(\.description), eachUnit: config.eachUnit ?? false,
                                    excel: config.excel ?? false, datasets: datasets)
        record.reports = try reportStep(warehouse, runID: runID, directory: output, options: options)
        let pages = record.reports.filter { $0.contains("/units/") && !$0.hasSuffix("/index.html") }
        return "\(record.reports.count) files in \(output): " + record.reports.filter { !$0.contains("/units/") }
            .map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            + (pages.isEmpty ? "" : ", and \(pages.count) unit pages with their index in units/")
    }
    if record.status == "succeeded" && record.steps.contains(where: { $0.status == "warnings" }) {
        record.status = "warnings"
    }
    try warehouse.finishRun(runID, status: record.status, outputDirectory: output)
    try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
    try RunFolder.write(try Program.jsonEncoder().encode(record), to: output + "/run.json")
    // The folder is complete once its run.json is in place; latest points at it only when it has its reports.
    if record.steps.contains(where: { $0.step == "report" && ($0.status == "succeeded" || $0.status == "warnings") }) {
        try RunFolder.complete(output)
    }
    return record
}

/// The indicators to recompute when only loads of observations came after the last computation, over the same
/// catalogue, reference data and settings (`computed` and `now` are their fingerprints, the newest load id
/// first): those the loads changed, and POPULATION with the indicators it weights. `nil`: recompute everything.
func incrementalScope(_ warehouse: Warehouse, computed: String?, now: String?) -> Set<String>? {
    guard let computed, let now, let last = computed.split(separator: "|").first.flatMap({ Int($0) }),
          computed.split(separator: "|").dropFirst() == now.split(separator: "|").dropFirst(),
          (try? warehouse.forecasts()) != nil, let changed = try? warehouse.indicatorsChanged(afterLoad: last),
          let catalogue = try? CatalogueStore.indicators(in: warehouse.db) else { return nil }
    let weighted = Set(catalogue.values.filter { $0.aggregation == .weightedMean }.map(\.code))
    guard changed.contains("POPULATION") || !changed.isDisjoint(with: weighted) else { return changed }
    return changed.union(weighted).union(["POPULATION"])
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

/// SIGINT and SIGTERM ask a run to stop: the file being loaded finishes (or rolls back) in its transaction,
/// then the remaining files and steps are skipped and the run is recorded as failed.
public enum StopRequest {
    nonisolated(unsafe) private static var received: sig_atomic_t = 0

    /// The signal received, if any.
    public static var signal: Int32? { received == 0 ? nil : received }

    /// Installs the handlers for SIGINT and SIGTERM.
    public static func install() {
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number) { StopRequest.received = $0 }
        }
    }
}

/// SHA-256 over the names and contents of the files under `folder`, for noticing that reference data or the
/// catalogue changed.
func directoryFingerprint(_ folder: String) throws -> String {
    let files = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    var text = ""
    for file in files {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder + "/" + file, isDirectory: &isDirectory), !isDirectory.boolValue
        else { continue }
        text += file + " " + (try sha256Hex(ofFile: folder + "/" + file)) + "\n"
    }
    return sha256Hex(of: Data(text.utf8))
}
