import Analytics
import Reference
import TestSupport
import XCTest

final class SimulationTests: XCTestCase {
    let years = Array(2019...2024)

    /// A series simulated from its fitted model to `horizon`, as the simulate step builds it.
    func simulated(_ series: Series, to horizon: [Int], bounded: Bool = false, weight: Double? = nil,
                   models: [TrendModel] = [.linear]) throws -> SimulatedSeries {
        let forecasts = try Forecaster.forecast([series], to: horizon, bounded: { _ in bounded }, models: models)
        let first = try XCTUnwrap(forecasts.first)
        return SimulatedSeries(unitID: series.unitID, model: first.model,
                               observed: Dictionary(uniqueKeysWithValues: zip(series.years, series.values)),
                               firstYear: horizon[0], centers: forecasts.map(\.center), spreads: forecasts.map(\.spread),
                               degreesOfFreedom: first.degreesOfFreedom, range: bounded ? 0...100 : -.infinity ... .infinity,
                               weight: weight,
                               residuals: first.residuals)
    }

    /// A deterministic series (no spread): the value in year y is `intercept + slope (y - 2024)`.
    func line(_ unitID: Int, _ at2024: Double, slope: Double, weight: Double? = nil) -> SimulatedSeries {
        let horizon = Array(2025...2030)
        return SimulatedSeries(unitID: unitID, model: .linear, observed: [2024: at2024], firstYear: 2025,
                               centers: horizon.map { at2024 + slope * Double($0 - 2024) },
                               spreads: horizon.map { _ in 0 }, degreesOfFreedom: 0, weight: weight)
    }

    func outcome(_ outcomes: [Outcome], _ unitID: Int, _ year: Int) throws -> Outcome {
        try XCTUnwrap(outcomes.first { $0.unitID == unitID && $0.year == year })
    }

    func testNoInterventionReproducesTheForecastDistribution() throws {
        let linear = Series(indicator: "A", unitID: 1, years: years, values: [10, 14, 15, 21, 24, 27])
        let percent = Series(indicator: "A", unitID: 2, years: years, values: [40, 48, 57, 63, 71, 76])
        let horizon = [2025, 2026, 2027, 2028, 2029, 2030]
        for (series, bounded, model) in [(linear, false, TrendModel.linear), (percent, true, .logit)] {
            let forecast = try XCTUnwrap(Forecaster.forecast([series], to: [2030], bounded: { _ in bounded },
                                                             models: [model]).first)
            let threshold = forecast.value + 0.5 * (try XCTUnwrap(forecast.interval80).upperBound - forecast.value)
            let check = Check(year: 2030, threshold: threshold, atLeast: true)
            for correlation in [0.0, 0.6] {
                let indicator = IndicatorSimulation(
                    indicator: "A", aggregation: .sum, ratioScale: 1, leaves: [],
                    standalone: [try simulated(series, to: horizon, bounded: bounded, models: [model]),
                                 try simulated(Series(indicator: "A", unitID: 9, years: years, values: [1, 3, 2, 5, 4, 6]),
                                               to: horizon)],
                    parents: [])
                let settings = SimulationSettings(draws: 40_000, seed: 11, correlation: correlation, threads: 2)
                let result = try outcome(Simulator.simulate(indicator, years: [2030], checks: [check], settings: settings),
                                         series.unitID, 2030)
                // Monte Carlo error of a quantile of 40,000 draws: well under 2% of the interval's half-width.
                let half = try XCTUnwrap(forecast.interval95).upperBound - forecast.value
                let tolerance = 0.03 * half
                XCTAssertEqual(result.median, forecast.value, accuracy: tolerance, "\(model) rho \(correlation)")
                XCTAssertEqual(result.lower80, try XCTUnwrap(forecast.interval80).lowerBound, accuracy: tolerance)
                XCTAssertEqual(result.upper80, try XCTUnwrap(forecast.interval80).upperBound, accuracy: tolerance)
                XCTAssertEqual(result.lower95, try XCTUnwrap(forecast.interval95).lowerBound, accuracy: tolerance)
                XCTAssertEqual(result.upper95, try XCTUnwrap(forecast.interval95).upperBound, accuracy: tolerance)
                let exact = try XCTUnwrap(forecast.probability(ofReaching: threshold, atLeast: true))
                XCTAssertEqual(result.probabilities[check] ?? .nan, exact, accuracy: 0.01)
            }
        }
    }

