import Reports
import XCTest

final class ReportTests: XCTestCase {
    func row(name: String, status: String = "moderate progress") -> ScorecardRow {
        ScorecardRow(targetID: "III.1.d", clause: "III.1.d", indicator: "DOSSIER_FULLY_ONLINE_SHARE",
                     textVI: "Tối thiểu 80% hồ sơ", textEN: "At least 80% of dossiers", unitCode: "01",
                     unitName: name, level: "national", latestYear: 2024, latestValue: 61.234, comparator: ">=",
                     threshold: 80, unitOfMeasure: "percent", deadline: 2025, assessedYear: 2025, basis: "forecast",
                     valueAtDeadline: 66.5, model: "logit", forecastLower95: 60, forecastUpper95: 73, status: status,
                     score: 0.81234, progress: 0.7, projectedValueRatio: "fair progress, acceleration needed",
                     escapCurrentStatus: "slow progress", escapAnticipated: "needs to accelerate", probability: 0.0123,
                     requiredPace: 18.766, requiredRate: 0.3065, observedPace: 5.1)
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
                       + "2025,18.77,2025,forecast,66.50,logit,60.00,73.00,moderate progress,0.812,0.700,"
                       + "\"fair progress, acceleration needed\",slow progress,needs to accelerate,0.012,18.77,0.3065,"
                       + "5.10,Tối thiểu 80% hồ sơ,At least 80% of dossiers")
        XCTAssertEqual(lines.count, 3, "CRLF after every record")
    }

    func testHTMLEscapesDataAndFetchesNothing() {
        let html = HTMLReport.render(rows: [row(name: "<script>alert('x')</script> & \"Q\"")], title: "T <b>",
                                     generatedAt: "now", runID: 1, synthetic: true, language: .en)
        XCTAssertFalse(html.contains("<script>"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Q&quot;"))
        XCTAssertTrue(html.contains("<title>T &lt;b&gt;</title>"))
        XCTAssertTrue(html.contains("SYNTHETIC SAMPLE DATA"))
        XCTAssertNil(html.range(of: #"(src|href)\s*=|https?://|@import|url\("#, options: .regularExpression),
                     "a self-contained report references nothing outside itself")
    }

    func testVietnameseIsTheDefaultLanguage() {
        let html = HTMLReport.render(rows: [row(name: "Hà Nội")], title: "t", generatedAt: "now", runID: 1,
                                     synthetic: false)
        XCTAssertTrue(html.contains("<html lang=\"vi\">"))
        XCTAssertTrue(html.contains("tiến bộ vừa phải"))
        XCTAssertFalse(html.contains("class=\"synthetic\""), "no banner on real data")
    }
}
