import Foundation
import Ingest
import Reference
import Reports
import Warehouse

/// What every step of a run shares: the warehouse, the run's id, the day it describes, and the reference units
/// and catalogue, each read from the warehouse once, on first use. Steps that change them (`init`, the local
/// targets' ingest) run before any step that reads them, so one run reads each once.
public final class RunContext {
    public let warehouse: Warehouse
    /// The run the results are stored under (`startRun`); `nil` for a look or a what-if, which store nothing.
    public private(set) var runID: Int?
    /// The day the run describes, in Viet Nam (YYYY-MM-DD): what is in force, overdue, the current year.
    public let today: String

    private var cachedUnits: UnitDirectory?
    private var cachedIndicators: [String: Indicator]?
    private var cachedTargets: [Target]?
    /// Disclosure control's result by the figures it looked at (their hash): the aggregation's and the report's
    /// every figure, the forecast's yearly ones.
    private var cachedSuppression: [Int: Set<Int>] = [:]

    public init(_ warehouse: Warehouse, runID: Int? = nil, today: String = Clock.today()) {
        self.warehouse = warehouse
        self.runID = runID
        self.today = today
    }

    /// The administrative units of every version, with crosswalks and aliases.
    public func units() throws -> UnitDirectory {
        if let cachedUnits { return cachedUnits }
        let units = try warehouse.unitDirectory()
        cachedUnits = units
        return units
    }

    /// The catalogue's indicators, by code.
    public func indicators() throws -> [String: Indicator] {
        if let cachedIndicators { return cachedIndicators }
        let indicators = try warehouse.indicators()
        cachedIndicators = indicators
        return indicators
    }

    /// The targets, the decision's then local plans', in catalogue order.
    public func targets() throws -> [Target] {
        if let cachedTargets { return cachedTargets }
        let targets = try warehouse.targets()
        cachedTargets = targets
        return targets
    }

    /// The registry figures among `rows` that disclosure control suppresses (`suppressedRegistryFigures`),
    /// worked out once for the same figures: the aggregation and the report of a run read the same ones, and
    /// so do the forecast and the assessment.
    func suppressedRegistryFigures(_ rows: [ObservationRow]) throws -> Set<Int> {
        let registry = registryFigures(rows)
        var hasher = Hasher()
        for index in registry {
            let row = rows[index]
            hasher.combine(row.indicator); hasher.combine(row.unitID); hasher.combine(row.period)
            hasher.combine(row.value); hasher.combine(row.numerator); hasher.combine(row.denominator)
        }
        let figures = hasher.finalize()
        let suppressed = try cachedSuppression[figures] ?? suppressedAmong(registry.map { rows[$0] }, directory: try units(),
                                                                           threshold: DisclosureControl.defaultThreshold)
        cachedSuppression[figures] = suppressed
        return Set(suppressed.map { registry[$0] })
    }

    /// The current year (of `today`).
    public var year: Int { Int(today.prefix(4)) ?? 0 }

    /// Starts the run that the steps' results are stored under, and returns its id.
    @discardableResult
    public func startRun(command: String) throws -> Int {
        let id = try warehouse.startRun(command: command)
        runID = id
        return id
    }

    /// The run id, for a step that stores results.
    func storingRun() throws -> Int {
        guard let runID else { throw InputError(file: warehouse.path, message: "results are stored only under a run") }
        return runID
    }
}