    func testEachInterventionOnADeterministicPath() throws {
        // Observed 50 in 2024, then 2 a year on: 52 in 2025 ... 62 in 2030.
        func value(_ changes: [ScheduledIntervention], in year: Int) throws -> Double {
            var series = line(1, 50, slope: 2)
            series.interventions = changes
            let indicator = IndicatorSimulation(indicator: "A", aggregation: .sum, ratioScale: 1, leaves: [],
                                                standalone: [series], parents: [])
            let outcomes = Simulator.simulate(indicator, years: [year], checks: [], settings: SimulationSettings(draws: 100))
            return try outcome(outcomes, 1, year).median
        }
        XCTAssertEqual(try value([], in: 2030), 62)
        XCTAssertEqual(try value([.init(.addPerYear(3), from: 2027)], in: 2030), 62 + 3 * 4)
        XCTAssertEqual(try value([.init(.addPerYear(3), from: 2027)], in: 2026), 54, "years before 'from' unchanged")
        XCTAssertEqual(try value([.init(.addPerYear(3), from: 2020)], in: 2025), 52 + 3,
                       "observed years cannot change: the first changed year is the one after the last observation")
        XCTAssertEqual(try value([.init(.shock(-5), from: 2026)], in: 2026), 54 - 5)
        XCTAssertEqual(try value([.init(.shock(-5), from: 2026)], in: 2030), 62 - 5, "a shock's level stays")
        XCTAssertEqual(try value([.init(.scaleGrowth(0), from: 2027)], in: 2030), 54, "growth stalls at 2026's value")
        XCTAssertEqual(try value([.init(.scaleGrowth(2), from: 2027)], in: 2030), 54 + 2 * 8)
        XCTAssertEqual(try value([.init(.floor(60), from: 2026)], in: 2027), 60)
        XCTAssertEqual(try value([.init(.floor(60), from: 2026)], in: 2030), 62)
        XCTAssertEqual(try value([.init(.ceiling(55), from: 2026)], in: 2030), 55)
        XCTAssertEqual(try value([.init(.ceiling(55), from: 2026)], in: 2025), 52)
        // In the order written: a shock, then growth stalled from the year after.
        XCTAssertEqual(try value([.init(.shock(-5), from: 2026), .init(.scaleGrowth(0), from: 2027)], in: 2030), 49)
    }

    /// `scale_growth` scales the expected change, not the draws' spread around it: a series with no trend (a
    /// rank carried forward) is not changed by it, a stalled series keeps its uncertainty, and more growth
    /// never lowers the median of a rising series. It scaled each draw's own change, so 5 times the growth of
    /// a rank carried forward left its median where it was and took its chance of the top 30 from 2% to 30%.
    func testScalingGrowthScalesTheTrendAndKeepsEachDrawsError() throws {
        let rising = Series(indicator: "A", unitID: 1, years: years, values: [40, 47, 49, 58, 61, 66])
        let flat = Series(indicator: "R", unitID: 2, years: [2018, 2020, 2022, 2024], values: [88, 86, 86, 71])
        func outcome(_ series: Series, _ model: TrendModel, _ factor: Double?) throws -> Outcome {
            var simulated = try self.simulated(series, to: Array(2025...2030), models: [model])
            simulated.interventions = factor.map { [.init(.scaleGrowth($0), from: 2025)] } ?? []
            let indicator = IndicatorSimulation(indicator: series.indicator, aggregation: .sum, ratioScale: 1, leaves: [],
                                                standalone: [simulated], parents: [])
            return try self.outcome(Simulator.simulate(indicator, years: [2030], checks: [], settings: SimulationSettings(draws: 4000)),
                                    series.unitID, 2030)
        }
        let carried = try outcome(flat, .naive, nil), scaled = try outcome(flat, .naive, 5)
        XCTAssertEqual(scaled, carried, "no trend to scale")
        let base = try outcome(rising, .linear, nil), stalled = try outcome(rising, .linear, 0)
        XCTAssertEqual(stalled.upper95 - stalled.lower95, base.upper95 - base.lower95, accuracy: 1e-9, "the same spread")
        // Every draw moves by the same amount: the line's 2030 value (53.5 + 90.5 / 17.5 x 8.5) less 2024's 66.
        XCTAssertEqual(base.median - stalled.median, 53.5 + 90.5 / 17.5 * 8.5 - 66, accuracy: 1e-9)
        var medians: [Double] = []
        for factor in [0, 0.5, 1, 2, 5] { medians.append(try outcome(rising, .linear, factor).median) }
        XCTAssertEqual(medians, medians.sorted(), "more growth, a higher median")
    }

