import Reports
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

}

final class DisclosureControlTests: XCTestCase {
    func testSmallCountsAndTheSiblingThatWouldRevealThemAreSuppressed() {
        typealias Cell = DisclosureControl.Cell
        let cells = [
            Cell(group: "A", value: 3, denominator: nil),    // 0: below 10
            Cell(group: "A", value: 12, denominator: nil),   // 1: the next smallest sibling, or 3 = total - 12 - 20
            Cell(group: "A", value: 20, denominator: nil),   // 2
            Cell(group: "A", value: 0, denominator: nil),    // 3: nobody, discloses no one
            Cell(group: "B", value: 2, denominator: nil),    // 4
            Cell(group: "B", value: 4, denominator: nil),    // 5: two suppressed already protect each other
            Cell(group: "B", value: 30, denominator: nil),   // 6
            Cell(group: "C", value: 40, denominator: 5),     // 7: a share of 5 people
            Cell(group: "C", value: 80, denominator: 50),    // 8: its only sibling
            Cell(group: "D", value: 7, denominator: nil),    // 9: alone: no total to subtract from
            Cell(group: "E", value: nil, denominator: 0),    // 10: 0 of 0
        ]
        XCTAssertEqual(DisclosureControl.suppressed(cells), [0, 1, 4, 5, 7, 8, 9])
        XCTAssertEqual(DisclosureControl.suppressed(cells, threshold: 3), [4, 5])
        XCTAssertEqual(DisclosureControl.label(), "<10")
    }
}
