import Reports
import XCTest

/// A small report: two targets, the nation and two provinces, a chart, a scenario, tasks, a load and a map of
/// two square provinces. `name` replaces every string that could come from data.
func fixture(language: ReportLanguage = .vi, name: (String) -> String = { $0 }) -> ReportData {
    func row(_ target: String, _ code: String, _ unit: String, status: String, latest: Double, basis: String = "forecast")
        -> ScorecardRow {
        ScorecardRow(targetID: target, clause: target, indicator: "DOSSIER_FULLY_ONLINE_SHARE",
                     textVI: name("Tối thiểu 80% hồ sơ"), textEN: name("At least 80% of dossiers"), unitCode: code,
                     unitName: name(unit), level: "national", latestYear: 2024, latestValue: latest, comparator: ">=",
                     threshold: 80, unitOfMeasure: "percent", deadline: 2025, assessedYear: 2025, basis: basis,
                     valueAtDeadline: latest + 4.123, model: "logit", forecastLower95: latest, forecastUpper95: latest + 8,
                     status: status, score: 0.5, progress: 0.7, projectedValueRatio: "fair progress, acceleration needed",
                     escapCurrentStatus: "slow progress", escapAnticipated: "needs to accelerate", probability: 0.25,
                     requiredPace: 18.766, requiredRate: 0.3065, observedPace: 5.1, progressMeasure: "moderate progress")
    }
    let scorecard = [
        row("III.1.d", "VN", "Việt Nam", status: "at risk", latest: 61.234),
        row("III.1.d", "01", "Hà Nội", status: "met early", latest: 82),
        row("III.1.d", "04", "Cao Bằng", status: "off track", latest: 40),
        row("III.3.g", "01", "Hà Nội", status: "not met", latest: 55),
    ]
    let chart = TrendChart(history: [(2021, 40), (2022, 48.5), (2023, 55), (2024, 61.234)],
                           forecasts: [TrendChart.Forecast(year: 2025, value: 65.357, lower80: 62, upper80: 68.5,
                                                           lower95: 60, upper95: 70.25)])
    let square = "M0,0L10,0L10,10L0,10Z", other = "M12,0L22,0L22,10L12,10Z"
    return ReportData(
        title: name("Báo cáo thử"), generatedAt: "2026-11-29T00:00:00Z", runID: 7, language: language, synthetic: true,
        warnings: [name("indicators: newest period 2023 is older than 18 months")], scorecard: scorecard,
        charts: [TrendChart.key(target: "III.1.d", unit: "VN"): chart, TrendChart.key(target: "III.1.d", unit: "01"): chart],
        provinces: ProvinceShapes(width: 22, height: 10, shapes: [("01", name("Hà Nội"), square), ("04", name("Cao Bằng"), other)]),
        oldProvinces: ProvinceShapes(width: 22, height: 10, shapes: [("01", name("Hà Nội"), square), ("02", name("Hà Giang"), other)]),
        beforeReorganisation: OldProvinceValues(indicator: "DOSSIER_FULLY_ONLINE_SHARE", name: name("Hồ sơ trực tuyến"), year: 2024,
                                                unitOfMeasure: "percent", values: ["01": 70, "02": 15]),
        scenarios: [ScenarioLine(scenario: name("push"), targetID: "III.1.d", unitCode: "VN", unitName: name("Việt Nam"), year: 2025,
                                 probability: 0.812, baselineProbability: 0.25, median: 81.5, lower80: 78, upper80: 84.25,
                                 baselineMedian: 65.357)],
        gains: [GainLine(scenario: name("push"), targetID: "III.1.d", unitCode: "VN", gainUnits: name("below 60"), fromYear: 2025,
                         level: 0.8, gain: 12.3456)],
        tasks: [TaskLine(id: "I.1", leadAgency: "MIC", endYear: 2022, status: "", statusDate: "", overdue: true,
                         textVI: name("Sửa đổi Luật Giao dịch điện tử"), textEN: name("Amend the e-transactions law")),
                TaskLine(id: "I.2", leadAgency: "MIC", endYear: 2030, status: "in_progress", statusDate: "2025-06-30",
                         overdue: false, textVI: name("Nhiệm vụ khác"), textEN: name("Another task")),
                TaskLine(id: "II.1", leadAgency: "MPS", endYear: 2025, status: "completed", statusDate: "2025-01-15",
                         overdue: false, textVI: name("Định danh"), textEN: name("Identity"))],
        loads: [LoadLine(id: 1, file: name("/data/indicators.csv"), dataset: "indicators", status: "loaded", rowsRead: 120,
                         rowsLoaded: 118, rowsRejected: 2, rejectsByReason: [name("unknown_unit"): 1, "bad_value": 1])],
        latestPeriods: [(indicator: "DOSSIER_FULLY_ONLINE_SHARE", period: "2024")])
}

