import Dispatch
import Foundation
import LinearAlgebra
import Reference

/// A planner's change to a simulated path, from a year on (README, Methods, Simulation).
public enum Intervention: Sendable, Equatable {
    /// Add this many units (points for a percentage) in each year from the first changed one.
    case addPerYear(Double)
    /// Multiply the expected change since the year before the first changed one (0 stalls, 2 doubles the
    /// pace); each draw keeps its own error around it.
    case scaleGrowth(Double)
    /// Never below / above this value.
    case floor(Double)
    case ceiling(Double)
    /// A one-off change of level in the first changed year, kept afterwards.
    case shock(Double)
}

/// An intervention and the first year it changes.
public struct ScheduledIntervention: Sendable, Equatable {
    public let change: Intervention
    public let from: Int
    public init(_ change: Intervention, from: Int) {
        self.change = change
        self.from = from
    }
}

/// One series to simulate: the forecast distribution of its fitted model in each year, as in `Forecast`:
/// `inverse(center + spread · t(df))`.
public struct SimulatedSeries: Sendable {
    public let unitID: Int
    public let model: TrendModel
    /// The observed values by year; the last observed year bounds what an intervention can change.
    public let observed: [Int: Double]
    public let lastYear: Int
    /// Centres and spreads on the model's scale for `firstYear`, `firstYear + 1`, ...
    public let firstYear: Int
    public let centers: [Double]
    public let spreads: [Double]
    public let degreesOfFreedom: Int
    /// What a value can be: 0-100 for a percentage, 1 or more for a rank; every simulated value stays inside.
    public let range: ClosedRange<Double>
    /// For a RATIO, the denominator (held at its latest value) by which the value is weighted up the
    /// hierarchy; for a WEIGHTED_MEAN, the weight.
    public let weight: Double?
    public var interventions: [ScheduledIntervention]
    /// The fit's residuals less their mean, each with either sign, scaled to a root mean square of 1, in
    /// increasing order: the standardised errors a residual bootstrap draws from (a wild bootstrap with
    /// Rademacher weights; empty when the fit has none). Symmetric, their median is 0, so the bootstrap's
    /// median is the forecast (`Simulator.bootstrapError`). A carried-forward series' residuals (its yearly
    /// changes) have a mean that is not 0, and three or four residuals drawn as they were put the median
    /// wherever the middle one was: the e-invoice share forecast at 71.9 had a bootstrap median of 88.7.
    public let standardisedResiduals: [Double]

    public init(unitID: Int, model: TrendModel, observed: [Int: Double], firstYear: Int, centers: [Double],
                spreads: [Double], degreesOfFreedom: Int, range: ClosedRange<Double> = -.infinity ... .infinity, weight: Double? = nil,
                residuals: [Double] = [], interventions: [ScheduledIntervention] = []) {
        precondition(centers.count == spreads.count && !centers.isEmpty, "centres and spreads differ in length or are empty")
        self.unitID = unitID
        self.model = model
        self.observed = observed
        lastYear = observed.keys.max() ?? firstYear - 1
        self.firstYear = firstYear
        self.centers = centers
        self.spreads = spreads
        self.degreesOfFreedom = degreesOfFreedom
        self.range = range
        self.weight = weight
        self.interventions = interventions
        let mean = residuals.isEmpty ? 0 : residuals.reduce(0, +) / Double(residuals.count)
        let centred = residuals.map { $0 - mean }
        let rms = centred.isEmpty ? 0 : (centred.reduce(0) { $0 + $1 * $1 } / Double(centred.count)).squareRoot()
        standardisedResiduals = rms > 0 ? centred.flatMap { [$0 / rms, -$0 / rms] }.sorted() : []
    }

