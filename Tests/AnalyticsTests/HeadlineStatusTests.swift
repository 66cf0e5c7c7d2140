import Analytics
import XCTest

/// Every row of the headline table (METHODS.md 3.6), with values on each boundary.
final class HeadlineStatusTests: XCTestCase {
    let atLeast80 = { (value: Double) in value >= 80 }

    func judge(year: Int = 2030, observed: Double? = nil, latest: Double? = 60, points: Int = 5,
               probability: Double? = nil, progress: Double? = nil) -> HeadlineStatus {
        HeadlineStatus.judge(judgedYear: year, currentYear: 2026, observed: observed, latest: latest, points: points,
                             meets: atLeast80, probability: probability, progress: progress)
    }

    func testTheYearJudgedHasPassed() {
        XCTAssertEqual(judge(year: 2025, observed: 80, probability: 0), .met, "observed and meeting it, whatever P")
        XCTAssertEqual(judge(year: 2025, observed: 79.9, probability: 1), .notMet)
        XCTAssertEqual(judge(year: 2025, observed: nil, latest: 90, probability: 0.99), .noDataForDeadline,
                       "not observed that year: the latest value or the forecast do not judge it")
    }

    func testTheYearJudgedIsAhead() {
        XCTAssertEqual(judge(year: 2026, latest: 85, points: 1), .metEarly, "this year has not passed")
        XCTAssertEqual(judge(latest: 80, points: 1, probability: 0), .metEarly)
        XCTAssertEqual(judge(points: 1, probability: 0.9), .insufficientData, "one value is too few")
        XCTAssertEqual(judge(latest: nil, points: 0), .insufficientData)
        XCTAssertEqual(judge(probability: 0.8), .onTrack)
        XCTAssertEqual(judge(probability: 0.7999), .atRisk)
        XCTAssertEqual(judge(probability: 0.2), .atRisk)
        XCTAssertEqual(judge(probability: 0.1999), .offTrack)
    }

    func testWithoutAProbabilityTheProgressMeasureDecides() {
        XCTAssertEqual(judge(progress: 0.95), .onTrack)
        XCTAssertEqual(judge(progress: 0.9499), .atRisk)
        XCTAssertEqual(judge(progress: 0.6), .atRisk)
        XCTAssertEqual(judge(progress: 0.5999), .offTrack)
        XCTAssertEqual(judge(progress: nil), .insufficientData)
    }

    func testAMetTargetIsOnTrackByTheProjectedValueRatioToo() {
        // 100 -> 99 against "at least 50 by 2030": met, so no regression by 3.2.
        let ratio = ProjectedValueRatio.assess(baseYear: 2020, base: 100, latestYear: 2024, latest: 99, threshold: 50,
                                               deadline: 2030, percent: true, met: true)
        XCTAssertEqual(ratio.status, .onTrack)
    }
}