final class HTMLReportTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// Compares `text` with the golden file `name`; `CHISO_UPDATE_GOLDEN=1` rewrites it instead (then review the diff).
    func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = Self.golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["CHISO_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        guard expected != text else { return }
        let a = expected.components(separatedBy: "\n"), b = text.components(separatedBy: "\n")
        let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        XCTFail("\(name) differs from its golden file at line \(first + 1):\n- \(first < a.count ? a[first] : "")\n+ "
                + (first < b.count ? b[first] : "") + "\n(CHISO_UPDATE_GOLDEN=1 rewrites it)", file: file, line: line)
    }

    func testGoldenFiles() throws {
        let data = fixture()
        try assertGolden(HTMLReport.national(data, unitPages: ["01": "units/01.html"]), "report.html")
        try assertGolden(HTMLReport.unit(data, code: "01", indexPath: "index.html"), "unit-01.html")
        try assertGolden(HTMLReport.national(fixture(language: .en)), "report-en.html")
        try assertGolden(ScorecardCSV.render(data.scorecard), "scorecard.csv")
        try assertGolden(ReportCSV.scenarios(data), "scenarios.csv")
        try assertGolden(ReportCSV.tasks(data), "tasks.csv")
    }

    func testTheReportHasEverySectionAndTheNumbersAsShown() {
        let html = HTMLReport.national(fixture())
        for heading in ["Tổng quan các mục tiêu", "Ma trận đơn vị × mục tiêu", "Xu hướng và dự báo", "Bản đồ", "Kịch bản",
                        "Nhiệm vụ theo cơ quan chủ trì", "Độ mới và chất lượng dữ liệu", "Phương pháp"] {
            XCTAssertTrue(html.contains("<h2>\(heading)</h2>"), heading)
        }
        XCTAssertTrue(html.contains("61,23 (2024)"), "values rounded for display, with a decimal comma")
        XCTAssertTrue(html.contains("81,2%"), "a scenario's probability in percent")
        XCTAssertTrue(html.contains("12,35"), "the inverse answer")
        XCTAssertTrue(html.contains("≥ 80 %"), "comparators as people write them")
        XCTAssertTrue(html.contains("Lập lúc 29/11/2026 07:00 (giờ Việt Nam)"), "the local date and time")
        // Every matrix cell has a text label, and the legend names every status.
        XCTAssertEqual(html.components(separatedBy: ">Đạt sớm</span>").count - 1, 1)
        XCTAssertEqual(html.components(separatedBy: ">Chệch</span>").count - 1, 1)
        XCTAssertEqual(html.components(separatedBy: ">Không đạt</span>").count - 1, 1)
        XCTAssertTrue(html.contains("class=\"reorg\""), "the reorganisation is marked")
        XCTAssertTrue(html.contains("class=\"fan95\"") && html.contains("class=\"fan80\""))
        XCTAssertTrue(html.contains("class=\"target\"") && html.contains("class=\"deadline\""))
        XCTAssertTrue(html.contains("DỮ LIỆU MẪU TỔNG HỢP"))
        XCTAssertTrue(html.contains("@page { size: A4"), "an A4 print stylesheet")
        // Overdue first: the overdue MIC task comes before the one in progress.
        let overdue = html.range(of: "Sửa đổi Luật Giao dịch điện tử")?.lowerBound
        let later = html.range(of: "Nhiệm vụ khác")?.lowerBound
        XCTAssertNotNil(overdue)
        XCTAssertLessThan(try XCTUnwrap(overdue), try XCTUnwrap(later))
        let english = HTMLReport.national(fixture(language: .en))
        XCTAssertTrue(english.contains("<html lang=\"en\">") && english.contains("<h2>Tasks by lead agency</h2>"))
    }

    func testNothingOutsideTheFileIsReferenced() {
        let data = fixture()
        for html in [HTMLReport.national(data, unitPages: ["01": "units/01.html"]), HTMLReport.unit(data, code: "01", indexPath: "index.html"),
                     HTMLReport.index(data, pages: [("01", "01.html")], nationalPath: "../report.html")] {
            XCTAssertNil(html.range(of: #"\bsrc\s*=|https?:|//[a-z]|@import|url\(|<script|<link"#, options: [.regularExpression, .caseInsensitive]),
                         "a self-contained report fetches nothing")
            let pattern = try! NSRegularExpression(pattern: #"href="([^"]*)""#)
            let links = pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { match in
                Range(match.range(at: 1), in: html).map { String(html[$0]) }
            }
            XCTAssertFalse(links.isEmpty)
            for link in links {
                XCTAssertTrue(link.hasPrefix("#") || (link.hasSuffix(".html") && !link.contains(":")), link)
            }
        }
    }

    func testMaliciousNamesRenderAsText() {
        let attack = "<script>alert('x')</script><img src=x onerror=alert(1)> & \"Q\" =HYPERLINK(\"http://evil\")"
        let data = fixture { $0 + " " + attack }
        for html in [HTMLReport.national(data, unitPages: ["01": "units/01.html"]), HTMLReport.unit(data, code: "01")] {
            XCTAssertNil(html.range(of: "<script|<img", options: [.regularExpression, .caseInsensitive]), "no tag comes from data")
            XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Q&quot;"))
            XCTAssertFalse(html.contains("\"Q\""), "quotes cannot close an attribute")
        }
        for csv in [ScorecardCSV.render(data.scorecard), ReportCSV.scenarios(data), ReportCSV.tasks(data)] {
            XCTAssertFalse(csv.contains(",=") || csv.contains("\n="), "no cell starts a formula")
        }
        let formula = fixture { _ in "=HYPERLINK(\"http://evil\")" }
        XCTAssertTrue(ReportCSV.scenarios(formula).contains("\"'=HYPERLINK(\"\"http://evil\"\")\""))
    }
}

/// Numbers as each language writes them: no decimal point in the Vietnamese report's text, no decimal comma in
/// the English one (CSV files keep the machine form).
final class NumberWritingTests: XCTestCase {
    /// The text a reader sees: no style sheet, no tags, no attributes.
    func visibleText(_ html: String) -> String {
        var text = html
        if let style = text.range(of: "<style>"), let end = text.range(of: "</style>") { text.removeSubrange(style.lowerBound..<end.upperBound) }
        return text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
    }

    func testTheVietnameseReportHasNoDecimalPointAndTheEnglishNoDecimalComma() {
        // A decimal mark is followed by other than a group of three digits (101.343.900 groups thousands).
        let pointDecimal = #"\d\.(\d{1,2}|\d{4,})(?!\d)"#, commaDecimal = #"\d,(\d{1,2}|\d{4,})(?!\d)"#
        // "Open SDG 2.4" in the methods' citation is a version, not a number.
        let vi = visibleText(HTMLReport.national(fixture(language: .vi))).replacingOccurrences(of: "Open SDG 2.4", with: "")
        XCTAssertNil(vi.range(of: pointDecimal, options: .regularExpression).map { String(vi[$0]) })
        XCTAssertNotNil(vi.range(of: commaDecimal, options: .regularExpression), "the fixture has decimals")
        XCTAssertFalse(vi.contains(">=") || vi.contains("<="))
        let en = visibleText(HTMLReport.national(fixture(language: .en))).replacingOccurrences(of: "Open SDG 2.4", with: "")
        XCTAssertNil(en.range(of: commaDecimal, options: .regularExpression).map { String(en[$0]) })
        XCTAssertTrue(en.contains("61.23 (2024)"))
    }
}

/// Every map of Viet Nam shows the Hoàng Sa and Trường Sa archipelagos, drawn and labelled.
final class ArchipelagoTests: XCTestCase {
    static let geo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets/reference/geo").path

    func testBothMapsDrawAndLabelTheArchipelagos() throws {
        let maps = [
            ("provinces_34.geojson", "code", "48", "56"),
            ("provinces_63_geoboundaries.geojson", "shapeISO", "VN-DN", "VN-34"),
        ]
        for (file, property, daNang, khanhHoa) in maps {
            let shapes = try ProvinceShapes.geoJSON(Self.geo + "/" + file) { properties in
                (properties[property] as? String).map { ($0, $0) }
            }
            XCTAssertEqual(shapes.archipelagos.map(\.name), [.hoangSa, .truongSa], file)
            // The islands lie east of every mainland province: far right on the map, Trường Sa the furthest.
            let hoangSa = try XCTUnwrap(shapes.archipelagos.first { $0.name == .hoangSa })
            let truongSa = try XCTUnwrap(shapes.archipelagos.first { $0.name == .truongSa })
            XCTAssertGreaterThan(hoangSa.x, 0.6 * shapes.width, file)
            XCTAssertGreaterThan(truongSa.x, hoangSa.x, file)
            XCTAssertGreaterThan(truongSa.y, hoangSa.y, "Trường Sa lies south of Hoàng Sa: \(file)")
            // Drawn with their provinces: each province's path has points beyond the archipelago's label.
            for (code, island) in [(daNang, hoangSa), (khanhHoa, truongSa)] {
                let path = try XCTUnwrap(shapes.shapes.first { $0.code == code }?.path, "\(file) \(code)")
                let xs = path.split(whereSeparator: { "MLZ".contains($0) }).compactMap { Double($0.split(separator: ",")[0]) }
                XCTAssertTrue(xs.contains { abs($0 - island.x) < 8 }, "\(file) \(code) has no island near \(island)")
            }
            for language in ReportLanguage.allCases {
                var data = fixture(language: language)
                data.provinces = shapes
                let html = HTMLReport.national(data)
                let names = language == .vi ? ["Quần đảo Hoàng Sa", "Quần đảo Trường Sa"]
                    : ["Hoang Sa archipelago", "Truong Sa archipelago"]
                for name in names {
                    XCTAssertTrue(html.contains("<text class=\"archipelago\"") && html.contains(name), "\(file) \(name)")
                }
            }
        }
    }
}