    /// A series carried forward draws its yearly changes less their mean, with either sign: the bootstrap's
    /// median is the forecast, up to the smallest change drawn. Drawn as they were, a rising series' changes
    /// (all above 0) moved every draw up: the e-invoice share was forecast at 71.9 and its bootstrap baseline's
    /// median was 88.7.
    func testTheBootstrapOfASeriesCarriedForwardIsCentredOnItsForecast() throws {
        let series = Series(indicator: "A", unitID: 1, years: years, values: [40, 47, 49, 58, 61, 66])
        let simulated = try self.simulated(series, to: [2025], models: [.naive])
        XCTAssertEqual(simulated.standardisedResiduals.reduce(0, +), 0, accuracy: 1e-12)
        let indicator = IndicatorSimulation(indicator: "A", aggregation: .sum, ratioScale: 1, leaves: [], standalone: [simulated],
                                            parents: [])
        var settings = SimulationSettings(draws: 6000)
        settings.uncertainty = .bootstrap
        let result = try outcome(Simulator.simulate(indicator, years: [2025], checks: [], settings: settings), 1, 2025)
        // Changes 7, 2, 9, 3, 5 less their mean 5.2, either sign: the middle two are -0.2 and +0.2.
        let rms = ([7.0, 2, 9, 3, 5].map { ($0 - 5.2) * ($0 - 5.2) }.reduce(0, +) / 5).squareRoot()
        // The median is the forecast's: the draws between the middle two are read on the line between them
        // (it was one of the two, either side by chance).
        XCTAssertEqual(result.median, 66, accuracy: simulated.spreads[0] * 0.05 / rms)
        XCTAssertEqual(result.lower95, 66 - simulated.spreads[0] * 3.8 / rms, accuracy: 1e-9, "the widest change, below")
        XCTAssertEqual(result.upper95, 66 + simulated.spreads[0] * 3.8 / rms, accuracy: 1e-9, "and above")
    }

    /// A rank (its range 1 and up) is never drawn above first place, whatever a scenario adds.
    func testASimulatedValueStaysInItsRange() throws {
        var series = try simulated(Series(indicator: "R", unitID: 2, years: [2018, 2020, 2022, 2024], values: [88, 86, 86, 71]),
                                   to: Array(2025...2030), models: [.naive])
        series = SimulatedSeries(unitID: 2, model: series.model, observed: series.observed, firstYear: 2025,
                                 centers: series.centers, spreads: series.spreads, degreesOfFreedom: series.degreesOfFreedom,
                                 range: 1 ... .infinity, interventions: [.init(.addPerYear(-10), from: 2025)])
        let indicator = IndicatorSimulation(indicator: "R", aggregation: .rank, ratioScale: 1, leaves: [], standalone: [series],
                                            parents: [])
        let result = try outcome(Simulator.simulate(indicator, years: [2030], checks: [], settings: SimulationSettings(draws: 2000)), 2, 2030)
        XCTAssertEqual(result.lower95, 1)
        XCTAssertGreaterThan(result.upper95, 1)
    }

