/// Everything a report shows, gathered from the warehouse before rendering: the renderers read nothing else.
public struct ReportData: Sendable {
    public var title: String
    public var generatedAt: String
    public var runID: Int
    public var language: ReportLanguage
    /// The warehouse holds synthetic sample data: every page says so.
    public var synthetic: Bool
    /// Stale sources and other warnings of the run.
    public var warnings: [String]
    /// The steps of the run that failed or were skipped, each with its reason: the results they would have
    /// changed are an earlier run's, or missing.
    public var failedSteps: [String] = []
    public var scorecard: [ScorecardRow]
    /// History and forecast of each scorecard row's series, by `TrendChart.key(target:unit:)`.
    public var charts: [String: TrendChart]
    /// The provinces in force (34), and those before 1 July 2025 (63), as map shapes.
    public var provinces: ProvinceShapes?
    public var oldProvinces: ProvinceShapes?
    /// Values by old province code for the map of the years before the reorganisation.
    public var beforeReorganisation: OldProvinceValues?
    public var scenarios: [ScenarioLine]
    public var gains: [GainLine]
    /// What each scenario assumes, in its author's words, by name.
    public var scenarioDescriptions: [String: String] = [:]
    public var tasks: [TaskLine]
    /// The names of the agencies that lead tasks, and of the indicators, by code.
    public var agencies: [String: BilingualName]
    public var indicators: [String: BilingualName]
    /// What produced the report, and the previous report it is compared with.
    public var provenance: Provenance
    public var previous: PreviousReport?
    public var loads: [LoadLine]
    /// The newest period of each indicator with data.
    public var latestPeriods: [(indicator: String, period: String)]
    /// What the tidy and SDMX exports and `rejects.csv` hold.
    public var exports = ExportTables()

    public init(title: String, generatedAt: String, runID: Int, language: ReportLanguage, synthetic: Bool,
                warnings: [String] = [], scorecard: [ScorecardRow], charts: [String: TrendChart] = [:],
                provinces: ProvinceShapes? = nil, oldProvinces: ProvinceShapes? = nil,
                beforeReorganisation: OldProvinceValues? = nil, scenarios: [ScenarioLine] = [],
                gains: [GainLine] = [], tasks: [TaskLine] = [], loads: [LoadLine] = [],
                latestPeriods: [(indicator: String, period: String)] = [], agencies: [String: BilingualName] = [:],
                indicators: [String: BilingualName] = [:], provenance: Provenance = Provenance(),
                previous: PreviousReport? = nil) {
        self.agencies = agencies
        self.indicators = indicators
        self.provenance = provenance
        self.previous = previous
        self.title = title
        self.generatedAt = generatedAt
        self.runID = runID
        self.language = language
        self.synthetic = synthetic
        self.warnings = warnings
        self.scorecard = scorecard
        self.charts = charts
        self.provinces = provinces
        self.oldProvinces = oldProvinces
        self.beforeReorganisation = beforeReorganisation
        self.scenarios = scenarios
        self.gains = gains
        self.tasks = tasks
        self.loads = loads
        self.latestPeriods = latestPeriods
    }
}

/// What produced a report: the program, the runs whose results it shows and their settings, the data's dates.
public struct Provenance: Sendable, Equatable {
    public var programVersion = ""
    public var assessmentRun: Int?
    public var forecastRun: Int?
    public var simulationRun: Int?
    /// The settings those runs recorded: "base_year", "forecast_years", "draws", "seed".
    public var settings: [String: String] = [:]
    /// The newest period of the indicator files loaded, and the day each registry extract describes.
    public var newestPeriod: String?
    public var registriesAsOf: [String: String] = [:]

    public init(programVersion: String = "", assessmentRun: Int? = nil, forecastRun: Int? = nil, simulationRun: Int? = nil,
                settings: [String: String] = [:], newestPeriod: String? = nil, registriesAsOf: [String: String] = [:]) {
        self.programVersion = programVersion
        self.assessmentRun = assessmentRun
        self.forecastRun = forecastRun
        self.simulationRun = simulationRun
        self.settings = settings
        self.newestPeriod = newestPeriod
        self.registriesAsOf = registriesAsOf
    }
}

