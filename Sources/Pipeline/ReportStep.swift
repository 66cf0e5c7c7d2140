import Analytics
import Foundation
import Ingest
import Reference
import Reports
import Warehouse

/// What a report run writes besides the national report.
public struct ReportOptions: Sendable {
    public var language: ReportLanguage = .vi
    /// Stale sources and other warnings of the run, shown on every page.
    public var warnings: [String] = []
    /// The run's steps that failed or were skipped, with their reasons, shown on every page.
    public var failedSteps: [String] = []
    /// One page per province in force under `units/`, with an `index.html` linking them.
    public var eachUnit = false
    /// Only this unit's page (a code or a name), instead of the national report.
    public var unit: String?
    /// A byte-order mark at the start of every CSV, for Excel.
    public var excel = false
    /// The `Datasets/` folder with the map shapes (default: located as for `init`).
    public var datasets: String?

    public init(language: ReportLanguage = .vi, warnings: [String] = [], failedSteps: [String] = [], eachUnit: Bool = false,
                unit: String? = nil, excel: Bool = false, datasets: String? = nil) {
        self.language = language
        self.warnings = warnings
        self.failedSteps = failedSteps
        self.eachUnit = eachUnit
        self.unit = unit
        self.excel = excel
        self.datasets = datasets
    }
}

/// Writes the reports of the latest assessment into `directory` and returns the paths written, each file
/// whole or not at all, the folder marked `INCOMPLETE` until the caller completes it (`RunFolder`):
///
/// - `scorecard.csv`, `series.csv` (observations and forecasts, tidy), `scenarios.csv`, `rejects.csv`,
///   `tasks.csv` (RFC 4180, formulas neutralised; a BOM with `excel`);
/// - `observations.sdmx.csv` and `forecasts.sdmx.csv` (SDMX-CSV 2.0; the first reads back with `chiso ingest --sdmx`);
/// - `report.html`, and with `eachUnit` `units/<code>.html` and `units/index.html`; with `unit`, that unit's page.
///
/// Registry counts below the disclosure threshold, and the sibling that would reveal them, are shown as `<10`.
public func reportStep(_ context: RunContext, directory: String,
                       options: ReportOptions = ReportOptions()) throws -> [String] {
    let fm = FileManager.default, runID = try context.storingRun()
    try RunFolder.begin(directory, run: runID, warehouse: context.warehouse.path)
    let directoryOfUnits = try context.units()
    let data = try reportData(context, options: options)
    var written: [String] = []
    func write(_ name: String, _ text: String, bom: Bool = false) throws {
        let path = directory + "/" + name
        try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try RunFolder.write(Data(((bom ? "\u{FEFF}" : "") + text).utf8), to: path)
        written.append(path)
    }
    if let query = options.unit {
        let unit = try directoryOfUnits.inForce(query, on: context.today)
        // A page shows a province's (or the nation's) results; a district's or a commune's would be empty.
        guard unit.level == .province || unit.level == .nation else {
            var province = unit
            while province.level != .province, let parent = directoryOfUnits.parent(of: province) { province = parent }
            throw UnitLookupError.noPage(unit: "\(unit.code) \(unit.nameVI) (\(unit.level.rawValue))",
                                         province: province.level == .province ? "\(province.code) \(province.nameVI)" : nil)
        }
        try write("unit-\(unit.code).html", HTMLReport.unit(data, code: unit.code))
        return written
    }
    // Everything was read by the gather; the files are rendered from it on every core (independent texts), and
    // written in a fixed order.
    var files: [(name: String, bom: Bool, render: () -> String)] = [
        ("scorecard.csv", true, { ScorecardCSV.render(data.scorecard) }),
        ("series.csv", true, { ExportCSV.series(data) }),
        ("scenarios.csv", true, { ReportCSV.scenarios(data) }),
        ("rejects.csv", true, { ExportCSV.rejects(data) }),
        ("tasks.csv", true, { ReportCSV.tasks(data) }),
        ("observations.sdmx.csv", false, { ExportCSV.sdmxObservations(data) }),
        ("forecasts.sdmx.csv", false, { ExportCSV.sdmxForecasts(data) }),
    ]
    var pages: [String: String] = [:]
    if options.eachUnit {
        let codes = Array(Set(data.scorecard.map(\.unitCode).filter { $0 != "*" })).sorted()
        for code in codes {
            pages[code] = "units/\(code).html"
            files.append(("units/\(code).html", false, { HTMLReport.unit(data, code: code, indexPath: "index.html") }))
        }
        files.append(("units/index.html", false, {
            HTMLReport.index(data, pages: codes.map { ($0, "\($0).html") }, nationalPath: "../report.html")
        }))
    }
    // README.txt describes the folder; report.html comes last, as scripts look for it.
    let listed = (files.map(\.name) + ["report.html"]).filter { !$0.hasPrefix("units/") || $0 == "units/index.html" }
    files.append(("README.txt", false, { ReportCSV.readme(data, files: listed) }))
    files.append(("report.html", false, { [pages] in HTMLReport.national(data, unitPages: pages) }))
    var texts = [String](repeating: "", count: files.count)
    let lock = NSLock()
    DispatchQueue.concurrentPerform(iterations: files.count) { i in
        let text = files[i].render()
        lock.lock()
        texts[i] = text
        lock.unlock()
    }
    for (file, text) in zip(files, texts) { try write(file.name, text, bom: file.bom && options.excel) }
    if let assessmentRun = data.provenance.assessmentRun {
        try context.warehouse.recordReport(run: runID, assessmentRun: assessmentRun, forecastRun: data.provenance.forecastRun,
                                           simulationRun: data.provenance.simulationRun, directory: directory)
    }
    return written
}