    func testAnInterventionChangesExactlyTheUnitsAndYearsItNames() throws {
        let horizon = Array(2025...2030)
        let leaves = try [
            simulated(Series(indicator: "A", unitID: 1, years: years, values: [10, 14, 15, 21, 24, 27]), to: horizon),
            simulated(Series(indicator: "A", unitID: 2, years: years, values: [50, 49, 47, 46, 44, 41]), to: horizon),
            simulated(Series(indicator: "A", unitID: 3, years: years, values: [5, 6, 8, 8, 9, 11]), to: horizon),
        ]
        let base = IndicatorSimulation(indicator: "A", aggregation: .sum, ratioScale: 1, leaves: leaves, standalone: [],
                                       parents: [(unitID: 100, members: [0, 1, 2])])
        var changed = base
        changed.apply(ScheduledIntervention(.addPerYear(5), from: 2027), where: { $0.unitID == 2 })
        let settings = SimulationSettings(draws: 5000, seed: 3, correlation: 0.4)
        let before = Simulator.simulate(base, years: [2025, 2026, 2030], checks: [], settings: settings)
        let after = Simulator.simulate(changed, years: [2025, 2026, 2030], checks: [], settings: settings)
        for unit in [1, 3] {
            for year in [2025, 2026, 2030] { XCTAssertEqual(try outcome(after, unit, year), try outcome(before, unit, year)) }
        }
        for year in [2025, 2026] {
            XCTAssertEqual(try outcome(after, 2, year), try outcome(before, 2, year))
            XCTAssertEqual(try outcome(after, 100, year), try outcome(before, 100, year))
        }
        // A linear model's values shift by exactly 5 x 4 years in 2030, in every draw: so do the quantiles,
        // and so does the parent's sum.
        for unit in [2, 100] {
            let b = try outcome(before, unit, 2030), a = try outcome(after, unit, 2030)
            for (x, y) in [(a.median, b.median), (a.lower80, b.lower80), (a.upper95, b.upper95)] {
                assertClose(x - y, 20, Tolerance.rounding, "unit \(unit)")
            }
        }
    }

    func testParentsAreAggregatedInsideEachDraw() throws {
        // RATIO: a sure 60% of 100 and an uncertain share of 300. The parent's 70% is met exactly in the draws
        // where the second is at least 73.33%, which a mean of probabilities would not give.
        let horizon = Array(2025...2030)
        let uncertain = try simulated(Series(indicator: "A", unitID: 2, years: years, values: [52, 58, 61, 66, 70, 71]),
                                      to: horizon, bounded: true, weight: 300)
        let indicator = IndicatorSimulation(indicator: "A", aggregation: .ratio, ratioScale: 100,
                                            leaves: [line(1, 60, slope: 0, weight: 100), uncertain], standalone: [],
                                            parents: [(unitID: 100, members: [0, 1])])
        let parentCheck = Check(year: 2026, threshold: 70, atLeast: true)
        let leafCheck = Check(year: 2026, threshold: 220.0 / 3, atLeast: true)
        let outcomes = Simulator.simulate(indicator, years: [2026], checks: [parentCheck, leafCheck],
                                          settings: SimulationSettings(draws: 20_000, seed: 5))
        let parent = try outcome(outcomes, 100, 2026), leaf = try outcome(outcomes, 2, 2026)
        XCTAssertTrue(parent.aggregated)
        XCTAssertFalse(leaf.aggregated)
        XCTAssertEqual(parent.probabilities[parentCheck], leaf.probabilities[leafCheck])
        XCTAssertGreaterThan(leaf.probabilities[leafCheck] ?? 0, 0.05)
        assertClose(parent.median, (60 * 100 + leaf.median * 300) / 400, Tolerance.solve, "a monotone combination keeps the median")
        // SUM and MEAN of deterministic leaves.
        // 2027: 10 + 3 and 15 + 3.
        for (aggregation, expected) in [(Aggregation.sum, 31.0), (.mean, 15.5)] {
            let simple = IndicatorSimulation(indicator: "B", aggregation: aggregation, ratioScale: 1,
                                             leaves: [line(1, 10, slope: 1), line(2, 15, slope: 1)], standalone: [],
                                             parents: [(unitID: 100, members: [0, 1])])
            let result = Simulator.simulate(simple, years: [2027], checks: [], settings: SimulationSettings(draws: 100))
            XCTAssertEqual(try outcome(result, 100, 2027).median, expected)
        }
    }