/// The previous report: when it was written, the headline status it showed for each target and unit, and its
/// forecasts, by `TrendChart.key(target:unit:)`.
public struct PreviousReport: Sendable, Equatable {
    public let runID: Int
    public let writtenAt: String
    public let statuses: [String: String]
    /// Its forecast of each target's series, by key and year.
    public let forecasts: [String: [Int: TrendChart.Forecast]]

    public init(runID: Int, writtenAt: String, statuses: [String: String], forecasts: [String: [Int: TrendChart.Forecast]]) {
        self.runID = runID
        self.writtenAt = writtenAt
        self.statuses = statuses
        self.forecasts = forecasts
    }
}

/// The observed history and the forecasts of one series, for a trend chart.
public struct TrendChart: Sendable, Equatable {
    public struct Forecast: Sendable, Equatable {
        public let year: Int
        public let value: Double
        public let lower80: Double?, upper80: Double?, lower95: Double?, upper95: Double?
        public init(year: Int, value: Double, lower80: Double?, upper80: Double?, lower95: Double?, upper95: Double?) {
            self.year = year
            self.value = value
            self.lower80 = lower80
            self.upper80 = upper80
            self.lower95 = lower95
            self.upper95 = upper95
        }
    }

    public let history: [(year: Int, value: Double)]
    public let forecasts: [Forecast]

    public init(history: [(year: Int, value: Double)], forecasts: [Forecast]) {
        self.history = history
        self.forecasts = forecasts
    }

    public static func key(target: String, unit: String) -> String { target + "|" + unit }

    public static func == (a: TrendChart, b: TrendChart) -> Bool {
        a.history.map(\.year) == b.history.map(\.year) && a.history.map(\.value) == b.history.map(\.value)
            && a.forecasts == b.forecasts
    }
}

/// Map shapes: one SVG path per province code, already projected into a `width` x `height` box.
public struct ProvinceShapes: Sendable {
    public let width: Double
    public let height: Double
    /// Province code, its name, and its path (`d` attribute).
    public let shapes: [(code: String, name: String, path: String)]
    /// Where the Hoàng Sa and Trường Sa archipelagos stand on the map, for their labels.
    public let archipelagos: [Archipelago]

    /// Where each province's number stands on the map: the centroid of its largest part.
    public let labelPoints: [String: (x: Double, y: Double)]

    public init(width: Double, height: Double, shapes: [(code: String, name: String, path: String)],
                archipelagos: [Archipelago] = [], labelPoints: [String: (x: Double, y: Double)] = [:]) {
        self.width = width
        self.height = height
        self.shapes = shapes
        self.archipelagos = archipelagos
        self.labelPoints = labelPoints
    }

    /// The number of each province on the maps and in their key: 1, 2, ... in the order of their codes.
    public var keyNumbers: [String: Int] {
        Dictionary(uniqueKeysWithValues: shapes.map(\.code).sorted().enumerated().map { ($1, $0 + 1) })
    }
}

/// An archipelago of Viet Nam in the East Sea, placed on a map (its islands are drawn with their province).
public struct Archipelago: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case hoangSa = "Hoàng Sa", truongSa = "Trường Sa"
    }
    public let name: Name
    /// The centre of its islands on the map.
    public let x: Double
    public let y: Double

    public init(name: Name, x: Double, y: Double) {
        self.name = name
        self.x = x
        self.y = y
    }
}

/// One indicator's values in the old provinces, in one year before the reorganisation.
public struct OldProvinceValues: Sendable {
    public let indicator: String
    public let name: String
    public let year: Int
    public let unitOfMeasure: String
    public let values: [String: Double]

    public init(indicator: String, name: String, year: Int, unitOfMeasure: String, values: [String: Double]) {
        self.indicator = indicator
        self.name = name
        self.year = year
        self.unitOfMeasure = unitOfMeasure
        self.values = values
    }
}

