import Analytics
import Foundation
import TestSupport
import XCTest

/// Compares the compute core with values computed independently by `Scripts/reference-values.py` (numpy
/// `lstsq`, scipy's t distribution), stored in `Fixtures/reference-values.json`.
final class ReferenceValuesTests: XCTestCase {
    static let fixture: [String: Any] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/reference-values.json")
        guard let data = try? Data(contentsOf: url),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }()

    func cases(_ name: String) throws -> [[String: Any]] {
        try XCTUnwrap(Self.fixture[name] as? [[String: Any]], "fixture section \(name)")
    }

    func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    func testModelsIntervalsBacktestAndChoice() throws {
        for item in try cases("forecasts") {
            let name = item["name"] as? String ?? ""
            let years = try XCTUnwrap(item["years"] as? [Int])
            let values = try XCTUnwrap(item["values"] as? [Double])
            let bounded = item["bounded"] as? Bool ?? false
            let series = Series(indicator: "X", unitID: 1, years: years, values: values)
            let models = try XCTUnwrap(item["models"] as? [String: [String: Any]])
            for (modelName, expected) in models {
                let model = try XCTUnwrap(TrendModel(rawValue: modelName))
                let forecasts = try Forecaster.forecast([series], to: [2025, 2030], bounded: { _ in bounded },
                                                        models: [model])
                let byYear = try XCTUnwrap(expected["forecasts"] as? [String: [String: Any]])
                for forecast in forecasts {
                    let label = "\(name) \(modelName) \(forecast.year)"
                    let e = try XCTUnwrap(byYear[String(forecast.year)], label)
                    XCTAssertEqual(forecast.model, model, label)
                    assertClose(forecast.value, try XCTUnwrap(number(e["value"])), Tolerance.approximation, label)
                    assertClose(forecast.spread, try XCTUnwrap(number(e["spread"])), Tolerance.approximation, label)
                    XCTAssertEqual(forecast.degreesOfFreedom, e["df"] as? Int, label)
                    if let lower = number(e["lower95"]) {
                        assertClose(try XCTUnwrap(forecast.interval95).lowerBound, lower, Tolerance.approximation, label)
                        assertClose(try XCTUnwrap(forecast.interval95).upperBound, try XCTUnwrap(number(e["upper95"])), Tolerance.approximation, label)
                        assertClose(try XCTUnwrap(forecast.interval80).lowerBound, try XCTUnwrap(number(e["lower80"])), Tolerance.approximation, label)
                    } else {
                        XCTAssertNil(forecast.interval95, label)
                    }
                    if let mae = number(expected["backtest_mae"]) {
                        assertClose(forecast.backtestError ?? .nan, mae, Tolerance.approximation, label)
                    }
                }
            }
            let chosen = try Forecaster.forecast([series], to: [2025], bounded: { _ in bounded })
            XCTAssertEqual(chosen.first?.model.rawValue, item["chosen"] as? String, "\(name): model chosen")
        }
    }

    func testProgressMeasure() throws {
        for item in try cases("progress_measure") {
            let expected = try XCTUnwrap(item["expected"] as? [String: Any])
            let result = ProgressMeasure.assess(
                years: try XCTUnwrap(item["years"] as? [Int]), values: try XCTUnwrap(item["values"] as? [Double]),
                direction: try XCTUnwrap(number(item["direction"])), threshold: try XCTUnwrap(number(item["threshold"])),
                deadline: try XCTUnwrap(item["deadline"] as? Int), baseYear: try XCTUnwrap(item["base_year"] as? Int))
            let label = "\(item["values"] ?? "") -> \(item["threshold"] ?? "")"
            XCTAssertEqual(result.status.rawValue, expected["status"] as? String, label)
            if let progress = number(expected["progress"]) {
                assertClose(result.progress ?? .nan, progress, Tolerance.solve, label)
            }
            if let score = number(expected["score"]) { assertClose(result.score ?? .nan, score, Tolerance.solve, label) }
        }
        for item in try cases("progress_status_boundaries") {
            let p = try XCTUnwrap(number(item["progress"]))
            XCTAssertEqual(ProgressMeasure.status(p).rawValue, item["status"] as? String, "p = \(p)")
            assertClose(ProgressMeasure.score(p), try XCTUnwrap(number(item["score"])), Tolerance.rounding, "p = \(p)")
        }
    }

    func testProgressWithoutTargetAndLimitScaling() throws {
        for item in try cases("without_target") {
            let expected = try XCTUnwrap(item["expected"] as? [String: Any])
            let limit = number(item["limit"])
            let result = try XCTUnwrap(ProgressMeasure.assessWithoutTarget(
                baseYear: try XCTUnwrap(item["base_year"] as? Int), base: try XCTUnwrap(number(item["base"])),
                latestYear: try XCTUnwrap(item["latest_year"] as? Int), latest: try XCTUnwrap(number(item["latest"])),
                direction: try XCTUnwrap(number(item["direction"])), limit: limit))
            let label = "\(item["base"] ?? "") -> \(item["latest"] ?? "") (limit \(limit.map { "\($0)" } ?? "none"))"
            XCTAssertEqual(result.status.rawValue, expected["status"] as? String, label)
            assertClose(result.progress, try XCTUnwrap(number(expected["progress"])), Tolerance.rounding, label)
            assertClose(result.score, try XCTUnwrap(number(expected["score"])), Tolerance.solve, label)
            if let limit {
                assertClose(ProgressMeasure.limitScaling(base: abs(try XCTUnwrap(number(item["base"]))), limit: limit), try XCTUnwrap(number(expected["C"])), Tolerance.rounding, label)
            }
        }
    }

    func testProjectedValueRatio() throws {
        for item in try cases("projected_value_ratio") {
            let expected = try XCTUnwrap(item["expected"] as? [String: Any])
            let result = ProjectedValueRatio.assess(
                baseYear: try XCTUnwrap(item["base_year"] as? Int), base: try XCTUnwrap(number(item["base"])),
                latestYear: try XCTUnwrap(item["latest_year"] as? Int), latest: try XCTUnwrap(number(item["latest"])),
                threshold: try XCTUnwrap(number(item["threshold"])), deadline: try XCTUnwrap(item["deadline"] as? Int),
                percent: item["percent"] as? Bool ?? false)
            let label = "\(item)"
            XCTAssertEqual(result.status.rawValue, expected["status"] as? String, label)
            assertClose(result.ratio ?? .nan, try XCTUnwrap(number(expected["ratio"])), Tolerance.solve, label)
            assertClose(result.projected ?? .nan, try XCTUnwrap(number(expected["projected"])), Tolerance.solve, label)
        }
        for item in try cases("pvr_status_boundaries") {
            let ratio = try XCTUnwrap(number(item["ratio"]))
            XCTAssertEqual(ProjectedValueRatio.status(ratio).rawValue, item["status"] as? String, "ratio \(ratio)")
        }
    }

    func testESCAPStyleIndexAndPace() throws {
        for item in try cases("escap") {
            let index = ESCAPStyleIndex.index(base: try XCTUnwrap(number(item["base"])), value: try XCTUnwrap(number(item["value"])),
                                              threshold: try XCTUnwrap(number(item["threshold"])),
                                              direction: try XCTUnwrap(number(item["direction"])))
            assertClose(index ?? .nan, try XCTUnwrap(number(item["index"])), Tolerance.rounding)
        }
        XCTAssertEqual(ESCAPStyleIndex.currentStatus(9), "slow progress", "CS > 9 is on track: 9 itself is not")
        XCTAssertEqual(ESCAPStyleIndex.currentStatus(9.0001), "on track")
        XCTAssertEqual(ESCAPStyleIndex.currentStatus(0), "regression")
        XCTAssertEqual(ESCAPStyleIndex.anticipatedProgress(0), "no progress expected")
        for item in try cases("required_pace") {
            let expected = try XCTUnwrap(item["expected"] as? [String: Any])
            let pace = RequiredPace.pace(latestYear: try XCTUnwrap(item["latest_year"] as? Int),
                                         latest: try XCTUnwrap(number(item["latest"])),
                                         threshold: try XCTUnwrap(number(item["threshold"])),
                                         deadline: try XCTUnwrap(item["deadline"] as? Int))
            if let perYear = number(expected["per_year"]) {
                assertClose(pace.perYear ?? .nan, perYear, Tolerance.rounding)
            } else {
                XCTAssertNil(pace.perYear, "a deadline already passed has no pace")
            }
            if let rate = number(expected["rate"]) { assertClose(pace.rate ?? .nan, rate, Tolerance.rounding) }
        }
    }

    func testProbabilityOfReachingTheTarget() throws {
        let series = Dictionary(uniqueKeysWithValues: try cases("forecasts").map { ($0["name"] as? String ?? "", $0) })
        for item in try cases("probability") {
            let source = try XCTUnwrap(series[item["series"] as? String ?? ""])
            let model = try XCTUnwrap(TrendModel(rawValue: item["model"] as? String ?? ""))
            let bounded = source["bounded"] as? Bool ?? false
            let forecast = try XCTUnwrap(try Forecaster.forecast(
                [Series(indicator: "X", unitID: 1, years: try XCTUnwrap(source["years"] as? [Int]),
                        values: try XCTUnwrap(source["values"] as? [Double]))],
                to: [2025], bounded: { _ in bounded }, models: [model]).first)
            let p = try XCTUnwrap(forecast.probability(ofReaching: try XCTUnwrap(number(item["threshold"])), atLeast: true))
            assertClose(p, try XCTUnwrap(number(item["probability"])), Tolerance.solve, "\(item)")
        }
    }
}
