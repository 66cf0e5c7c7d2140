// The Swift side of Scripts/bench: times the compute core on synthetic inputs that Scripts/bench_numpy.py
// builds the same way, and prints one JSON object. Not a test: it asserts nothing about time.
import Analytics
import Foundation
import Ingest
import LinearAlgebra
import Reference

/// The fastest of `repeats` runs of `body`, in seconds, as Python's timeit reports (Scripts/bench_numpy.py
/// times its side the same way): the slower runs measure the machine's other work, not this one.
func seconds(bestOf repeats: Int = 3, _ body: () throws -> Void) rethrows -> Double {
    var best = Double.infinity
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return best
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

let arguments = CommandLine.arguments
// `chiso-bench simulate INPUTS.json [DRAWS]`: the simulation benchmark alone.
if arguments.count > 2 && arguments[1] == "simulate" {
    let result = try simulationBench(inputsPath: arguments[2], draws: arguments.count > 3 ? Int(arguments[3]) ?? 10_000 : 10_000)
    print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))
    exit(0)
}
let seriesCount = Int(arguments.dropFirst().first ?? "") ?? 100_000
let datasets = arguments.count > 2 ? arguments[2] : "Datasets"

// 1. Forecasts: `seriesCount` series of 10 years (2015-2024), every other one a percentage; the four models,
//    the rolling-origin backtest, forecasts with intervals to 2025 and 2030.
let years = Array(2015...2024)
var series: [Series] = []
series.reserveCapacity(seriesCount)
for i in 0..<seriesCount {
    let base = 10 + Double(i % 50), slope = 1 + Double(i % 7) * 0.5
    let values = years.indices.map { j in base + slope * Double(j) + Double((i * 31 + j * 17) % 11 - 5) * 0.3 }
    series.append(Series(indicator: i % 2 == 0 ? "SHARE" : "COUNT", unitID: i, years: years, values: values))
}
var forecasts: [Forecast] = []
let forecastSeconds = try seconds {
    forecasts = try Forecaster.forecast(series, to: [2025, 2030], bounded: { $0 == "SHARE" })
}
var chosen: [String: Int] = [:]
for forecast in forecasts where forecast.year == 2025 { chosen[forecast.model.rawValue, default: 0] += 1 }

// 2. Roll-up: 50 indicators (25 SUM, 25 RATIO) x 10,035 communes x 10 periods, commune -> district ->
//    province -> region -> nation over the real pre-2025 hierarchy.
let reference = try ReferenceDataset(directory: datasets + "/reference")
var nextID = 0
var ids: [UnitKey: Int] = [:]
for unit in reference.units where unit.version == .pre2025 {
    ids[UnitKey(unit.version, unit.level, unit.code)] = nextID
    nextID += 1
}
var parentOf: [Int: Int] = [:]
for unit in reference.units where unit.version == .pre2025 {
    guard let parent = unit.parent, let child = ids[UnitKey(.pre2025, unit.level, unit.code)],
          let parentID = ids[UnitKey(.pre2025, parent.level, parent.code)] else { continue }
    parentOf[child] = parentID
}
let levelOf = Dictionary(uniqueKeysWithValues: reference.units.filter { $0.version == .pre2025 }
    .compactMap { unit in ids[UnitKey(.pre2025, unit.level, unit.code)].map { ($0, unit.level) } })
let communes = levelOf.filter { $0.value == .commune }.keys.sorted()
let indicators = (0..<50).map { "I\($0)" }
let periods = (2015...2024).map(String.init)
var rules: [String: AggregationRule] = [:]
for (k, code) in indicators.enumerated() {
    rules[code] = AggregationRule(aggregation: k < 25 ? .sum : .ratio, ratioScale: 100)
}
let columns = indicators.flatMap { code in periods.map { Panel.Column(indicator: code, period: $0) } }
var panel = Panel(units: communes, columns: columns)
for (c, _) in communes.enumerated() {
    for (k, _) in indicators.enumerated() {
        for p in periods.indices {
            let j = k * periods.count + p
            if k < 25 {
                panel.values[c, j] = Double(100 + (c * 7 + k * 13 + p * 3) % 50)
            } else {
                let numerator = Double((c + k + p) % 40 + 1)
                panel.numerators[c, j] = numerator
                panel.denominators[c, j] = 50
                panel.values[c, j] = 100 * numerator / 50
            }
        }
    }
}
var nationalTotal = 0.0
let rollUpSeconds = try seconds {
    var current = panel
    for _ in 0..<4 {
        let links = current.units.compactMap { child in parentOf[child].map { (parent: $0, child: child, share: 1.0) } }
        current = Aggregator.aggregate(current, by: try Membership(links: links, hierarchy: true), rules: rules,
                                       isCrosswalk: false)
    }
    nationalTotal = current.values[0, 0]
}

let result: [String: Any] = [
    "series": seriesCount, "forecast_seconds": forecastSeconds, "models_chosen": chosen,
    "forecast_2025_first": forecasts.first { $0.year == 2025 }?.value ?? 0,
    "rollup_seconds": rollUpSeconds, "rollup_communes": communes.count, "rollup_indicators": 50, "rollup_periods": 10,
    "rollup_national_I0_2015": nationalTotal, "peak_rss_mb": peakRSSMegabytes(),
]
let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: data, as: UTF8.self))
