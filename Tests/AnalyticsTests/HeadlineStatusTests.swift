import Analytics
import Reference
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

    /// 98 observed in 2025 against "100 by 2025", from 50 in 2020: not met. Within 5% of the pace needed, the
    /// methods classed it "substantial progress", "on track" and "will meet the target" beside the chip "not
    /// met" (the sample's basic digital skills, 98.75); each now says it was not achieved, its measure kept.
    func testATargetObservedMissedIsMissedByEveryMethod() {
        let target = Target(id: "t", clause: "t", indicator: "SHARE", textVI: "", textEN: "", comparator: .atLeast,
                            threshold: 100, unit: "percent", level: "nation", deadline: 2025, note: nil, unitID: nil, source: nil)
        let indicator = Indicator(code: "SHARE", nameVI: "", nameEN: "", unit: "percent", direction: .higher, aggregation: .ratio)
        let years = Array(2020...2025), values = [50.0, 60, 70, 80, 90, 98]
        func verdicts(through last: Int, currentYear: Int) -> [String: TargetAssessment.Verdict] {
            let count = years.firstIndex(of: last)! + 1
            let assessment = TargetAssessment(target: target, indicator: indicator,
                                              series: Series(indicator: "SHARE", unitID: 1, years: Array(years.prefix(count)),
                                                             values: Array(values.prefix(count))),
                                              forecast: ForecastAtDeadline(value: 98, model: nil, center: nil, spread: nil,
                                                                           degreesOfFreedom: nil, slope: 8),
                                              baseYear: 2020, currentYear: currentYear)
            return Dictionary(uniqueKeysWithValues: assessment.verdicts.map { ($0.method, $0) })
        }
        let missed = verdicts(through: 2025, currentYear: 2026)
        XCTAssertEqual(missed[AssessmentMethod.headline]?.status, "not met")
        for method in AssessmentMethod.all.dropFirst() {
            XCTAssertEqual(missed[method]?.status, "target not achieved", method)
        }
        XCTAssertEqual(missed[AssessmentMethod.progressMeasure]?.progress ?? 0, (pow(98 / 50, 0.2) - 1) / (pow(2, 0.2) - 1),
                       accuracy: 1e-12, "the measure is kept (METHODS.md 3.1): 0.970")
        XCTAssertEqual(missed[AssessmentMethod.escapCurrentStatus]?.progress ?? 0, 9.6, accuracy: 1e-12)
        // A year before, the deadline ahead, the figures are progress, classed as each method classes it.
        let ahead = verdicts(through: 2024, currentYear: 2025)
        XCTAssertEqual(ahead[AssessmentMethod.headline]?.status, "on track", "no spread: progress 1.06 decides")
        XCTAssertEqual(ahead[AssessmentMethod.progressMeasure]?.status, "substantial progress")
        XCTAssertEqual(ahead[AssessmentMethod.escapAnticipated]?.status, "will meet the target", "10 x 48/50 = 9.6")
    }

    /// "100 by 2025", observed up to 2024 (95.3), judged in December 2026: the forecast for 2025 (98.5) misses.
    /// The projection and the anticipated progress classed it "on track" and "will meet the target" beside
    /// the chip "no data for the deadline", and a pace of 4.7 a year was asked for a year gone: they now say
    /// there is no data for the deadline and no pace is given; what was observed keeps its classes.
    func testATargetUnobservedWhenItsYearHasPassedHasNoForwardClassAndNoPace() {
        let target = Target(id: "t", clause: "t", indicator: "SHARE", textVI: "", textEN: "", comparator: .atLeast,
                            threshold: 100, unit: "percent", level: "nation", deadline: 2025, note: nil, unitID: nil, source: nil)
        let indicator = Indicator(code: "SHARE", nameVI: "", nameEN: "", unit: "percent", direction: .higher, aggregation: .ratio)
        let series = Series(indicator: "SHARE", unitID: 1, years: [2021, 2022, 2023, 2024], values: [80, 85, 90, 95.3])
        func assess(currentYear: Int) -> TargetAssessment {
            TargetAssessment(target: target, indicator: indicator, series: series,
                             forecast: ForecastAtDeadline(value: 98.5, model: nil, center: nil, spread: nil, degreesOfFreedom: nil,
                                                          slope: 5.1),
                             baseYear: 2021, currentYear: currentYear)
        }
        let passed = assess(currentYear: 2026)
        let verdicts = Dictionary(uniqueKeysWithValues: passed.verdicts.map { ($0.method, $0) })
        XCTAssertEqual(verdicts[AssessmentMethod.headline]?.status, "no data for the deadline")
        XCTAssertEqual(verdicts[AssessmentMethod.projectedValueRatio]?.status, "no data for the deadline")
        XCTAssertEqual(verdicts[AssessmentMethod.escapAnticipated]?.status, "no data for the deadline")
        // Observed progress: CAGR 2021-2024 against the CAGR 2021-2025 needed, (95.3/80)^(1/3)-1 over (100/80)^(1/4)-1.
        let progress = (pow(95.3 / 80, 1.0 / 3) - 1) / (pow(100.0 / 80, 0.25) - 1)
        XCTAssertEqual(verdicts[AssessmentMethod.progressMeasure]?.progress ?? 0, progress, accuracy: 1e-12)
        XCTAssertEqual(verdicts[AssessmentMethod.progressMeasure]?.status, "substantial progress", "1.07: kept")
        XCTAssertEqual(verdicts[AssessmentMethod.escapCurrentStatus]?.status, "slow progress", "10 x 15.3/20 = 7.65: kept")
        // The anticipated index stays a number: 10 x (98.5 - 80) / 20.
        XCTAssertEqual(verdicts[AssessmentMethod.escapAnticipated]?.progress ?? 0, 9.25, accuracy: 1e-12)
        XCTAssertNil(passed.requiredPace)
        XCTAssertNil(passed.requiredRate)
        // In 2025, the year judged still ahead, the same figures look ahead: 4.7 a year is needed.
        let ahead = assess(currentYear: 2025)
        XCTAssertEqual(ahead.requiredPace ?? 0, 4.7, accuracy: 1e-12)
        XCTAssertEqual(ahead.verdicts.first { $0.method == AssessmentMethod.escapAnticipated }?.status, "will meet the target")
        XCTAssertEqual(ahead.verdicts.first { $0.method == AssessmentMethod.projectedValueRatio }?.status, "on track")
    }

    /// The same target observed at 100.5 in 2025: met, and the projection and the anticipated progress say so
    /// ("on track" and "will meet the target" for a year gone); the current status stays ESCAP's "on track".
    func testATargetObservedMetWhenItsYearHasPassedIsAchievedByTheMethodsThatProject() {
        let target = Target(id: "t", clause: "t", indicator: "SHARE", textVI: "", textEN: "", comparator: .atLeast,
                            threshold: 100, unit: "percent", level: "nation", deadline: 2025, note: nil, unitID: nil, source: nil)
        let indicator = Indicator(code: "SHARE", nameVI: "", nameEN: "", unit: "percent", direction: .higher, aggregation: .ratio)
        let series = Series(indicator: "SHARE", unitID: 1, years: [2021, 2022, 2023, 2024, 2025], values: [80, 85, 90, 95.3, 100.5])
        let assessment = TargetAssessment(target: target, indicator: indicator, series: series, forecast: nil, baseYear: 2021,
                                          currentYear: 2026)
        let status = Dictionary(uniqueKeysWithValues: assessment.verdicts.map { ($0.method, $0.status) })
        XCTAssertEqual(status, [AssessmentMethod.headline: "met", AssessmentMethod.progressMeasure: "target achieved",
                                AssessmentMethod.projectedValueRatio: "target achieved",
                                AssessmentMethod.escapCurrentStatus: "on track",
                                AssessmentMethod.escapAnticipated: "target achieved"])
        XCTAssertEqual(assessment.verdicts.first { $0.method == AssessmentMethod.escapAnticipated }?.progress, 10, "met: 10")
    }

    func testAMetTargetIsOnTrackByTheProjectedValueRatioToo() {
        // 100 -> 99 against "at least 50 by 2030": met, so no regression by 3.2.
        let ratio = ProjectedValueRatio.assess(baseYear: 2020, base: 100, latestYear: 2024, latest: 99, threshold: 50,
                                               deadline: 2030, percent: true, met: true)
        XCTAssertEqual(ratio.status, .onTrack)
    }
}