/// Gathers what the report shows from the warehouse, reading each table once: the scorecard, the charts, the
/// maps, the exports and the provenance share what was read.
func reportData(_ context: RunContext, options: ReportOptions) throws -> ReportData {
    let warehouse = context.warehouse, directory = try context.units()
    let observations = try warehouse.allObservations()
    let assessments = try warehouse.assessments()
    let forecastRun = try warehouse.forecasts()
    let simulation = try warehouse.simulation()
    let rows = try scorecard(context, assessments: assessments?.rows ?? [], forecasts: forecastRun?.rows ?? [])
    let language = options.language
    let title = language == .vi ? "Chỉ số Chính phủ số – Quyết định 942/QĐ-TTg" : "Digital Government targets – Decision 942/QĐ-TTg"
    var data = ReportData(title: title, generatedAt: Warehouse.timestamp(), runID: try context.storingRun(), language: language,
                          synthetic: try warehouse.hasSyntheticData(), warnings: options.warnings, scorecard: rows)
    data.failedSteps = options.failedSteps
    let today = context.today
    var current: [String: AdministrativeUnit] = [:]
    for unit in directory.units where unit.isValid(on: today) && current[unit.code] == nil { current[unit.code] = unit }

    // Charts: each row's series and the latest forecasts after it.
    var history: [String: Series] = [:]
    for series in try currentSeries(context, observations: observations) { history["\(series.indicator)|\(series.unitID)"] = series }
    var forecasts: [String: [ForecastRow]] = [:]
    for row in forecastRun?.rows ?? [] { forecasts["\(row.indicator)|\(row.unitID)", default: []].append(row) }
    for row in rows {
        // A target carried by several units (provinces, ministries) is charted by the nation's added-up series.
        guard let unit = current[row.unitCode == "*" ? "VN" : row.unitCode],
              let series = history["\(row.indicator)|\(unit.id)"] else { continue }
        let ahead = (forecasts["\(row.indicator)|\(unit.id)"] ?? []).filter { $0.year > (series.years.last ?? 0) }
        data.charts[TrendChart.key(target: row.targetID, unit: row.unitCode)] = TrendChart(
            history: zip(series.years, series.values).map { (year: $0, value: $1) },
            forecasts: ahead.map { TrendChart.Forecast(year: $0.year, value: $0.value, lower80: $0.lower80,
                                                       upper80: $0.upper80, lower95: $0.lower95, upper95: $0.upper95) })
    }

    // Maps, from the shapes in Datasets/reference/geo.
    if let datasets = options.datasets ?? DatasetsFolder.locate() {
        let geo = datasets + "/reference/geo/"
        data.provinces = try? ProvinceShapes.geoJSON(geo + "provinces_34.geojson") { feature in
            (feature["code"] as? String).flatMap { code in current[code].map { (code, $0.nameVI) } }
        }
        // geoBoundaries names the old provinces (one with a trailing tab), and Côn Đảo, a district, apart: joined by
        // name, without diacritics, to the old provinces, or to the district's province.
        var oldByName: [String: AdministrativeUnit] = [:]
        for unit in directory.units where unit.version == .pre2025 && (unit.level == .province || unit.level == .district) {
            let province = unit.level == .province ? unit : directory.parent(of: unit)
            let key = NameNormaliser.foldedKey(unit.nameVI)
            if let province, oldByName[key] == nil || unit.level == .province { oldByName[key] = province }
        }
        // Former names (Thừa Thiên Huế) through the aliases.
        for (alias, id) in directory.aliases {
            guard let unit = directory.unit(id: id), unit.version == .pre2025, unit.level == .province else { continue }
            oldByName[NameNormaliser.foldedKey(alias)] = unit
        }
        data.oldProvinces = try? ProvinceShapes.geoJSON(geo + "provinces_63_geoboundaries.geojson") { feature in
            (feature["shapeName"] as? String).flatMap { oldByName[NameNormaliser.foldedKey($0)] }.map { ($0.code, $0.nameVI) }
        }
        data.beforeReorganisation = try oldProvinceValues(context, rows: rows, observations: observations)
    }

    // Scenarios of the latest simulation, for the nation and the units with pages.
    if let simulation {
        data.scenarios = simulation.rows.map { row in
            let unit = directory.unit(id: row.unitID)
            return ScenarioLine(scenario: row.scenario, targetID: row.targetID, unitCode: unit?.code ?? "?",
                                unitName: unit?.nameVI ?? "", year: row.year, probability: row.probability,
                                baselineProbability: row.baselineProbability, median: row.median, lower80: row.lower80,
                                upper80: row.upper80, baselineMedian: row.baselineMedian)
        }
        data.scenarioDescriptions = try warehouse.scenarioDescriptions(run: simulation.run)
            .mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        data.gains = simulation.gains.map { gain in
            GainLine(scenario: gain.scenario, targetID: gain.targetID, unitCode: directory.unit(id: gain.unitID)?.code ?? "?",
                     gainUnits: gain.gainUnits, fromYear: gain.fromYear, level: gain.level, gain: gain.gain)
        }
    }
    data.tasks = try warehouse.taskStatuses(today: today).map { task in
        TaskLine(id: task.id, leadAgency: task.leadAgency, leadAgencyNow: task.leadAgencyNow, endYear: task.endYear,
                 status: task.status, statusDate: task.statusDate, standing: task.standing.rawValue,
                 textVI: task.textVI, textEN: task.textEN)
    }
    data.agencies = try warehouse.agencies().mapValues { BilingualName(vi: $0.nameVI, en: $0.nameEN) }
    data.indicators = try context.indicators().mapValues { BilingualName(vi: $0.nameVI, en: $0.nameEN) }

    // Provenance: the runs whose results are shown, with their settings, and the data's dates.
    let simulationRun = simulation?.run
    var settings: [String: String] = [:]
    for run in [assessments?.run, forecastRun?.run, simulationRun].compactMap({ $0 }) {
        settings.merge(try warehouse.settings(run: run)) { old, _ in old }
    }
    let periods = try warehouse.latestLoadedPeriods()
    data.provenance = Provenance(programVersion: Program.version, assessmentRun: assessments?.run, forecastRun: forecastRun?.run,
                                 simulationRun: simulationRun, settings: settings, newestPeriod: periods.map(\.period).max(),
                                 registriesAsOf: try warehouse.datasetsAsOf().filter { Registry(rawValue: $0.key) != nil })

    // The previous report: the headline statuses it showed, and its forecasts of each target's series.
    if let assessmentRun = assessments?.run, let previous = try warehouse.previousReport(before: assessmentRun) {
        var statuses: [String: String] = [:]
        for row in try warehouse.assessments(run: previous.assessmentRun)?.rows ?? [] where row.method == AssessmentMethod.headline {
            guard let unit = directory.unit(id: row.unitID) else { continue }
            statuses[TrendChart.key(target: row.targetID, unit: unit.code)] = row.status
        }
        var byIndicatorUnit: [String: [Int: TrendChart.Forecast]] = [:]
        if let run = previous.forecastRun {
            for row in try warehouse.forecasts(run: run)?.rows ?? [] {
                byIndicatorUnit["\(row.indicator)|\(row.unitID)", default: [:]][row.year] = TrendChart.Forecast(
                    year: row.year, value: row.value, lower80: row.lower80, upper80: row.upper80, lower95: row.lower95,
                    upper95: row.upper95)
            }
        }
        var forecasts: [String: [Int: TrendChart.Forecast]] = [:]
        for row in rows {
            guard let unit = current[row.unitCode == "*" ? "VN" : row.unitCode],
                  let found = byIndicatorUnit["\(row.indicator)|\(unit.id)"] else { continue }
            forecasts[TrendChart.key(target: row.targetID, unit: row.unitCode)] = found
        }
        data.previous = PreviousReport(runID: previous.run, writtenAt: previous.writtenAt, statuses: statuses, forecasts: forecasts)
    }
    let rejects = try warehouse.rejectCounts()
    let warnings = try warehouse.warningCounts()
    data.loads = try warehouse.loads().map { load in
        LoadLine(id: load.id, file: load.file, dataset: load.dataset, status: load.status, rowsRead: load.read,
                 rowsLoaded: load.loaded, rowsRejected: load.rejected, rejectsByReason: rejects[load.id] ?? [:],
                 warningsByReason: warnings[load.id] ?? [:])
    }
    data.latestPeriods = periods
    data.exports = try exportTables(context, observations: observations, forecasts: forecastRun?.rows ?? [])
    return data
}

