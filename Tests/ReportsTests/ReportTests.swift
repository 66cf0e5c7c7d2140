@testable import Reports
import XCTest

final class ReportTests: XCTestCase {
    func row(name: String, status: String = "at risk") -> ScorecardRow {
        ScorecardRow(targetID: "III.1.d", clause: "III.1.d", indicator: "DOSSIER_FULLY_ONLINE_SHARE",
                     textVI: "Tối thiểu 80% hồ sơ", textEN: "At least 80% of dossiers", unitCode: "01",
                     unitName: name, level: "national", latestYear: 2024, latestValue: 61.234, comparator: ">=",
                     threshold: 80, unitOfMeasure: "percent", deadline: 2025, assessedYear: 2025, basis: "forecast",
                     valueAtDeadline: 66.5, model: "logit", forecastLower95: 60, forecastUpper95: 73, status: status,
                     score: 0.81234, progress: 0.7, projectedValueRatio: "fair progress, acceleration needed",
                     escapCurrentStatus: "slow progress", escapAnticipated: "needs to accelerate", probability: 0.0123,
                     requiredPace: 18.766, requiredRate: 0.3065, observedPace: 5.1, progressMeasure: "moderate progress")
    }

    func testCSVQuotingAndFormulaNeutralising() {
        XCTAssertEqual(CSVWriter.escape("plain"), "plain")
        XCTAssertEqual(CSVWriter.escape("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVWriter.escape("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVWriter.escape("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"")
        XCTAssertEqual(CSVWriter.escape("@SUM(A1)"), "'@SUM(A1)")
        XCTAssertEqual(CSVWriter.escape("-5.2"), "-5.2", "numbers stay numbers")
        XCTAssertEqual(CSVWriter.escape("+cmd"), "'+cmd")
    }

    func testScorecardCSV() {
        let csv = ScorecardCSV.render([row(name: "Hà Nội")])
        let lines = csv.components(separatedBy: "\r\n")
        XCTAssertEqual(lines[0], ScorecardCSV.header.joined(separator: ","))
        XCTAssertEqual(lines[1], "III.1.d,III.1.d,DOSSIER_FULLY_ONLINE_SHARE,01,Hà Nội,national,2024,61.23,>=,80,percent,"
                       + "2025,18.77,2025,forecast,66.50,logit,60.00,73.00,at risk,moderate progress,0.812,0.700,"
                       + "\"fair progress, acceleration needed\",slow progress,needs to accelerate,0.012,18.77,0.3065,"
                       + "5.10,Tối thiểu 80% hồ sơ,At least 80% of dossiers")
        XCTAssertEqual(lines.count, 3, "CRLF after every record")
    }

    /// A pace is asked only while the year judged is ahead; once it has passed unobserved or missed, the
    /// sentence gives the gap from the latest value (METHODS.md 3.4): "needs 49.4 points a year" for a 2025
    /// target read in December 2026 asked for a year gone.
    func testAPassedDeadlineGivesTheGapNotAPace() {
        func sentence(status: String, pace: Double?, language: ReportLanguage, basis: String = "forecast",
                      unitCode: String = "01") -> String {
            let r = row(name: "Hà Nội")
            return Explanation.sentence(ScorecardRow(
                targetID: r.targetID, clause: r.clause, indicator: r.indicator, textVI: r.textVI, textEN: r.textEN,
                unitCode: unitCode, unitName: r.unitName, level: r.level,
                latestYear: unitCode == "*" ? nil : basis == "observed" ? 2025 : r.latestYear,
                latestValue: unitCode == "*" ? nil : basis == "observed" ? r.valueAtDeadline : r.latestValue,
                comparator: r.comparator, threshold: r.threshold, unitOfMeasure: r.unitOfMeasure, deadline: r.deadline,
                assessedYear: r.assessedYear, basis: basis, valueAtDeadline: r.valueAtDeadline, model: r.model,
                forecastLower95: r.forecastLower95, forecastUpper95: r.forecastUpper95, status: status, score: r.score,
                progress: r.progress, projectedValueRatio: r.projectedValueRatio, escapCurrentStatus: r.escapCurrentStatus,
                escapAnticipated: r.escapAnticipated, probability: r.probability, requiredPace: pace, requiredRate: nil,
                observedPace: r.observedPace, progressMeasure: r.progressMeasure), language: language)
        }
        // 80 - 61.234 = 18.766 still to go.
        let passed = sentence(status: "no data for the deadline", pace: nil, language: .en)
        XCTAssertTrue(passed.hasSuffix("; 18.8 points short of the target in 2024."), passed)
        XCTAssertFalse(passed.contains("a year"), passed)
        // A result stored by an earlier version still holds a pace for the year gone: the status decides.
        let stored = sentence(status: "no data for the deadline", pace: 18.766, language: .en)
        XCTAssertTrue(stored.hasSuffix("; 18.8 points short of the target in 2024.") && !stored.contains("a year"), stored)
        XCTAssertTrue(sentence(status: "not met", pace: nil, language: .vi).hasSuffix("; năm 2024 còn cách chỉ tiêu 18,8 điểm %."))
        // Observed missed in the year judged (66.5 in 2025), the part before has said the year: 80 - 66.5 to go.
        let observed = sentence(status: "not met", pace: nil, language: .vi, basis: "observed")
        XCTAssertTrue(observed.hasSuffix("; năm 2025 đạt 66,5%: chưa đạt chỉ tiêu; còn cách chỉ tiêu 13,5 điểm %."), observed)
        let ahead = sentence(status: "at risk", pace: 18.766, language: .en)
        XCTAssertTrue(ahead.contains("it needs 18.8 points a year (recent pace: 5.1)"), ahead)
        XCTAssertFalse(ahead.contains("short of"), ahead)
        // Several units, each with values but none for the deadline, have no one latest value: the sentence
        // said "The units: no data yet for the target" beside their progress measure.
        let units = sentence(status: "no data for the deadline", pace: nil, language: .en, unitCode: "*")
        XCTAssertTrue(units.hasPrefix("The units: the target is at least 80% by 2025;"), units)
        XCTAssertTrue(sentence(status: "no data for the deadline", pace: nil, language: .vi, unitCode: "*")
            .hasPrefix("Các đơn vị: chỉ tiêu tối thiểu 80% vào năm 2025;"))
    }

    /// Hải Phòng's 79.95% against "at least 80%" read "80,0% ... còn cách chỉ tiêu 0,0 điểm %", and a chance
    /// of 99.6% read 100%: a figure is written with the decimals that keep it on its side of the target, a gap
    /// with those that keep it from 0, and a chance is 100% or 0% only when certain.
    func testNoFigureIsRoundedOntoTheTargetNorAChanceToCertainty() {
        func row(latest: Double, probability: Double) -> ScorecardRow {
            ScorecardRow(targetID: "III.1.d", clause: "III.1.d", indicator: "DOSSIER_FULLY_ONLINE_SHARE", textVI: "", textEN: "",
                         unitCode: "31", unitName: "Hải Phòng", level: "province", latestYear: 2024, latestValue: latest,
                         comparator: ">=", threshold: 80, unitOfMeasure: "percent", deadline: 2025, assessedYear: 2025,
                         basis: "forecast", valueAtDeadline: 79.996, model: "logit", forecastLower95: 79.2, forecastUpper95: 80.6,
                         status: "no data for the deadline", score: nil, progress: nil, projectedValueRatio: nil,
                         escapCurrentStatus: nil, escapAnticipated: nil, probability: probability, requiredPace: nil,
                         requiredRate: nil, observedPace: nil)
        }
        let vi = Explanation.sentence(row(latest: 79.95, probability: 0.996), language: .vi)
        XCTAssertTrue(vi.hasPrefix("Hải Phòng: 79,95% năm 2024;"), vi)
        XCTAssertTrue(vi.contains("dự báo năm 2025: 79,996% (95%: 79,2% – 80,6%), khả năng đạt > 99%;"), vi)
        XCTAssertTrue(vi.contains("năm 2024 còn cách chỉ tiêu 0,05 điểm %."), vi)
        let en = Explanation.sentence(row(latest: 79.95, probability: 0.003), language: .en)
        XCTAssertTrue(en.contains("chance of meeting the target: < 1%;"), en)
        let half = Explanation.sentence(row(latest: 79.95, probability: 0.005), language: .en)
        XCTAssertTrue(half.contains("chance of meeting the target: < 1%;"), "0.5% is not 0%: \(half)")
        XCTAssertTrue(Explanation.sentence(row(latest: 61.24, probability: 0.4), language: .en)
            .contains("Hải Phòng: 61.2% in 2024;"), "far from the target, one decimal")
        XCTAssertEqual(DisplayNumber.decimals(80, apartFrom: 80, atLeast: 1), 1, "on the target, it stays there")
        // The UN survey rank, 71st in 2024 against the top 50 judged on the 2026 survey, read in 2027: whole places.
        func rankRow(forecast: Double, low: Double, high: Double, status: String, probability: Double) -> ScorecardRow {
            ScorecardRow(targetID: "III.5.a", clause: "III.5.a", indicator: "EGDI_RANK", textVI: "", textEN: "",
                         unitCode: "VN", unitName: "Việt Nam", level: "national", latestYear: 2024, latestValue: 71,
                         comparator: "<=", threshold: 50, unitOfMeasure: "rank", deadline: 2025, assessedYear: 2026,
                         basis: "forecast", valueAtDeadline: forecast, model: "naive", forecastLower95: low, forecastUpper95: high,
                         status: status, score: nil, progress: nil, projectedValueRatio: nil, escapCurrentStatus: nil,
                         escapAnticipated: nil, probability: probability, requiredPace: nil, requiredRate: nil, observedPace: nil)
        }
        let rank = rankRow(forecast: 71, low: 49, high: 93, status: "no data for the deadline", probability: 0.0301)
        XCTAssertTrue(Explanation.sentence(rank, language: .vi).contains("; năm 2024 còn cách chỉ tiêu 21 bậc."))
        // The overview's columns beside the chip: 79.996 read "80,00" there, and the rank "71,00".
        let vi2 = Labels(.vi)
        XCTAssertEqual(vi2.figure(79.996, of: row(latest: 79.95, probability: 0.5)), "79,996")
        XCTAssertEqual(vi2.figure(79.95, of: row(latest: 79.95, probability: 0.5)), "79,95")
        XCTAssertEqual(vi2.figure(64.3, of: row(latest: 79.95, probability: 0.5)), "64,30")
        XCTAssertEqual(vi2.figure(71, of: rank), "71")
        XCTAssertEqual(vi2.figure(50.4, of: rank), "50,4", "a forecast rank stays off the target")
        // In the sentence too: a forecast of 50.4 for the top 50 read "hạng 50".
        let near = rankRow(forecast: 50.4, low: 31.2, high: 69.6, status: "at risk", probability: 0.48)
        let viNear = Explanation.sentence(near, language: .vi), enNear = Explanation.sentence(near, language: .en)
        XCTAssertTrue(viNear.contains("hạng 71 năm 2024") && viNear.contains(": hạng 50,4 (95%: hạng 31 – hạng 70)"), viNear)
        XCTAssertTrue(enNear.contains("71st in 2024") && enNear.contains("rank 50.4"), enNear)
        XCTAssertEqual(DisplayNumber.decimals(80.00004, apartFrom: 80, atLeast: 1), 4, "at most 4")
    }

}

final class DisclosureControlTests: XCTestCase {
    func testSmallCountsAndTheSiblingThatWouldRevealThemAreSuppressed() {
        typealias Cell = DisclosureControl.Cell
        let cells = [
            Cell(groups: ["A"], value: 3, numerator: nil, denominator: nil),    // 0: below 10
            Cell(groups: ["A"], value: 12, numerator: nil, denominator: nil),   // 1: the next smallest sibling, or 3 = total - 12 - 20
            Cell(groups: ["A"], value: 20, numerator: nil, denominator: nil),   // 2
            Cell(groups: ["A"], value: 0, numerator: nil, denominator: nil),    // 3: nobody, discloses no one
            Cell(groups: ["B"], value: 2, numerator: nil, denominator: nil),    // 4
            Cell(groups: ["B"], value: 4, numerator: nil, denominator: nil),    // 5: two suppressed already protect each other
            Cell(groups: ["B"], value: 30, numerator: nil, denominator: nil),   // 6
            Cell(groups: ["C"], value: 40, numerator: 2, denominator: 5),   // 7: a share of 5 people
            Cell(groups: ["C"], value: 80, numerator: 40, denominator: 50), // 8: its only sibling
            Cell(groups: ["D"], value: 7, numerator: nil, denominator: nil),    // 9: alone: no total to subtract from
            Cell(groups: ["E"], value: nil, numerator: 0, denominator: 0),  // 10: 0 of 0
        ]
        XCTAssertEqual(DisclosureControl.suppressed(cells), [0, 1, 4, 5, 7, 8, 9])
        XCTAssertEqual(DisclosureControl.suppressed(cells, threshold: 3), [4, 5, 7, 8], "2 of 5: its numerator is below 3")
        XCTAssertEqual(DisclosureControl.label(), "<10")
        // A total suppressed for one group is a lone cell of the group it is the total of: 27 = 12 + 15 would give
        // it back, so the smaller part goes too (the 2025 Hưng Yên, suppressed beside Quảng Ninh, was its two old
        // provinces added up).
        let linked = [Cell(groups: ["region"], value: 3, numerator: nil, denominator: nil),
                      Cell(groups: ["region", "merger"], value: 27, numerator: nil, denominator: nil),
                      Cell(groups: ["region"], value: 50, numerator: nil, denominator: nil),
                      Cell(groups: ["merger"], value: 12, numerator: nil, denominator: nil),
                      Cell(groups: ["merger"], value: 15, numerator: nil, denominator: nil)]
        XCTAssertEqual(DisclosureControl.suppressed(linked), [0, 1, 3])
    }

    /// Old Tây Ninh's 6 of 115 was the South East before 1 July 2025 less the South East after: each group had
    /// two suppressed or more, but the two relations together gave it. The audit solves the relations at once.
    func testACountThatSeveralRelationsTogetherGiveIsSuppressedMore() {
        typealias Cell = DisclosureControl.Cell
        // Counts: 0 region before = 1 A + 2 B + 3 T; 4 region after = 1 A + 2 B (T left the region).
        let values: [Double] = [116, 50, 60, 6, 110]
        let cells = values.indices.map { count in
            Cell(groups: count == 4 ? ["after"] : count == 3 ? ["before"] : count == 0 ? ["before"] : ["before", "after"],
                 shows: [count], value: values[count], numerator: nil, denominator: nil)
        }
        let relations = [DisclosureControl.Relation(terms: [(0, -1), (1, 1), (2, 1), (3, 1)]),
                         DisclosureControl.Relation(terms: [(4, -1), (1, 1), (2, 1)])]
        // Group by group: T, then A (the smallest beside it), then B (A alone in the region after): 6 = 116 - 110.
        XCTAssertEqual(DisclosureControl.suppressed(cells), [1, 2, 3])
        // Audited: the smallest count of T's sum, 116 - 110, goes too.
        XCTAssertEqual(DisclosureControl.suppressed(cells, counts: values, relations: relations), [1, 2, 3, 4])
        // A count shown by two figures is published while either is: the population 40, suppressed beside the 6,
        // is the denominator of a share shown (20 of 40), so 46 - 40 gave the 6 back; the share goes too.
        let shared = [Cell(groups: ["share"], shows: [4, 2], value: 50, numerator: 20, denominator: 40),
                      Cell(groups: ["population"], shows: [1], value: 6, numerator: nil, denominator: nil),
                      Cell(groups: ["population"], shows: [2], value: 40, numerator: nil, denominator: nil),
                      Cell(groups: ["population"], shows: [3], value: 46, numerator: nil, denominator: nil)]
        let total = DisclosureControl.Relation(terms: [(3, -1), (1, 1), (2, 1)])
        XCTAssertEqual(DisclosureControl.suppressed(shared), [1, 2])
        XCTAssertEqual(DisclosureControl.suppressed(shared, counts: [0, 6, 40, 46, 20], relations: [total]), [0, 1, 2])
    }

    /// A share of 5 of 509 shows neither 5 nor 504: its value times its denominator gives both.
    func testASharesNumeratorAndComplementAreProtectedLikeACount() {
        typealias Cell = DisclosureControl.Cell
        let cells = [
            Cell(groups: ["W"], value: 5.0 / 509 * 100, numerator: 5, denominator: 509),    // 0: 5 people with it
            Cell(groups: ["W"], value: 504.0 / 509 * 100, numerator: 504, denominator: 509), // 1: 5 people without it
            Cell(groups: ["W"], value: 50, numerator: 300, denominator: 600),                // 2
            Cell(groups: ["X"], value: 0, numerator: 0, denominator: 509),                   // 3: nobody has it: shown
            Cell(groups: ["X"], value: 100, numerator: 509, denominator: 509),               // 4: everybody: shown
            Cell(groups: ["Y"], value: 98.2, numerator: 500, denominator: 509),              // 5: 9 without it
            Cell(groups: ["Y"], value: 98.0, numerator: 490, denominator: 500),              // 6: 10 without it: the sibling
        ]
        XCTAssertEqual(DisclosureControl.suppressed(cells), [0, 1, 5, 6])
        XCTAssertTrue(DisclosureControl.isSmall(value: 40, numerator: nil, denominator: 5))
        XCTAssertFalse(DisclosureControl.isSmall(value: 40, numerator: nil, denominator: 50))
        XCTAssertTrue(DisclosureControl.isSmall(value: 9, numerator: nil, denominator: nil))
        XCTAssertFalse(DisclosureControl.isSmall(value: 10, numerator: nil, denominator: nil))
    }
}
