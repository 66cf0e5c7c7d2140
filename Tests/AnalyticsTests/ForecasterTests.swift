import Analytics
import TestSupport
import XCTest

/// Expected values from numpy 2.4 / scipy 1.17 (`numpy.linalg.lstsq`, `scipy.stats.t`), computed outside chiso.
final class ForecasterTests: XCTestCase {
    func testStudentTAgainstScipy() {
        let quantiles975: [(Double, Double)] = [(1, 12.706204736174694), (2, 4.302652729749462),
                                                (4, 2.7764451051977934), (10, 2.228138851986274),
                                                (30, 2.0422724563012378)]
        for (df, expected) in quantiles975 {
            assertClose(StudentT.quantile(0.975, degreesOfFreedom: df), expected, Tolerance.solve, "df \(df)")
        }
        assertClose(StudentT.quantile(0.9, degreesOfFreedom: 4), 1.533206274058944, Tolerance.rounding)
        assertClose(StudentT.cdf(1.3, degreesOfFreedom: 10), 0.8886170913965777, Tolerance.rounding)
        assertClose(StudentT.cdf(-1.3, degreesOfFreedom: 2), 1 - 0.8383764840919798, Tolerance.rounding)
        XCTAssertEqual(StudentT.cdf(0, degreesOfFreedom: 3), 0.5, accuracy: 1e-15)
    }

    func testForecastAndPredictionIntervalsAgainstNumpy() throws {
        let years = Array(2019...2024)
        let series = [
            Series(indicator: "A", unitID: 1, years: years, values: [10, 14, 15, 21, 24, 27]),
            Series(indicator: "A", unitID: 2, years: years, values: [50, 49, 47, 46, 44, 41]),
        ]
        let forecasts = try Forecaster.forecast(series, to: [2025, 2030], bounded: { _ in false }, models: [.linear])
        XCTAssertEqual(forecasts.count, 4)
        let a2025 = try XCTUnwrap(forecasts.first { $0.unitID == 1 && $0.year == 2025 })
        XCTAssertEqual(a2025.model, .linear)
        assertClose(a2025.value, 30.6, Tolerance.rounding)
        assertClose(a2025.slope, 3.4571428571428573, Tolerance.rounding)
        assertClose(try XCTUnwrap(a2025.interval80).lowerBound, 28.417311551382078, Tolerance.solve)
        assertClose(try XCTUnwrap(a2025.interval80).upperBound, 32.78268844861683, Tolerance.solve)
        assertClose(try XCTUnwrap(a2025.interval95).lowerBound, 26.647423779911207, Tolerance.solve)
        assertClose(try XCTUnwrap(a2025.interval95).upperBound, 34.5525762200877, Tolerance.solve)
        let a2030 = try XCTUnwrap(forecasts.first { $0.unitID == 1 && $0.year == 2030 })
        assertClose(a2030.value, 47.88571428571686, Tolerance.rounding)
        assertClose(try XCTUnwrap(a2030.interval95).lowerBound, 41.22854480414934, Tolerance.solve)
        assertClose(try XCTUnwrap(a2030.interval95).upperBound, 54.54288376728438, Tolerance.solve)
        let b = try XCTUnwrap(forecasts.first { $0.unitID == 2 && $0.year == 2025 })
        assertClose(b.slope, -1.7428571428571429, Tolerance.rounding)
    }

    func testTheNaiveSpreadOfASurveySeriesCountsSurveysNotYears() throws {
        // Biennial surveys; changes 2, -1, 2: s = √3 per survey.
        let forecasts = try Forecaster.forecast([
            Series(indicator: "RANK", unitID: 1, years: [2018, 2020, 2022, 2024], values: [10, 12, 11, 13]),
            Series(indicator: "YEARLY", unitID: 2, years: [2021, 2022, 2023, 2024], values: [10, 12, 11, 13]),
        ], to: [2026, 2030], bounded: { _ in false }, models: [.naive])
        func spread(_ unit: Int, _ year: Int) throws -> Double {
            try XCTUnwrap(forecasts.first { $0.unitID == unit && $0.year == year }?.spread)
        }
        assertClose(try spread(1, 2026), 3.0.squareRoot(), Tolerance.rounding, "2024 to 2026: one survey")
        assertClose(try spread(1, 2030), 3, Tolerance.rounding, "three surveys")
        assertClose(try spread(2, 2026), 6.0.squareRoot(), Tolerance.rounding, "a yearly series: two years")
        assertClose(try spread(2, 2030), 18.0.squareRoot(), Tolerance.rounding)
    }

    func testSeriesWithGapsAndSinglePoints() throws {
        let forecasts = try Forecaster.forecast([
            Series(indicator: "A", unitID: 1, years: [2019, 2021, 2024], values: [1, 3, 6]),
            Series(indicator: "A", unitID: 2, years: [2023], values: [7]),
            Series(indicator: "A", unitID: 3, years: [2022, 2024], values: [10, 14]),
            Series(indicator: "A", unitID: 4, years: [], values: []),
        ], to: [2025], bounded: { _ in false }, models: [.naive, .linear])
        XCTAssertEqual(forecasts.count, 3)
        let gappy = try XCTUnwrap(forecasts.first { $0.unitID == 1 })
        // Exact line through (2019, 1), (2021, 3), (2024, 6): slope 1.
        assertClose(gappy.value, 7, Tolerance.rounding)
        assertClose(gappy.slope, 1, Tolerance.rounding)
        let naive = try XCTUnwrap(forecasts.first { $0.unitID == 2 })
        XCTAssertEqual(naive.model, .naive)
        XCTAssertEqual(naive.value, 7)
        let twoPoints = try XCTUnwrap(forecasts.first { $0.unitID == 3 })
        assertClose(twoPoints.value, 16, Tolerance.rounding)
        XCTAssertNil(twoPoints.interval95, "two points leave no degrees of freedom for an interval")
    }
}
