import Analytics
import Reference
@testable import Reports
import TestSupport
import XCTest

/// A small report: two targets, the nation and two provinces, a chart, a scenario, tasks, a load and a map of
/// two square provinces. `name` replaces every string that could come from data.
func fixture(language: ReportLanguage = .vi, name: (String) -> String = { $0 }) -> ReportData {
    func row(_ target: String, _ code: String, _ unit: String, status: String, latest: Double, basis: String = "forecast",
             deadline: Int = 2030) -> ScorecardRow {
        // Each method's class as the assessment gives it: all four "target not achieved" for a target missed,
        // achieved and on track for one met early (METHODS.md 3.6).
        let missed = status == "not met", met = status == "met early"
        return ScorecardRow(targetID: target, clause: target, indicator: "DOSSIER_FULLY_ONLINE_SHARE",
                     textVI: name("Tối thiểu 80% hồ sơ"), textEN: name("At least 80% of dossiers"), unitCode: code,
                     unitName: name(unit), level: "national", latestYear: 2024, latestValue: latest, comparator: ">=",
                     threshold: 80, unitOfMeasure: "percent", deadline: deadline, assessedYear: deadline, basis: basis,
                     valueAtDeadline: latest + 4.123, model: "logit", forecastLower95: latest, forecastUpper95: latest + 8,
                     status: status, score: 0.5, progress: 0.7,
                     projectedValueRatio: missed ? "target not achieved" : met ? "on track" : "fair progress, acceleration needed",
                     escapCurrentStatus: missed ? "target not achieved" : met ? "on track" : "slow progress",
                     escapAnticipated: missed ? "target not achieved" : met ? "will meet the target" : "needs to accelerate",
                     probability: 0.25, requiredPace: 18.766, requiredRate: 0.3065, observedPace: 5.1,
                     progressMeasure: missed ? "target not achieved" : met ? "target achieved" : "moderate progress")
    }
    let scorecard = [
        row("III.1.d", "VN", "Việt Nam", status: "at risk", latest: 61.234),
        row("III.1.d", "01", "Hà Nội", status: "met early", latest: 82),
        row("III.1.d", "04", "Cao Bằng", status: "off track", latest: 40),
        row("III.3.g", "01", "Hà Nội", status: "not met", latest: 55, basis: "observed", deadline: 2025),
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
        tasks: [TaskLine(id: "I.1", leadAgency: "MIC", leadAgencyNow: "MOST", endYear: 2022, status: "delayed",
                         statusDate: "2024-06-30", standing: "overdue",
                         textVI: name("Sửa đổi Luật Giao dịch điện tử"), textEN: name("Amend the e-transactions law")),
                TaskLine(id: "I.2", leadAgency: "MIC", leadAgencyNow: "MOST", endYear: 2030, status: "in_progress",
                         statusDate: "2025-06-30", standing: "open", textVI: name("Nhiệm vụ khác"), textEN: name("Another task")),
                TaskLine(id: "I.3", leadAgency: "MOST", leadAgencyNow: "MOST", endYear: 2021, status: "", statusDate: "",
                         standing: "no report", textVI: name("Nhiệm vụ chưa báo cáo"), textEN: name("An unreported task")),
                TaskLine(id: "II.1", leadAgency: "MPS", leadAgencyNow: "MPS", endYear: 2025, status: "completed",
                         statusDate: "2025-01-15", standing: "completed", textVI: name("Định danh"), textEN: name("Identity"))],
        loads: [LoadLine(id: 1, file: name("/data/indicators.csv"), dataset: "indicators", status: "loaded", rowsRead: 120,
                         rowsLoaded: 118, rowsRejected: 2, rejectsByReason: ["unknown_unit": 1, "not_a_number": 1],
                         warningsByReason: ["outlier": 1])],
        latestPeriods: [(indicator: "DOSSIER_FULLY_ONLINE_SHARE", period: "2024")],
        agencies: ["MIC": BilingualName(vi: name("Bộ Thông tin và Truyền thông"), en: name("Ministry of Information and Communications")),
                   "MOST": BilingualName(vi: name("Bộ Khoa học và Công nghệ"), en: name("Ministry of Science and Technology")),
                   "MPS": BilingualName(vi: name("Bộ Công an"), en: name("Ministry of Public Security"))],
        indicators: ["DOSSIER_FULLY_ONLINE_SHARE": BilingualName(vi: name("Tỷ lệ hồ sơ xử lý trực tuyến toàn trình"),
                                                                 en: name("Share of dossiers handled fully online"))],
        provenance: Provenance(programVersion: "0.9.0", assessmentRun: 6, forecastRun: 5, simulationRun: 6,
                               settings: ["base_year": "2020", "forecast_years": "deadlines", "draws": "10000", "seed": "942"],
                               newestPeriod: "2024", registriesAsOf: ["population": "2024-12-31"]),
        // The previous report had Hà Nội at risk (now met early: newly met), Cao Bằng at risk (now off track:
        // worsened), the nation off track (now at risk: improved); its forecast for 2024 was 58 [52; 63].
        previous: PreviousReport(runID: 4, writtenAt: "2026-10-01T01:00:00Z",
                                 statuses: ["III.1.d|VN": "off track", "III.1.d|01": "at risk", "III.1.d|04": "at risk",
                                            "III.3.g|01": "not met"],
                                 forecasts: ["III.1.d|VN": [2024: TrendChart.Forecast(year: 2024, value: 58, lower80: 55, upper80: 61,
                                                                                      lower95: 52, upper95: 63)]]))
}