    /// The series' value in `year` in the draw whose standardised error is `error`, after its first `count`
    /// interventions. Observed years are fixed; an intervention changes only years after the last observed one.
    func value(in year: Int, error: Double, interventions count: Int) -> Double {
        guard count > 0 else {
            if let known = observed[year] { return known }
            let i = min(max(year - firstYear, 0), centers.count - 1)
            return model.inverse(centers[i] + spreads[i] * error)
        }
        let before = value(in: year, error: error, interventions: count - 1)
        let scheduled = interventions[count - 1]
        let start = max(scheduled.from, lastYear + 1)
        guard year >= start else { return before }
        switch scheduled.change {
        case .addPerYear(let step): return before + step * Double(year - start + 1)
        case .shock(let change): return before + change
        case .floor(let least): return max(before, least)
        case .ceiling(let most): return min(before, most)
        case .scaleGrowth(let factor):
            // The expected path's change (the draw with no error), scaled; the draw's own error is kept, so a
            // series with no trend is not changed, and a larger factor never lowers a growing series.
            let trend = value(in: year, error: 0, interventions: count - 1) - value(in: start - 1, error: 0, interventions: count - 1)
            return before + (factor - 1) * trend
        }
    }

    /// The value in `year` after every intervention, kept within `range`.
    func value(in year: Int, error: Double) -> Double {
        min(max(value(in: year, error: error, interventions: interventions.count), range.lowerBound), range.upperBound)
    }
}

/// Everything simulated for one indicator: the series of the leaf units, which are aggregated inside each
/// draw into their parents, and the series of other units, which stand alone.
public struct IndicatorSimulation: Sendable {
    public let indicator: String
    public let aggregation: Aggregation
    /// value = ratioScale x numerator / denominator for a RATIO (100 for a percentage).
    public let ratioScale: Double
    public var leaves: [SimulatedSeries]
    public var standalone: [SimulatedSeries]
    /// The parents aggregated in each draw, with the indices in `leaves` of their members.
    public let parents: [(unitID: Int, members: [Int])]

    public init(indicator: String, aggregation: Aggregation, ratioScale: Double, leaves: [SimulatedSeries],
                standalone: [SimulatedSeries], parents: [(unitID: Int, members: [Int])]) {
        self.indicator = indicator
        self.aggregation = aggregation
        self.ratioScale = ratioScale
        self.leaves = leaves
        self.standalone = standalone
        self.parents = parents
    }

    /// Every simulated series, leaves first.
    public var series: [SimulatedSeries] { leaves + standalone }

    /// Applies `change` to the series of the units `selected` accepts, after their other interventions or,
    /// `first`, before them.
    public mutating func apply(_ change: ScheduledIntervention, first: Bool = false,
                               where selected: (SimulatedSeries) -> Bool) {
        for i in leaves.indices where selected(leaves[i]) { leaves[i].interventions.insert(change, at: first ? 0 : leaves[i].interventions.count) }
        for i in standalone.indices where selected(standalone[i]) {
            standalone[i].interventions.insert(change, at: first ? 0 : standalone[i].interventions.count)
        }
    }
}

/// A question asked of the draws: is the value in `year` at least (or at most) `threshold`?
public struct Check: Hashable, Sendable {
    public let year: Int
    public let threshold: Double
    public let atLeast: Bool
    public init(year: Int, threshold: Double, atLeast: Bool) {
        self.year = year
        self.threshold = threshold
        self.atLeast = atLeast
    }
}

/// The distribution of one unit's value in one year over the draws.
public struct Outcome: Sendable, Equatable {
    public let unitID: Int
    public let year: Int
    public let median: Double
    public let lower80: Double, upper80: Double, lower95: Double, upper95: Double
    /// The share of draws meeting each check of this year.
    public let probabilities: [Check: Double]
    /// Whether the value was aggregated from the unit's members inside each draw.
    public let aggregated: Bool
}

/// Where a draw's errors come from.
public enum Uncertainty: String, Sendable, CaseIterable {
    /// Each model's own forecast distribution: Student's t on the model's scale.
    case model
    /// A residual bootstrap: the fit's own standardised residuals, each with an equal share of the draws.
    case bootstrap
}

/// How a Monte Carlo simulation runs.
public struct SimulationSettings: Sendable {
    /// Fewer draws than this give bands too coarse to report.
    public static let minimumDraws = 100
    public var draws: Int
    public var seed: UInt64
    public var uncertainty: Uncertainty = .model
    /// Correlation of the standardised errors of the units of one indicator within a draw (0 = independent).
    public var correlation: Double
    /// Worker threads. The results do not depend on it.
    public var threads: Int

    public init(draws: Int = 10_000, seed: UInt64 = 942, correlation: Double = 0,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.draws = draws
        self.seed = seed
        self.correlation = correlation
        self.threads = max(1, threads)
    }
}