    func testResultsAreTheSameAcrossRunsThreadCountsAndSeriesOrder() throws {
        let horizon = Array(2025...2030)
        var indicators: [IndicatorSimulation] = []
        for (i, code) in ["A", "B", "C", "D", "E"].enumerated() {
            let leaves = try (1...6).map { unit in
                try simulated(Series(indicator: code, unitID: unit, years: years,
                                     values: years.map { Double($0 - 2000) * Double(unit + i) + Double(($0 * unit) % 7) }),
                              to: horizon, weight: Double(10 * unit))
            }
            indicators.append(IndicatorSimulation(indicator: code, aggregation: .ratio, ratioScale: 1, leaves: leaves,
                                                  standalone: [], parents: [(unitID: 100, members: Array(0..<6))]))
        }
        let checks = ["A": [Check(year: 2030, threshold: 200, atLeast: true)]]
        func run(threads: Int) -> [[Outcome]] {
            Simulator.run(indicators, years: [2025, 2030], checks: checks,
                          settings: SimulationSettings(draws: 3000, seed: 42, correlation: 0.2, threads: threads))
        }
        let one = run(threads: 1)
        XCTAssertEqual(one, run(threads: 1))
        XCTAssertEqual(one, run(threads: 2))
        XCTAssertEqual(one, run(threads: 7))
        // Another seed gives other draws.
        let other = Simulator.run(indicators, years: [2030], checks: checks,
                                  settings: SimulationSettings(draws: 3000, seed: 43, correlation: 0.2))
        XCTAssertNotEqual(other[0].first { $0.unitID == 1 }?.median, one[0].first { $0.unitID == 1 && $0.year == 2030 }?.median)
        // A unit's draws are its own: simulating it alone, or in another order, gives the same.
        let alone = IndicatorSimulation(indicator: "C", aggregation: .ratio, ratioScale: 1, leaves: [],
                                        standalone: [indicators[2].leaves[3]], parents: [])
        let solo = Simulator.simulate(alone, years: [2030], checks: [], settings: SimulationSettings(draws: 3000, seed: 42, correlation: 0.2))
        XCTAssertEqual(solo.first { $0.unitID == 4 }, one[2].first { $0.unitID == 4 && $0.year == 2030 })
    }

    func testTheInverseSolveLandsWithinItsTolerance() throws {
        let horizon = Array(2025...2030)
        let leaves = try (1...4).map { unit in
            try simulated(Series(indicator: "A", unitID: unit, years: years,
                                 values: [30, 34, 37, 41, 44, 47].map { $0 + Double(unit * 3) }),
                          to: horizon, bounded: true, weight: Double(100 * unit))
        }
        let indicator = IndicatorSimulation(indicator: "A", aggregation: .ratio, ratioScale: 100, leaves: leaves,
                                            standalone: [], parents: [(unitID: 100, members: [0, 1, 2, 3])])
        // Units 1-3 hold 60% of the denominator: at 100% they alone would lift the parent past 85%.
        let check = Check(year: 2030, threshold: 85, atLeast: true)
        let settings = SimulationSettings(draws: 4000, seed: 9)
        let lagging: (SimulatedSeries) -> Bool = { $0.unitID <= 3 }
        let answer = Simulator.smallestGain(indicator, selected: lagging, from: 2026, unitID: 100, check: check,
                                            level: 0.8, tolerance: 0.01, upperBound: 100, settings: settings)
        let gain = try XCTUnwrap(answer.gain)
        func probability(_ extra: Double) throws -> Double {
            var changed = indicator
            changed.apply(ScheduledIntervention(.addPerYear(extra), from: 2026), first: true, where: lagging)
            let outcomes = Simulator.simulate(changed, years: [2030], checks: [check], settings: settings)
            return try XCTUnwrap(outcome(outcomes, 100, 2030).probabilities[check])
        }
        XCTAssertLessThan(answer.probabilityWithout, 0.8)
        XCTAssertEqual(try probability(0), answer.probabilityWithout)
        XCTAssertGreaterThanOrEqual(try probability(gain), 0.8)
        XCTAssertLessThan(try probability(gain - 0.01), 0.8)
        XCTAssertEqual(answer.probabilityWith, try probability(gain))
        // The scenario's ceiling holds whatever the gain: no answer.
        var capped = indicator
        capped.apply(ScheduledIntervention(.ceiling(80), from: 2025), where: { _ in true })
        let none = Simulator.smallestGain(capped, selected: lagging, from: 2026, unitID: 100, check: check, level: 0.8,
                                          tolerance: 0.01, upperBound: 100, settings: settings)
        XCTAssertNil(none.gain)
    }

