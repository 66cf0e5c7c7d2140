import Analytics
import Foundation

/// The simulation benchmark of Scripts/bench: 63 provinces x 30 percentage indicators (RATIO, with
/// denominators), fitted to 2017-2024 with the model each backtest chooses, simulated to 2025 and 2030 with
/// 10,000 draws, correlated errors (0.3), +2 points a year from 2026 in every third province, aggregated to
/// 6 regions and the nation inside each draw, summarised by quantiles and the probability of reaching 90%.
/// Writes the fitted distributions to `inputsPath` (for Scripts/bench_simulate.py, which runs the same
/// simulation in numpy) and returns the timing and a few results.
func simulationBench(inputsPath: String, draws: Int) throws -> [String: Any] {
    let provinces = 63, indicatorCount = 30, years = Array(2017...2024), horizon = Array(2025...2030)
    let regionOf = (0..<provinces).map { $0 % 6 }
    var series: [Series] = []
    var weights: [Int: Double] = [:]
    for i in 0..<indicatorCount {
        for p in 0..<provinces {
            let start = 15 + Double((p * 7 + i * 3) % 40), pace = 2 + Double((p + i) % 9)
            let values = years.indices.map { j in min(99, start + pace * Double(j) + Double((p * 13 + i * 5 + j * 17) % 7 - 3)) }
            series.append(Series(indicator: "I\(i)", unitID: p + 1, years: years, values: values))
            weights[p + 1] = Double(1000 + (p * 7919) % 50_000)
        }
    }
    let forecasts = try Forecaster.forecast(series, to: horizon, bounded: { _ in true })
    var byKey: [String: [Forecast]] = [:]
    for f in forecasts { byKey["\(f.indicator)|\(f.unitID)", default: []].append(f) }
    var indicators: [IndicatorSimulation] = []
    var exported: [[String: Any]] = []
    for i in 0..<indicatorCount {
        var leaves: [SimulatedSeries] = []
        for p in 0..<provinces {
            let fs = (byKey["I\(i)|\(p + 1)"] ?? []).sorted { $0.year < $1.year }
            let item = series[i * provinces + p]
            var leaf = SimulatedSeries(unitID: p + 1, model: fs[0].model,
                                       observed: Dictionary(uniqueKeysWithValues: zip(item.years, item.values)),
                                       firstYear: 2025, centers: fs.map(\.center), spreads: fs.map(\.spread),
                                       degreesOfFreedom: fs[0].degreesOfFreedom, range: 0...100, weight: weights[p + 1])
            let lagging = p % 3 == 0
            if lagging { leaf.interventions = [ScheduledIntervention(.addPerYear(2), from: 2026)] }
            leaves.append(leaf)
            exported.append(["indicator": i, "province": p, "region": regionOf[p], "model": fs[0].model.rawValue,
                             "df": fs[0].degreesOfFreedom, "weight": weights[p + 1] ?? 0, "lagging": lagging,
                             "center2025": fs[0].center, "spread2025": fs[0].spread,
                             "center2030": fs[5].center, "spread2030": fs[5].spread])
        }
        var parents = (0..<6).map { r in (unitID: 1000 + r, members: (0..<provinces).filter { regionOf[$0] == r }) }
        parents.append((unitID: 2000, members: Array(0..<provinces)))
        indicators.append(IndicatorSimulation(indicator: "I\(i)", aggregation: .ratio, ratioScale: 100, leaves: leaves,
                                              standalone: [], parents: parents))
    }
    let data = try JSONSerialization.data(withJSONObject: ["draws": draws, "correlation": 0.3, "series": exported])
    try data.write(to: URL(fileURLWithPath: inputsPath))

    let checks = Dictionary(uniqueKeysWithValues: (0..<indicatorCount).map { i in
        ("I\(i)", [Check(year: 2025, threshold: 90, atLeast: true), Check(year: 2030, threshold: 90, atLeast: true)])
    })
    let settings = SimulationSettings(draws: draws, seed: 942, correlation: 0.3)
    var results: [[Outcome]] = []
    let elapsed = seconds { results = Simulator.run(indicators, years: [2025, 2030], checks: checks, settings: settings) }
    // The nation's median and probability in 2030 per indicator, to compare with numpy's (Monte Carlo error apart).
    var national: [String: [Double]] = [:]
    for (i, outcomes) in results.enumerated() {
        guard let nation = outcomes.first(where: { $0.unitID == 2000 && $0.year == 2030 }) else { continue }
        national["I\(i)"] = [nation.median, nation.upper95 - nation.lower95,
                             nation.probabilities[Check(year: 2030, threshold: 90, atLeast: true)] ?? .nan]
    }
    return ["simulate_seconds": elapsed, "draws": draws, "threads": settings.threads, "national_2030": national,
            "peak_rss_mb": peakRSSMegabytes()]
}
