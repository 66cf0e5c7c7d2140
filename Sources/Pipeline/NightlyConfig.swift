import Analytics
import Foundation
import Ingest
import Reference
import Reports
import Warehouse

/// The nightly job's settings, read from YAML. Relative paths are relative to the file's folder.
public struct NightlyConfig: Decodable, Sendable {
    /// The warehouse: a file, or a PostgreSQL server's `postgresql://` URL - `--db` when given, else the file's
    /// `warehouse:`, else `$CHISO_DB` (settled by `load`).
    public private(set) var warehouse = ""
    private var warehouseSetting: String?
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
        case warehouseSetting = "warehouse", datasets, indicators, registries, registryAsOf = "registry_as_of",
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

    /// Reads `path`, resolving relative paths against its folder (a warehouse's URL stays as written). The
    /// warehouse is `warehouse` (the command's `--db`, as written) when given, else the file's, else
    /// `$CHISO_DB`: a job run from any folder never makes a warehouse where it happens to start.
    public static func load(path: String, warehouse: String? = nil,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NightlyConfig {
        var config = try YAMLFile.decode(NightlyConfig.self, path: path)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        func resolve(_ value: String) -> String {
            value.hasPrefix("/") ? value : base.appendingPathComponent(value).standardizedFileURL.path
        }
        if let warehouse {
            config.warehouse = warehouse
        } else if let setting = config.warehouseSetting {
            config.warehouse = PostgresConnection.isURL(setting) ? setting : resolve(setting)
        } else if let named = environment["CHISO_DB"], !named.isEmpty {
            config.warehouse = named
        } else {
            throw InputError(file: path, column: "warehouse",
                             message: "no warehouse: name it here ('warehouse: chiso.sqlite' or a postgresql:// URL), "
                                + "by --db or by CHISO_DB")
        }
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