    /// Each residual is drawn with either sign (a wild bootstrap with Rademacher weights), twelve values from six,
    /// each holding an equal share of the draws: a threshold midway between two is reached by the share above it.
    func testTheResidualBootstrapDrawsTheFitsOwnResidualsWithEitherSignAndEqualChances() throws {
        let values = [10.0, 13, 15, 21, 24, 27]  // residuals of six different sizes, so twelve different values
        let series = Series(indicator: "A", unitID: 1, years: years, values: values)
        // The least-squares line, its residuals and the 2025 forecast's spread, computed here by hand.
        let t = years.map { Double($0) - 2021.5 }, mean = values.reduce(0, +) / 6
        let slope = zip(t, values).reduce(0) { $0 + $1.0 * $1.1 } / t.reduce(0) { $0 + $1 * $1 }
        let residuals = zip(t, values).map { $1 - (mean + slope * $0) }
        let sigma = (residuals.reduce(0) { $0 + $1 * $1 } / 4).squareRoot()
        let spread = sigma * (1 + 1.0 / 6 + 3.5 * 3.5 / t.reduce(0) { $0 + $1 * $1 }).squareRoot()
        let center = mean + slope * 3.5
        let rms = (residuals.reduce(0) { $0 + $1 * $1 } / 6).squareRoot()
        let outcomes = residuals.flatMap { [center + spread * $0 / rms, center - spread * $0 / rms] }.sorted()
        // Thresholds between the twelve possible values: each is reached by the draws at or above it.
        let checks = (1..<12).map { Check(year: 2025, threshold: (outcomes[$0 - 1] + outcomes[$0]) / 2, atLeast: true) }
        for correlation in [0.0, 0.5] {
            let indicator = IndicatorSimulation(indicator: "A", aggregation: .sum, ratioScale: 1, leaves: [],
                                                standalone: [try simulated(series, to: [2025])], parents: [])
            var settings = SimulationSettings(draws: 30_000, seed: 4, correlation: correlation)
            settings.uncertainty = .bootstrap
            let result = try outcome(Simulator.simulate(indicator, years: [2025], checks: checks, settings: settings), 1, 2025)
            for (k, check) in checks.enumerated() {
                XCTAssertEqual(result.probabilities[check] ?? .nan, Double(11 - k) / 12, accuracy: 0.015, "rho \(correlation)")
            }
            XCTAssertEqual(result.lower95, outcomes[0], accuracy: 1e-9, "the smallest holds the lowest 1/24")
        }
    }

    /// The residuals sit at the shares (i + 0.5) / m, a share between two is read on the line between them.
    func testABootstrapErrorIsTheResidualsReadAtItsShare() {
        let residuals = [-3.0, -1, 1, 3]  // at the shares 1/8, 3/8, 5/8 and 7/8
        XCTAssertEqual(Simulator.bootstrapError(residuals, at: 0.5), 0, "symmetric: the median is 0")
        XCTAssertEqual(Simulator.bootstrapError(residuals, at: 3.0 / 8), -1, accuracy: 1e-12)
        XCTAssertEqual(Simulator.bootstrapError(residuals, at: 0.25), -2, accuracy: 1e-12, "halfway between -3 and -1")
        XCTAssertEqual(Simulator.bootstrapError(residuals, at: 0.05), -3, "below the first share, the first")
        XCTAssertEqual(Simulator.bootstrapError(residuals, at: 0.99), 3, "above the last, the last")
        XCTAssertEqual(Simulator.bootstrapError([2], at: 0.3), 2, "one residual")
    }

    func testQuantilesMatchSortedInterpolation() {
        var generator = SystemRandomNumberGenerator()
        let levels = [0.025, 0.1, 0.5, 0.9, 0.975]
        for n in [1, 2, 5, 100, 1001] {
            // Many ties, as in draws clipped at a bound.
            let values = (0..<n).map { _ in Double(Int.random(in: 0..<50, using: &generator)) }
            let sorted = values.sorted()
            let expected = levels.map { level -> Double in
                let h = level * Double(n - 1), k = Int(h)
                return sorted[k] + (h - Double(k)) * (sorted[min(k + 1, n - 1)] - sorted[k])
            }
            let found = Simulator.quantiles(of: values, at: levels)
            for (x, y) in zip(found, expected) { assertClose(x, y, Tolerance.rounding, "n \(n)") }
        }
    }
}
