import Analytics
import Foundation
import Ingest
import Logging
import Reference
import Reports
import Warehouse

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
/// is "interrupted". Every step shares one `RunContext`: the units and the catalogue are read once, and the run
/// describes `today`.
public func runNightly(_ config: NightlyConfig, retrying: Bool = false, full: Bool = false, waitForLock: Double = 0,
                       today: String = Clock.today(),
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
    try warehouse.markUnfinishedRunsInterrupted()
    var done: Set<String> = []
    if retrying {
        guard let last = try warehouse.lastRun(command: "nightly") else {
            throw InputError(file: config.warehouse, message: "no earlier nightly run to retry")
        }
        guard last.status == .failed || last.status == .interrupted else {
            throw InputError(file: config.warehouse, message: "run \(last.run) \(last.status): nothing to retry")
        }
        // What succeeded stays done; what failed, was skipped or never ran (an interrupted run) runs again.
        done = Set(last.steps.filter { $0.status.isDone }.map(\.step))
        logger.info("retry of run \(last.run), \(last.status); already done: \(done.sorted().joined(separator: ", "))")
    }
    let context = RunContext(warehouse, today: today)
    let runID = try context.startRun(command: retrying ? "nightly --retry" : "nightly")
    let output = (config.output ?? "Notebooks-output") + "/run-\(runID)"
    var record = RunRecord(run: runID, status: .succeeded, steps: [], loads: [], outputDirectory: output, reports: [])
    var outcome: [String: RunStatus] = [:]
    func step(_ name: String, needs: [String] = [], _ body: () throws -> String) {
        if done.contains(name) { return }
        let started = Date()
        let startedAt = Warehouse.timestamp(started)
        var status = RunStatus.succeeded
        var detail: String
        if let signal = StopRequest.signal {
            status = .skipped
            detail = "stopped by signal \(signal) before this step"
        } else if let unmet = needs.first(where: { outcome[$0] == .failed || outcome[$0] == .skipped }) {
            status = .skipped
            detail = "needs \(unmet), which \(outcome[unmet]?.rawValue ?? "")"
        } else {
            do { detail = try body() } catch {
                status = .failed
                detail = "\(error)"
            }
        }
        if detail.hasPrefix("warning: ") && status == .succeeded { status = .warnings }
        if status == .failed || status == .skipped { record.status = .failed }
        outcome[name] = status
        let seconds = Date().timeIntervalSince(started)
        record.steps.append(StepRecord(step: name, status: status, startedAt: startedAt, seconds: seconds, detail: detail))
        try? warehouse.recordStep(run: runID, step: name, status: status, startedAt: startedAt, duration: seconds,
                                  detail: detail)
        let message: Logger.Message = "\(name): \(status) - \(detail)"
        let metadata: Logger.Metadata = ["run": "\(runID)", "step": "\(name)", "status": "\(status)",
                                         "seconds": "\(String(format: "%.2f", seconds))"]
        switch status {
        case .failed, .skipped: logger.error(message, metadata: metadata)
        case .warnings: logger.warning(message, metadata: metadata)
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
        let failed = loads.filter { $0.status == .failed }.map { "\($0.file): \($0.message ?? "")" }
        if !failed.isEmpty { throw NightlyFailure(message: failed.joined(separator: "; ")) }
        let rejected = loads.map(\.rejected).reduce(0, +)
        let skipped = loads.filter { $0.status == .skipped }.count
        let text = "\(loads.count) file\(loads.count == 1 ? "" : "s")"
            + (skipped > 0 ? " (\(skipped) skipped: loaded before, unchanged)" : "") + ", "
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
        var loader = IndicatorFileLoader(warehouse: warehouse, units: try context.units(), indicators: try context.indicators())
        loader.maxRejectRate = maxRejectRate
        loader.asOf = today
        return try ingest(files) { try loader.load(path: $0).summary }
    }
    if let registries = config.registries {
        step("ingest:registries", needs: ["init"]) {
            let units = try context.units()
            return try ingest(registries.keys.sorted()) { name in
                let registry = Registry(rawValue: name)!
                var loader = try RegistryLoader(
                    warehouse: warehouse, units: units, registry: registry, asOf: config.registryAsOf ?? today,
                    pseudonymiser: registry == .population ? try Pseudonymiser.fromKeyFile(config.pseudonymKeyFile) : nil,
                    today: today)
                loader.maxRejectRate = maxRejectRate
                loader.progress = progress
                return try loader.load(path: registries[name]!).summary
            }
        }
        step("derive", needs: ["ingest:registries"]) {
            let summary = try deriveStep(context)
            return "\(summary.read) observations from the registries (\(summary.loaded) new, \(summary.updated) revised)"
        }
    }
    if let patterns = config.localTargets {
        step("ingest:local_targets", needs: ["init"]) {
            var loader = LocalTargetLoader(warehouse: warehouse, units: try context.units(), indicators: try context.indicators())
            loader.today = today
            return try ingest(patterns.flatMap(expandPattern)) { try loader.load(path: $0).summary }
        }
    }
    if let patterns = config.taskStatus {
        step("ingest:task_status", needs: ["init"]) {
            var loader = TaskStatusLoader(warehouse: warehouse)
            loader.maxRejectRate = maxRejectRate
            return try ingest(patterns.flatMap(expandPattern)) { try loader.load(path: $0, today: today).summary }
        }
    }
    var stale: [StaleSource] = []
    if let maxAge = config.maxAge {
        step("freshness") {
            stale = try staleSources(context, maxAge: maxAge.compactMapValues(MaxAge.init))
            return stale.isEmpty ? "every source within its maximum age"
                : "warning: stale sources: " + stale.map(\.description).joined(separator: "; ")
        }
    }
    // Incremental: when no load changed the warehouse since the last computation, over the same catalogue,
    // reference data and settings, in the same year and by the same version of the program, aggregate, forecast
    // and assess have nothing new to compute. (A new year passes the year judged of targets; a new version may
    // compute them otherwise: results kept across either read as today's.) When they cannot be read, everything
    // is recomputed.
    let computeInputs = try? [
        String(warehouse.latestLoadID()),
        directoryFingerprint(datasets + "/catalog"), directoryFingerprint(datasets + "/reference"),
        "\(config.forecastYears ?? [])", "\(config.baseYear ?? 2020)", "year \(context.year)", "chiso \(Program.version)",
    ].joined(separator: "|")
    let computed = try? warehouse.setting("computed_inputs")
    let upToDate = !full && computeInputs != nil && computed == computeInputs
    let unchanged = "up to date: no input changed since the last computation (--full recomputes)"
    let scope = full || upToDate ? nil : incrementalScope(context, computed: computed, now: computeInputs)
    let scopeNote = scope.map { " (only " + ($0.isEmpty ? "no indicator" : $0.sorted().joined(separator: ", ")) + ": the rest is unchanged)" } ?? ""
    step("aggregate", needs: ["ingest:indicators", "derive"]) {
        if upToDate { return unchanged }
        let summary = try aggregateStep(context, only: scope)
        let derived = summary.derived.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        return (derived.isEmpty ? "nothing aggregated" : derived) + scopeNote
    }
    step("forecast", needs: ["aggregate"]) {
        if upToDate { return unchanged }
        let result = try forecastStep(context, years: config.forecastYears ?? [], only: scope)
        return "\(result.series) series, \(result.forecasts) forecasts" + scopeNote
    }
    step("assess", needs: ["forecast", "ingest:local_targets"]) {
        if upToDate { return unchanged }
        let count = try assessStep(context, baseYear: config.baseYear ?? 2020)
        if let computeInputs {
            try warehouse.storeSetting("computed_inputs", computeInputs)
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
            let simulated = try? warehouse.setting("simulated_inputs")
            if !full && computeInputs != nil && simulated == fingerprint { return unchanged }
            let summary = try simulateStep(context, scenarios: scenarios, settings: settings)
            try warehouse.storeSetting("simulated_inputs", fingerprint)
            return "\(scenarios.count) scenarios, \(summary.rows.count) results, \(summary.gains.count) inverse answers"
        }
    }
    step("report", needs: ["assess"]) {
        let failed = record.steps.filter { $0.status == .failed || $0.status == .skipped }.map { "\($0.step): \($0.detail)" }
        let options = ReportOptions(language: ReportLanguage(rawValue: config.language ?? "vi") ?? .vi,
                                    warnings: stale.map(\.description), failedSteps: failed, eachUnit: config.eachUnit ?? false,
                                    excel: config.excel ?? false, datasets: datasets)
        record.reports = try reportStep(context, directory: output, options: options)
        let pages = record.reports.filter { $0.contains("/units/") && !$0.hasSuffix("/index.html") }
        return "\(record.reports.count) files in \(output): " + record.reports.filter { !$0.contains("/units/") }
            .map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            + (pages.isEmpty ? "" : ", and \(pages.count) unit pages with their index in units/")
    }
    if record.status == .succeeded && record.steps.contains(where: { $0.status == .warnings }) {
        record.status = .warnings
    }
    try warehouse.finishRun(runID, status: record.status, outputDirectory: output)
    try RunFolder.claim(output, run: runID, warehouse: warehouse.path)
    try RunFolder.write(try Program.jsonEncoder().encode(record), to: output + "/run.json")
    // The folder is complete once its run.json is in place; latest points at it only when it has its reports.
    if record.steps.contains(where: { $0.step == "report" && $0.status.isDone }) {
        try RunFolder.complete(output)
    }
    return record
}

struct NightlyFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