/// For the map of the years before the reorganisation: the first province-level target's indicator in the old
/// provinces, in its latest year before 2025 (loaded or aggregated values; registry figures that disclosure
/// control suppresses left out).
func oldProvinceValues(_ context: RunContext, rows: [ScorecardRow], observations: [ObservationRow]) throws -> OldProvinceValues? {
    let directory = try context.units(), indicators = try context.indicators()
    let candidates = rows.filter { $0.unitCode.count == 2 && $0.unitCode.allSatisfy(\.isNumber) }.map(\.indicator)
    let suppressed = try context.suppressedRegistryFigures(observations)
    let byIndicator = Dictionary(grouping: observations.indices, by: { observations[$0].indicator })
    for code in candidates {
        let found = (byIndicator[code] ?? []).compactMap { index -> (code: String, row: ObservationRow, index: Int)? in
            let row = observations[index]
            guard let unit = directory.unit(id: row.unitID), unit.level == .province, unit.version == .pre2025,
                  row.year < 2025, row.isAnnualValue else { return nil }
            return (unit.code, row, index)
        }
        guard let year = found.map(\.row.year).max() else { continue }
        var values: [String: Double] = [:]
        for (unitCode, row, index) in found where row.year == year && !suppressed.contains(index) {
            values[unitCode] = row.value
        }
        let indicator = indicators[code]
        return OldProvinceValues(indicator: code, name: indicator?.nameVI ?? code, year: Int(year),
                                 unitOfMeasure: indicator?.unit ?? "", values: values)
    }
    return nil
}
