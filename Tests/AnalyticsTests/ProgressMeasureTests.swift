import Analytics
import Foundation
import TestSupport
import XCTest

/// METHODS.md 3.1. Each case is built so the progress ratio lands where intended: with base 10 in 2020 and
/// target 20 in 2025, the required CAGR is 2^(1/5) - 1; a latest value of 10 * 2^(p/5 * ... ) hits ratio p.
final class ProgressMeasureTests: XCTestCase {
    /// The latest value in `year` that gives progress ratio `p` for base 10 (2020) and target 20 (2025).
    func latest(for p: Double, in year: Int = 2023) -> Double {
        let required = pow(2, 1.0 / 5) - 1
        return 10 * pow(1 + p * required, Double(year - 2020))
    }

    func assess(_ values: [Double], years: [Int] = [2020, 2023], direction: Double = 1, threshold: Double = 20,
                deadline: Int = 2025, baseYear: Int = 2020) -> ProgressAssessment {
        ProgressMeasure.assess(years: years, values: values, direction: direction, threshold: threshold,
                               deadline: deadline, baseYear: baseYear)
    }

    func testStatusBoundariesAreStartInclusive() {
        XCTAssertEqual(ProgressMeasure.status(0.95), .substantial)
        XCTAssertEqual(ProgressMeasure.status(0.95.nextDown), .moderate)
        XCTAssertEqual(ProgressMeasure.status(0.6), .moderate)
        XCTAssertEqual(ProgressMeasure.status(0.6.nextDown), .limited)
        XCTAssertEqual(ProgressMeasure.status(0), .limited)
        XCTAssertEqual(ProgressMeasure.status(-Double.leastNonzeroMagnitude), .deterioration)
    }

    func testScoreFormulas() {
        assertClose(ProgressMeasure.score(1), 7.1429 - 4.2857, Tolerance.rounding)
        assertClose(ProgressMeasure.score(0.6), 7.1429 * 0.6 - 4.2857, Tolerance.rounding)
        XCTAssertEqual(ProgressMeasure.score(2), 5, "capped at 5")
        assertClose(ProgressMeasure.score(0.3), 4.1667 * 0.3 - 2.5, Tolerance.rounding)
        XCTAssertEqual(ProgressMeasure.score(-10), -5, "floored at -5")
    }

    func testProgressRatioFromSeries() {
        for p in [1.2, 0.95, 0.7, 0.6, 0.3, 0, -0.4] {
            let result = assess([10, latest(for: p)])
            assertClose(result.progress ?? .nan, p, Tolerance.solve, "p = \(p)")
            XCTAssertEqual(result.baseYear, 2020)
            XCTAssertEqual(result.latestYear, 2023)
        }
        XCTAssertEqual(assess([10, latest(for: 0.7)]).status, .moderate)
        XCTAssertEqual(assess([10, latest(for: -0.4)]).status, .deterioration)
    }

    func testAchievedWinsWhateverElse() {
        let result = assess([10, 25])
        XCTAssertEqual(result.status, .achieved)
        XCTAssertEqual(result.score, 5)
        XCTAssertEqual(assess([80, 40], direction: -1, threshold: 50).status, .achieved)
    }

    func testLowerIsBetterRank() {
        // Rank 86 (2022) to 71 (2024), target top 50 by 2025, base 2022.
        let result = assess([86, 71], years: [2022, 2024], direction: -1, threshold: 50, baseYear: 2022)
        let observed = -(pow(71.0 / 86, 0.5) - 1)
        let required = abs(pow(50.0 / 86, 1.0 / 3) - 1)
        assertClose(result.progress ?? .nan, observed / required, Tolerance.rounding)
        XCTAssertEqual(result.status, .limited, "progress 0.553: the pace of 2022-2024 is not enough for top 50")
    }

    func testBaseYearFallsToNextYearWithAValue() {
        let result = assess([10, 12, 15], years: [2019, 2021, 2024], baseYear: 2020)
        XCTAssertEqual(result.baseYear, 2021)
        XCTAssertEqual(result.baseValue, 12)
    }

    func testEdgeCases() {
        XCTAssertEqual(assess([10], years: [2023]).status, .insufficientData)
        XCTAssertEqual(assess([], years: []).status, .noData)
        XCTAssertEqual(assess([-5, 5]).status, .notAssessable, "base and latest of opposite signs")
        // Base 0 is replaced by 0.001.
        let zero = assess([0, 5])
        assertClose(zero.progress ?? .nan, (pow(5 / 0.001, 1.0 / 3) - 1) / abs(pow(20 / 0.001, 1.0 / 5) - 1), Tolerance.rounding)
        // Observations after the deadline do not count.
        XCTAssertEqual(assess([10, 12, 30], years: [2020, 2024, 2026]).latestYear, 2024)
    }

    func testCombiningSeries() throws {
        let a = assess([10, latest(for: 1.0)]), b = assess([10, latest(for: 0.3)])
        let combined = try XCTUnwrap(ProgressMeasure.combine([a, b]))
        assertClose(combined.score, (ProgressMeasure.score(1.0) + ProgressMeasure.score(0.3)) / 2, Tolerance.solve)
        XCTAssertEqual(combined.status, .moderate, "mean score 0.80 lies in [0, 2.5)")
        let achieved = try XCTUnwrap(ProgressMeasure.combine([assess([10, 25]), assess([10, 21])]))
        XCTAssertEqual(achieved.status, .achieved)
        XCTAssertNil(ProgressMeasure.combine([assess([], years: [])]))
    }
}