/// A simulated target in one unit under one scenario, beside its baseline.
public struct ScenarioLine: Sendable, Equatable {
    public let scenario: String
    public let targetID: String
    public let unitCode: String
    public let unitName: String
    public let year: Int
    public let probability: Double
    public let baselineProbability: Double
    public let median: Double
    public let lower80: Double, upper80: Double
    public let baselineMedian: Double

    public init(scenario: String, targetID: String, unitCode: String, unitName: String, year: Int, probability: Double,
                baselineProbability: Double, median: Double, lower80: Double, upper80: Double, baselineMedian: Double) {
        self.scenario = scenario
        self.targetID = targetID
        self.unitCode = unitCode
        self.unitName = unitName
        self.year = year
        self.probability = probability
        self.baselineProbability = baselineProbability
        self.median = median
        self.lower80 = lower80
        self.upper80 = upper80
        self.baselineMedian = baselineMedian
    }
}

/// The answer to a scenario's inverse question.
public struct GainLine: Sendable, Equatable {
    public let scenario: String
    public let targetID: String
    public let unitCode: String
    public let gainUnits: String
    public let fromYear: Int
    public let level: Double
    public let gain: Double?

    public init(scenario: String, targetID: String, unitCode: String, gainUnits: String, fromYear: Int, level: Double,
                gain: Double?) {
        self.scenario = scenario
        self.targetID = targetID
        self.unitCode = unitCode
        self.gainUnits = gainUnits
        self.fromYear = fromYear
        self.level = level
        self.gain = gain
    }
}

/// An appendix task with its latest status.
public struct TaskLine: Sendable, Equatable {
    public let id: String
    /// The lead the decision names (2021), and the body leading it now (its successor after 1 March 2025).
    public let leadAgency: String
    public let leadAgencyNow: String
    public let endYear: Int
    /// The latest status reported ("" when none) and its date.
    public let status: String
    public let statusDate: String
    /// "completed", "cancelled", "overdue" (reported, end year passed), "open" (reported, end year ahead) or
    /// "no report".
    public let standing: String
    public let textVI: String
    public let textEN: String

    public init(id: String, leadAgency: String, leadAgencyNow: String, endYear: Int, status: String, statusDate: String,
                standing: String, textVI: String, textEN: String) {
        self.id = id
        self.leadAgency = leadAgency
        self.leadAgencyNow = leadAgencyNow
        self.endYear = endYear
        self.status = status
        self.statusDate = statusDate
        self.standing = standing
        self.textVI = textVI
        self.textEN = textEN
    }

    /// The standings in the order a reader looks for them: what is late, what nobody reported, then the rest.
    public static let standings = ["overdue", "no report", "open", "completed", "cancelled"]
}

/// A name in both languages (an agency's, an indicator's).
public struct BilingualName: Sendable, Equatable {
    public let vi: String
    public let en: String
    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }
}

/// One load of a file, with its rejected rows by reason and its flagged values.
public struct LoadLine: Sendable, Equatable {
    public let id: Int
    public let file: String
    public let dataset: String
    public let status: String
    public let rowsRead: Int
    public let rowsLoaded: Int
    public let rowsRejected: Int
    public let rejectsByReason: [String: Int]
    /// Loaded values flagged for a look (an outlier in its series), by code.
    public let warningsByReason: [String: Int]

    public init(id: Int, file: String, dataset: String, status: String, rowsRead: Int, rowsLoaded: Int,
                rowsRejected: Int, rejectsByReason: [String: Int], warningsByReason: [String: Int] = [:]) {
        self.warningsByReason = warningsByReason
        self.id = id
        self.file = file
        self.dataset = dataset
        self.status = status
        self.rowsRead = rowsRead
        self.rowsLoaded = rowsLoaded
        self.rowsRejected = rowsRejected
        self.rejectsByReason = rejectsByReason
    }
}