final class HTMLReportTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// Compares `text` with the golden file `name` (`assertMatchesGolden`).
    func assertGolden(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        try assertMatchesGolden(text, Self.golden.appendingPathComponent(name), file: file, line: line)
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
        for heading in ["Tóm tắt", "Tổng quan các mục tiêu", "Ma trận đơn vị × mục tiêu", "Xu hướng và dự báo", "Bản đồ", "Kịch bản",
                        "Nhiệm vụ theo cơ quan chủ trì", "Độ mới và chất lượng dữ liệu", "Phương pháp"] {
            XCTAssertTrue(html.contains("<h2>\(heading)</h2>"), heading)
        }
        XCTAssertTrue(html.contains("61,23 (2024)"), "values rounded for display, with a decimal comma")
        XCTAssertTrue(html.contains("≥ 80 %"), "comparators as people write them")
        XCTAssertTrue(html.contains("Lập lúc 29/11/2026 07:00 (giờ Việt Nam)"), "the local date and time")
        // Every matrix cell has a text label, and the legend names every status.
        XCTAssertTrue(html.contains("<td data-label=\"III.1.d\"><span class=\"chip\""), "matrix cells carry their target for phones")
        XCTAssertTrue(html.contains("class=\"reorg\""), "the reorganisation is marked")
        XCTAssertTrue(html.contains("class=\"fan95\"") && html.contains("class=\"fan80\""))
        XCTAssertTrue(html.contains("class=\"target\"") && html.contains("class=\"deadline\""))
        XCTAssertTrue(html.contains("DỮ LIỆU MẪU TỔNG HỢP"))
        XCTAssertTrue(html.contains("@page { size: A4"), "an A4 print stylesheet")
        let english = HTMLReport.national(fixture(language: .en))
        XCTAssertTrue(english.contains("<html lang=\"en\">") && english.contains("<h2>Tasks by lead agency</h2>"))
    }

    /// The three methods' classes stand beside the chip, each named by its method and in the report's language
    /// (METHODS.md 3.6); the overview showed only the progress measure, inside the sentence.
    func testTheMethodsClassesStandBesideTheChipEachNamed() {
        let chip = "at risk</span>"
        let english = HTMLReport.national(fixture(language: .en))
        XCTAssertTrue(english.contains(chip + "<small class=\"method\">Progress measure: moderate progress</small>"
                                       + "<small class=\"method\">Projected-value ratio: fair progress, acceleration needed</small>"
                                       + "<small class=\"method\">ESCAP-style (provisional): current status slow progress; "
                                       + "anticipated needs to accelerate</small></td>"), "beside the chip, in order")
        XCTAssertFalse(english.contains("; progress measure:"), "no longer inside the sentence")
        let vi = HTMLReport.national(fixture())
        XCTAssertTrue(vi.contains("Thước đo tiến bộ: tiến bộ vừa phải</small><small class=\"method\">Tỉ số giá trị dự kiến: "
                                  + "tiến bộ khá, cần tăng tốc</small><small class=\"method\">Chỉ số ESCAP (tạm thời): hiện trạng "
                                  + "tiến bộ chậm; dự kiến cần tăng tốc</small>"))
        // Every class a method gives has Vietnamese words.
        let classes = ProgressStatus.allCases.map(\.rawValue) + ProjectedValueRatio.Status.allCases.map(\.rawValue)
            + HeadlineStatus.allCases.map(\.rawValue)
            + [10.0, 5, -1].flatMap { [ESCAPStyleIndex.currentStatus($0), ESCAPStyleIndex.anticipatedProgress($0)] }
        let labels = Labels(.vi)
        XCTAssertEqual(classes.filter { labels.status($0) == $0 }, [], "classes left in English")
    }

    /// Every 2025 target's year passed with no province figure: none was "not met" or "off track", and the first
    /// page said no province was behind beside results forecast at P < 20%. Those count as likely missed, apart;
    /// and the targets not met are listed furthest from their target first, not in catalogue order.
    func testLikelyMissedProvincesAreBehindAndTheWorstMissesComeFirst() {
        func row(_ target: String, _ unit: String, status: String, latest: Double, threshold: Double = 100,
                 probability: Double?) -> ScorecardRow {
            ScorecardRow(targetID: target, clause: target, indicator: "X", textVI: "", textEN: "", unitCode: unit,
                         unitName: "U" + unit, level: "province", latestYear: 2024, latestValue: latest, comparator: ">=",
                         threshold: threshold, unitOfMeasure: "percent", deadline: 2025, assessedYear: 2025,
                         basis: status == "not met" ? "observed" : "forecast", valueAtDeadline: latest, model: nil,
                         forecastLower95: nil, forecastUpper95: nil, status: status, score: nil, progress: nil,
                         projectedValueRatio: nil, escapCurrentStatus: nil, escapAnticipated: nil, probability: probability,
                         requiredPace: nil, requiredRate: nil, observedPace: nil)
        }
        let rows = [
            row("III.1.a", "01", status: "no data for the deadline", latest: 70, probability: 0.05),
            row("III.1.b", "01", status: "no data for the deadline", latest: 90, probability: 0.5),
            row("III.1.a", "04", status: "no data for the deadline", latest: 99, probability: 0.9),
            row("III.1.b", "04", status: "no data for the deadline", latest: 60, probability: 0.19),
            row("III.1.c", "04", status: "no data for the deadline", latest: 60, probability: nil),
            row("III.3.k", "08", status: "not met", latest: 98.8, probability: 0),
            row("III.4.g", "08", status: "not met", latest: 44.4, probability: 0),
            row("III.4.a", "08", status: "not met", latest: 40, threshold: 50, probability: 0),
        ]
        let summary = ReportSummary(headline: rows.filter { $0.unitCode == "08" }, rows: rows, previous: nil, currentYear: 2026)
        // Shortfalls in points of 100: 55.6, 10 (against 50) and 1.2.
        XCTAssertEqual(summary.missed.map(\.targetID), ["III.4.g", "III.4.a", "III.3.k"])
        // 08: three not met; 01: one likely missed (P 0.05; 0.5 is no estimate of a miss); 04: one (P 0.19; 0.9
        // likely met, no probability no estimate).
        XCTAssertEqual(summary.unitsBehind.map { "\($0.code) \($0.behind)+\($0.likelyMissed)/\($0.assessed)" },
                       ["08 3+0/3", "01 0+1/2", "04 0+1/3"])
        let html = HTMLReport.national(fixture(language: .en))
        XCTAssertFalse(html.contains("unlikely met by the forecast (P < 20%)"), "the fixture has no such row")
    }

    /// The first page: counts by headline status, what needs attention, the units behind, what moved since the
    /// previous report and how its forecast fared - all from the fixture's four rows, worked out by hand.
    func testTheFirstPageSaysWhereTheTargetsStandAndWhatMoved() throws {
        let data = fixture()
        let headline = HTMLReport.headlineRows(data.scorecard)
        XCTAssertEqual(headline.map { $0.targetID + " " + $0.unitCode }, ["III.1.d VN", "III.3.g 01"])
        let summary = ReportSummary(headline: headline, rows: data.scorecard, previous: data.previous?.statuses, currentYear: 2026)
        XCTAssertEqual(summary.passed, ["not met": 1])
        XCTAssertEqual(summary.ahead, ["at risk": 1])
        XCTAssertEqual(summary.attention.map(\.targetID), ["III.1.d"])
        XCTAssertEqual(summary.missed.map(\.targetID), ["III.3.g"])
        // Hà Nội: III.3.g not met (1 behind of 2); Cao Bằng: III.1.d off track (1 of 1); the code breaks the tie.
        XCTAssertEqual(summary.unitsBehind.map { "\($0.code) \($0.behind)/\($0.assessed) \($0.atRisk)" }, ["01 1/2 0", "04 1/1 0"])
        // VN off track -> at risk: improved; Hà Nội at risk -> met early: newly met; Cao Bằng at risk -> off
        // track: worsened; Hà Nội's III.3.g stayed not met.
        XCTAssertEqual(summary.changes.map { "\($0.kind.rawValue) \($0.row.targetID) \($0.row.unitCode)" }.sorted(),
                       ["improved III.1.d VN", "newly met III.1.d 01", "worsened III.1.d 04"])

        let html = HTMLReport.national(data)
        let first = try XCTUnwrap(html.components(separatedBy: "<section id=\"overview\">").first)
        XCTAssertTrue(first.contains("Năm đánh giá đã qua (1 mục tiêu):") && first.contains("Năm đánh giá chưa qua (1 mục tiêu):"))
        XCTAssertTrue(first.contains("Mới đạt: 1 · Cải thiện: 1 · Xấu đi: 1"))
        XCTAssertTrue(first.contains("Tỷ lệ hồ sơ xử lý trực tuyến toàn trình"), "indicators by name")
        XCTAssertFalse(first.contains("DOSSIER_FULLY_ONLINE_SHARE"), "not by code")
        // The previous report forecast 58 [52; 63] for 2024; 61,23 was observed: inside the interval.
        XCTAssertTrue(first.contains("<td data-label=\"Dự báo trước [95%]\" class=\"num\">58,00 [52,00; 63,00]</td>"))
        XCTAssertTrue(first.contains("trong khoảng dự báo"))
        // Provenance: the runs shown, their settings, the data's dates, the program.
        XCTAssertTrue(first.contains("đánh giá của lượt chạy 6, năm gốc 2020; dự báo của lượt chạy 5 (đến các năm hạn); mô phỏng của lượt chạy 6, 10.000 lần rút, hạt giống 942"))
        XCTAssertTrue(first.contains("chiso 0.9.0") && first.contains("sổ dân cư tại ngày 31/12/2024"))
        // The overview groups a clause's targets under it, once.
        XCTAssertEqual(html.components(separatedBy: "<tr class=\"clause\"><th colspan=\"6\">III.1.d – ").count - 1, 1)
        // Without a previous report, the page says so.
        var alone = data
        alone.previous = nil
        XCTAssertTrue(HTMLReport.national(alone).contains("đánh giá này (lượt chạy 6) là đánh giá đầu tiên được báo cáo"))
        // With no province behind, the list says why it is empty: here two of three results have no figure yet.
        var unknown = data
        unknown.scorecard = data.scorecard.enumerated().map { index, row in
            row.unitCode == "VN" ? row : ScorecardRow(
                targetID: row.targetID, clause: row.clause, indicator: row.indicator, textVI: row.textVI, textEN: row.textEN,
                unitCode: row.unitCode, unitName: row.unitName, level: row.level, latestYear: row.latestYear,
                latestValue: row.latestValue, comparator: row.comparator, threshold: row.threshold,
                unitOfMeasure: row.unitOfMeasure, deadline: row.deadline, assessedYear: row.assessedYear, basis: row.basis,
                valueAtDeadline: row.valueAtDeadline, model: row.model, forecastLower95: row.forecastLower95,
                forecastUpper95: row.forecastUpper95, status: index == 1 ? "met early" : "no data for the deadline",
                score: row.score, progress: row.progress, projectedValueRatio: row.projectedValueRatio,
                escapCurrentStatus: row.escapCurrentStatus, escapAnticipated: row.escapAnticipated,
                probability: 0.5, requiredPace: row.requiredPace, requiredRate: row.requiredRate,
                observedPace: row.observedPace)
        }
        XCTAssertTrue(HTMLReport.national(unknown).contains("<h3>Tỉnh, thành phố chậm nhất</h3>\n<p>Không tỉnh, thành phố nào không đạt, "
            + "chệch hướng, có nguy cơ hay theo dự báo khó đạt; 2 trong 3 kết quả của các tỉnh, thành phố chưa có số liệu năm đánh giá"))
        // Forecast unlikely to meet the target, the same results put their province among those behind.
        unknown.scorecard = unknown.scorecard.map { row in
            row.status != "no data for the deadline" ? row : ScorecardRow(
                targetID: row.targetID, clause: row.clause, indicator: row.indicator, textVI: row.textVI, textEN: row.textEN,
                unitCode: row.unitCode, unitName: row.unitName, level: row.level, latestYear: row.latestYear,
                latestValue: row.latestValue, comparator: row.comparator, threshold: row.threshold,
                unitOfMeasure: row.unitOfMeasure, deadline: row.deadline, assessedYear: row.assessedYear, basis: "forecast",
                valueAtDeadline: row.valueAtDeadline, model: row.model, forecastLower95: row.forecastLower95,
                forecastUpper95: row.forecastUpper95, status: row.status, score: row.score, progress: row.progress,
                projectedValueRatio: row.projectedValueRatio, escapCurrentStatus: row.escapCurrentStatus,
                escapAnticipated: row.escapAnticipated, probability: 0.1, requiredPace: row.requiredPace,
                requiredRate: row.requiredRate, observedPace: row.observedPace)
        }
        XCTAssertTrue(HTMLReport.national(unknown).contains("<li><strong>Hà Nội</strong>: 1 trong 2 mục tiêu chưa có số liệu năm hạn "
            + "và theo dự báo khó đạt (P &lt; 20%)</li>"))
    }

    /// Tasks by the agency leading them now: MIC's tasks under MOST with MIC named; overdue only when a status
    /// was reported; no report apart.
    func testTasksFollowTheRestructuringAndTellNoReportFromOverdue() throws {
        let html = HTMLReport.national(fixture())
        let tasks = try XCTUnwrap(html.components(separatedBy: "<section id=\"tasks\">").last?.components(separatedBy: "</section>").first)
        XCTAssertTrue(tasks.contains("Bộ Khoa học và Công nghệ<br><small>gồm 2 nhiệm vụ giao cho Bộ Thông tin và Truyền thông (trước 1/3/2025)</small>"))
        XCTAssertTrue(tasks.contains("<td data-label=\"Quá hạn\"><strong class=\"overdue\">1</strong><br><small>I.1</small></td>"))
        XCTAssertTrue(tasks.contains("<td data-label=\"Chưa có báo cáo\">1<br><small>I.3</small></td>"))
        let overdue = try XCTUnwrap(tasks.components(separatedBy: "<h3>Nhiệm vụ quá hạn</h3>").last)
        XCTAssertTrue(overdue.contains("Sửa đổi Luật Giao dịch điện tử") && overdue.contains("chậm (30/06/2024)"))
        XCTAssertFalse(overdue.contains("Nhiệm vụ khác") || overdue.contains("Nhiệm vụ chưa báo cáo"), "open and unreported tasks are not overdue")
        XCTAssertTrue(ReportCSV.tasks(fixture()).contains("MOST,MIC,I.1,2022,overdue,delayed,2024-06-30,"))
    }

    /// A scenario reads as its author wrote it: description, the difference from the baseline, and the inverse
    /// answer in words with its unit.
    func testScenariosSayWhatTheyAssumeAndWhatTheyChange() {
        var data = fixture()
        data.scenarioDescriptions = ["push": "Đẩy mạnh hồ sơ trực tuyến"]
        let html = HTMLReport.national(data)
        XCTAssertTrue(html.contains("<h3>push</h3>\n<p>Đẩy mạnh hồ sơ trực tuyến</p>"))
        // 81,2% against 25,0%: +56,2 points; median 81,50% against 65,36%: +16,14 points, not +16,14%.
        XCTAssertTrue(html.contains("81,2% (25,0%) · +56,2 điểm phần trăm"))
        XCTAssertTrue(html.contains("81,50 [78,00; 84,25] (65,36) · +16,14 điểm phần trăm"))
        XCTAssertTrue(html.contains("các đơn vị có giá trị mới nhất dưới 60 cần tăng thêm +12,35 điểm phần trăm mỗi năm từ năm 2025."))
        // Read in 2031, the year judged (2030) has passed: what would have been needed, and the table's 2025 too.
        var later = data
        later.generatedAt = "2031" + data.generatedAt.dropFirst(4)
        let afterwards = HTMLReport.national(later)
        XCTAssertTrue(afterwards.contains("dưới 60 lẽ ra cần tăng thêm +12,35 điểm phần trăm mỗi năm từ năm 2025 (năm đánh giá đã qua)."))
        XCTAssertTrue(afterwards.contains("<td data-label=\"Năm đánh giá\" class=\"num\">2025 (đã qua: giả định)</td>"))
        XCTAssertTrue(html.contains("<td data-label=\"Năm đánh giá\" class=\"num\">2025 (đã qua: giả định)</td>"), "in 2026 too")
        // A scenario that changes nothing at the nation says so; it was left out without a word.
        data.scenarios.append(ScenarioLine(scenario: "stalls", targetID: "III.1.d", unitCode: "VN", unitName: "Việt Nam", year: 2030,
                                           probability: 0.25, baselineProbability: 0.25, median: 65.357, lower80: 62,
                                           upper80: 68.5, baselineMedian: 65.357))
        XCTAssertTrue(HTMLReport.national(data).contains("<h3>stalls</h3>\n<p>Kịch bản này không thay đổi kết quả nào ở đây so với gốc"))
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

/// The text a reader sees: no style sheet, no tags, no attributes.
func visibleText(_ html: String) -> String {
    var text = html
    if let style = text.range(of: "<style>"), let end = text.range(of: "</style>") { text.removeSubrange(style.lowerBound..<end.upperBound) }
    return text.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
}

/// Numbers as each language writes them: no decimal point in the Vietnamese report's text, no decimal comma in
/// the English one (CSV files keep the machine form).
final class NumberWritingTests: XCTestCase {
    func testTheVietnameseReportHasNoDecimalPointAndTheEnglishNoDecimalComma() {
        // A decimal mark is followed by other than a group of three digits (101.343.900 groups thousands).
        let pointDecimal = #"\d\.(\d{1,2}|\d{4,})(?!\d)"#, commaDecimal = #"\d,(\d{1,2}|\d{4,})(?!\d)"#
        // "Open SDG 2.4" in the methods' citation is a version, not a number.
        let vi = visibleText(HTMLReport.national(fixture(language: .vi))).replacingOccurrences(of: "Open SDG 2.4", with: "")
            .replacingOccurrences(of: "chiso 0.9.0", with: "")
        XCTAssertNil(vi.range(of: pointDecimal, options: .regularExpression).map { String(vi[$0]) })
        XCTAssertNotNil(vi.range(of: commaDecimal, options: .regularExpression), "the fixture has decimals")
        XCTAssertFalse(vi.contains(">=") || vi.contains("<="))
        let en = visibleText(HTMLReport.national(fixture(language: .en))).replacingOccurrences(of: "Open SDG 2.4", with: "")
            .replacingOccurrences(of: "chiso 0.9.0", with: "")
        XCTAssertNil(en.range(of: commaDecimal, options: .regularExpression).map { String(en[$0]) })
        XCTAssertTrue(en.contains("61.23 (2024)"))
    }
}

/// Every map of Viet Nam shows the Hoàng Sa and Trường Sa archipelagos, drawn and labelled.
final class ArchipelagoTests: XCTestCase {
    static let geo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Datasets/reference/geo").path

    /// Names without hovering: every province carries its number inside its own shape, and the key below the
    /// maps names it.
    func testEveryProvinceIsNumberedInsideItsShapeAndNamedInTheKey() throws {
        for (file, property, count) in [("provinces_34.geojson", "code", 34), ("provinces_63_geoboundaries.geojson", "shapeISO", 63)] {
            let shapes = try ProvinceShapes.geoJSON(Self.geo + "/" + file) { properties in
                (properties[property] as? String).map { ($0, "Tỉnh " + $0) }
            }
            XCTAssertEqual(shapes.shapes.count, count, file)
            XCTAssertEqual(Set(shapes.labelPoints.keys), Set(shapes.shapes.map(\.code)), file)
            for shape in shapes.shapes {
                let point = try XCTUnwrap(shapes.labelPoints[shape.code])
                // Inside one of the province's rings (even-odd crossings of a ray to the right).
                let rings = shape.path.split(separator: "M").map { ring in
                    ring.split(whereSeparator: { "LZ".contains($0) }).compactMap { pair -> (Double, Double)? in
                        let xy = pair.split(separator: ",").compactMap { Double($0) }
                        return xy.count == 2 ? (xy[0], xy[1]) : nil
                    }
                }
                let inside = rings.contains { ring in
                    var crossings = 0
                    for i in ring.indices {
                        let (x0, y0) = ring[i], (x1, y1) = ring[(i + 1) % ring.count]
                        if (y0 > point.y) != (y1 > point.y), point.x < x0 + (point.y - y0) / (y1 - y0) * (x1 - x0) { crossings += 1 }
                    }
                    return crossings % 2 == 1
                }
                XCTAssertTrue(inside, "\(file) \(shape.code): its number at \(point) is outside it")
            }
            var data = fixture()
            data.provinces = shapes
            let html = HTMLReport.national(data)
            // The fixture's two targets with provinces have a map each (its 63-province map has no numbers).
            XCTAssertEqual(html.components(separatedBy: "<text class=\"key\"").count - 1, count * 2, file)
            let numbers = shapes.keyNumbers
            for shape in shapes.shapes {
                XCTAssertTrue(html.contains("\(numbers[shape.code]!) Tỉnh \(shape.code)"), "\(file) \(shape.code) in the key")
            }
        }
    }

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

/// The Vietnamese report in Vietnamese: no English word of the report's own vocabulary, no raw code.
final class VietnameseWordsTests: XCTestCase {
    /// Names that are the same in both languages: programs, organisations, methods, formats.
    static let properNames: Set<String> = ["chiso", "Open", "SDG", "ESCAP", "EUSTAT", "Eurostat", "Canada", "Monte", "Carlo",
                                           "backtest", "rolling", "origin", "log", "logit", "UTF", "SDMX", "QH", "II", "III"]

    /// Vietnamese words without diacritics that English spells too: "Bản in" (the printed copy).
    static let vietnameseWithoutMarks: Set<String> = ["in"]

    func words(_ text: String) -> Set<String> {
        Set(text.components(separatedBy: CharacterSet.letters.inverted).filter { $0.count >= 2 && $0.allSatisfy(\.isASCII) })
    }

    func testTheVietnameseReportHasNoEnglishWordAndNoRawCode() throws {
        let text = visibleText
        // Every string the fixture takes from data (names, texts, file names) is the same in both renderings.
        var data: [String] = []
        _ = fixture { data.append($0); return $0 }
        let dataWords = words(data.joined(separator: " "))
        for (vi, en) in [(HTMLReport.national(fixture()), HTMLReport.national(fixture(language: .en))),
                         (HTMLReport.unit(fixture(), code: "01"), HTMLReport.unit(fixture(language: .en), code: "01"))] {
            let viText = text(vi), enText = text(en)
            XCTAssertGreaterThan(words(enText).subtracting(words(viText)).count, 50, "the English rendering has its own words")
            let leaked = words(viText).intersection(words(enText)).subtracting(Self.properNames).subtracting(dataWords)
                .subtracting(Self.vietnameseWithoutMarks)
            let context: [String] = leaked.sorted().compactMap { word -> String? in
                guard let found = viText.range(of: "\\b" + word + "\\b", options: .regularExpression) else { return nil }
                let start = viText.index(found.lowerBound, offsetBy: -40, limitedBy: viText.startIndex) ?? viText.startIndex
                return String(viText[start..<found.upperBound])
            }
            XCTAssertEqual(leaked.sorted(), [String](), "English in the Vietnamese report: " + context.joined(separator: " | "))
            for pattern in [#"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b"#, #"\b[a-z]+_[a-z_]+\b"#, #"\bMIC\b|\bMOST\b|\bMPS\b"#] {
                XCTAssertNil(viText.range(of: pattern, options: .regularExpression).map { String(viText[$0]) }, pattern)
            }
        }
    }

    /// Every status a page can show has a Vietnamese name (and a short one for the matrix), other than the code.
    func testEveryStatusHasAVietnameseName() {
        let l = Labels(.vi)
        for status in HeadlineStatus.allCases.map(\.rawValue) + ProgressStatus.allCases.map(\.rawValue) + ["no data"] {
            XCTAssertNotEqual(l.status(status), status, status)
            XCTAssertFalse(l.status(status).allSatisfy(\.isASCII), "\(status): \(l.status(status))")
        }
        for status in HeadlineStatus.allCases.map(\.rawValue) {
            XCTAssertNotEqual(l.shortStatus(status), "–", status)
            XCTAssertNotEqual(Labels(.en).shortStatus(status), "–", status)
        }
        for kind in ReportSummary.StatusChange.Kind.allCases { XCTAssertNotEqual(l.changeKind(kind), Labels(.en).changeKind(kind)) }
    }

    /// One list of codes (`RejectCode`), whose words the compiler holds to every case: each has a name in both
    /// languages, and the loaders record no code outside the list (they pass a `RejectCode`, never a string).
    func testEveryRejectCodeHasANameInBothLanguagesAndLoadersWriteNoOtherCode() throws {
        XCTAssertGreaterThan(RejectCode.allCases.count, 35)
        for code in RejectCode.allCases {
            let vi = Labels(.vi).reason(code.rawValue), en = Labels(.en).reason(code.rawValue)
            XCTAssertNotEqual(vi, code.rawValue, code.rawValue)
            XCTAssertNotEqual(en, code.rawValue, code.rawValue)
            XCTAssertNotEqual(vi, en, code.rawValue)
        }
        XCTAssertEqual(Labels(.en).reason("a_code_from_a_newer_chiso"), "a_code_from_a_newer_chiso", "an unknown code shows as stored")
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: folder.path))
        let literal = try NSRegularExpression(pattern: #"errorCode:\s*""#)
        for case let file as String in enumerator where file.hasSuffix(".swift") {
            let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            XCTAssertNil(literal.firstMatch(in: source, range: NSRange(source.startIndex..., in: source)), file)
        }
    }
}
