import Foundation

/// The words of the HTML report in Vietnamese (the default) and English.
struct Labels {
    let language: ReportLanguage
    init(_ language: ReportLanguage) { self.language = language }

    /// The Vietnamese or the English words, by the report's language.
    func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    /// A number as the language writes it: `101.343.900` and `45,8` in Vietnamese, `101,343,900` and `45.8`
    /// in English; `decimals` places (the digits of `DisplayNumber.format`).
    func number(_ value: Double?, decimals: Int = 2) -> String { written(DisplayNumber.format(value, decimals: decimals)) }

    /// A row's figure with the decimals (at least `decimals`; for a rank, whole places) that keep it on its side
    /// of the target: 79.996% against "at least 80%" read 80,00 beside "not met", and a rank forecast of 50.4
    /// against the top 50 "hạng 50". The tables write 2 decimals, the sentences 1.
    func figure(_ value: Double, of row: ScorecardRow, decimals: Int = 2) -> String {
        number(value, decimals: DisplayNumber.decimals(value, apartFrom: row.threshold,
                                                       atLeast: row.unitOfMeasure == "rank" ? 0 : decimals))
    }

    /// A probability in percent with `decimals`, never rounded to certainty: 100% only when certain and 0% only
    /// when impossible, else "> 99%" or "< 1%" (a chance of 99.6% was written 100%).
    func chance(_ p: Double, decimals: Int = 0) -> String {
        let step = pow(10, -Double(decimals)), percent = p * 100
        if p < 1, percent >= 100 - step / 2 { return "> " + number(100 - step, decimals: decimals) + "%" }
        if p > 0, percent <= step / 2 { return "< " + number(step, decimals: decimals) + "%" }
        return number(percent, decimals: decimals) + "%"
    }

    /// "P = 37%", "P > 99%" or "P < 1%" (`chance`).
    func probability(_ p: Double) -> String {
        let chance = chance(p)
        return "P " + (chance.hasPrefix(">") || chance.hasPrefix("<") ? chance : "= " + chance)
    }

    /// Whole numbers without decimals, others with `decimals` (as `DisplayNumber.compact`), as the language writes.
    func compact(_ value: Double?, decimals: Int = 2) -> String { written(DisplayNumber.compact(value, decimals: decimals)) }

    /// "-1234567.89" with the language's thousands and decimal marks.
    private func written(_ plain: String) -> String {
        guard !plain.isEmpty else { return plain }
        let negative = plain.hasPrefix("-")
        let digits = negative ? String(plain.dropFirst()) : plain
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var integer = String(parts[0]), grouped = ""
        let (group, decimal) = language == .vi ? (".", ",") : (",", ".")
        while integer.count > 3 {
            grouped = group + integer.suffix(3) + grouped
            integer.removeLast(3)
        }
        grouped = integer + grouped
        return (negative ? "-" : "") + grouped + (parts.count > 1 ? decimal + parts[1] : "")
    }

    /// `>=` and `<=` as people write them.
    func comparator(_ comparator: String) -> String {
        switch comparator {
        case ">=": return "≥"
        case "<=": return "≤"
        case "==": return "="
        default: return comparator
        }
    }

    /// An ISO timestamp (UTC) in Viet Nam's time: "02/12/2026 09:25 (giờ Việt Nam)", "2 Dec 2026, 09:25 (Viet
    /// Nam time)"; the text as given when it is not one.
    func timestamp(_ iso: String) -> String {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = parser.date(from: iso) ?? ISO8601DateFormatter().date(from: iso) else { return iso }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = language == .vi ? "dd/MM/yyyy HH:mm" : "d MMM yyyy, HH:mm"
        return formatter.string(from: date) + t(" (giờ Việt Nam)", " (Viet Nam time)")
    }

    var synthetic: String { t("DỮ LIỆU MẪU TỔNG HỢP – không phải số liệu thật.", "SYNTHETIC SAMPLE DATA – not real figures.") }
    var failedSteps: String {
        t("Các bước không hoàn thành trong lượt chạy này: kết quả của các bước đó trong báo cáo là của lượt chạy trước (nếu có):",
          "Steps that did not complete in this run: what they produce is shown from an earlier run, if any:")
    }
    var stale: String { t("Nguồn dữ liệu đã cũ hơn thời hạn cho phép:", "Sources older than their maximum age (max_age):") }
    var generated: String { t("Lập lúc", "Generated") }
    var run: String { t("lượt chạy", "run") }
    var overview: String { t("Tổng quan các mục tiêu", "Overview of the targets") }
    var overviewColumns: [String] {
        language == .vi
            ? ["Chỉ số", "Đơn vị", "Giá trị mới nhất", "Chỉ tiêu (hạn)", "Giá trị năm đánh giá [95%]", "Đánh giá"]
            : ["Indicator", "Unit", "Latest value", "Target (deadline)", "Value in the year judged [95%]", "Status"]
    }
    /// "34 đơn vị" for a combination of units.
    func units(_ count: Int) -> String { t("\(count) đơn vị", "\(count) units") }
    /// The indicator's name in the language (its code when the catalogue has none).
    func indicator(_ row: ScorecardRow, _ data: ReportData) -> String { indicator(row.indicator, data) }
    func indicator(_ code: String, _ data: ReportData) -> String {
        guard let name = data.indicators[code] else { return code }
        return language == .vi ? name.vi : name.en
    }
    /// What produced a report, in lines: when, by which run and program; the runs of the results shown with
    /// their settings; the data's dates, and whether it is real.
    func provenance(_ data: ReportData) -> [String] {
        let p = data.provenance
        var lines = [generated + " " + timestamp(data.generatedAt) + " · " + run + " " + String(data.runID)
                     + (p.programVersion.isEmpty ? "" : " · chiso " + p.programVersion)]
        var shown: [String] = []
        if let run = p.assessmentRun { shown.append(assessedBy(run: run, baseYear: p.settings["base_year"])) }
        if let run = p.forecastRun { shown.append(forecastBy(run: run, years: p.settings["forecast_years"])) }
        if let run = p.simulationRun { shown.append(simulatedBy(run: run, draws: p.settings["draws"], seed: p.settings["seed"])) }
        if !shown.isEmpty { lines.append(results + " " + shown.joined(separator: "; ") + ".") }
        var dates: [String] = []
        if let period = p.newestPeriod { dates.append(newestPeriod(period)) }
        for (registry, day) in p.registriesAsOf.sorted(by: { $0.key < $1.key }) { dates.append(registryAsOf(registry, day: date(day))) }
        lines.append(dataLabel + " " + (data.synthetic ? syntheticData : realData) + (dates.isEmpty ? "" : "; " + dates.joined(separator: "; ")) + ".")
        return lines
    }
    var results: String { t("Kết quả:", "Results:") }
    var filesHeading: String { t("Các tệp:", "Files:") }
    /// What each file of a report folder holds.
    func fileDescription(_ name: String) -> String? {
        switch name {
        case "scorecard.csv": return t("mỗi mục tiêu ở mỗi đơn vị (không có dòng gộp), theo từng phương pháp; cột status là đánh giá chung",
                                       "every target in every unit (no combined rows), by every method; the status column is the headline")
        case "series.csv": return t("số liệu quan sát và dự báo, mỗi dòng một giá trị", "observations and forecasts, one value per row")
        case "scenarios.csv": return t("kết quả mô phỏng kịch bản bên cạnh kịch bản gốc", "scenario results beside their baselines")
        case "rejects.csv": return t("các dòng bị loại khi nạp, với lý do", "rows rejected at loading, with their reasons")
        case "tasks.csv": return t("nhiệm vụ theo cơ quan chủ trì hiện nay, với tình trạng", "tasks by the agency leading them now, with their standing")
        case "observations.sdmx.csv", "forecasts.sdmx.csv": return t("SDMX-CSV 2.0", "SDMX-CSV 2.0")
        case "report.html": return t("báo cáo toàn quốc", "the national report")
        case "units/index.html": return t("danh sách trang từng đơn vị", "the index of the unit pages")
        default: return nil
        }
    }
    func assessedBy(run: Int, baseYear: String?) -> String {
        t("đánh giá của lượt chạy \(run)" + (baseYear.map { ", năm gốc \($0)" } ?? ""),
          "assessment of run \(run)" + (baseYear.map { ", base year \($0)" } ?? ""))
    }
    func forecastBy(run: Int, years: String?) -> String {
        let shown = years.map { $0 == "deadlines" ? t("các năm hạn", "the deadlines") : $0 }
        return t("dự báo của lượt chạy \(run)" + (shown.map { " (đến \($0))" } ?? ""),
                 "forecasts of run \(run)" + (shown.map { " (to \($0))" } ?? ""))
    }
    func simulatedBy(run: Int, draws: String?, seed: String?) -> String {
        let count = draws.flatMap(Double.init).map { number($0, decimals: 0) }
        return t("mô phỏng của lượt chạy \(run)" + (count.map { ", \($0) lần rút" } ?? "") + (seed.map { ", hạt giống \($0)" } ?? ""),
                 "simulation of run \(run)" + (count.map { ", \($0) draws" } ?? "") + (seed.map { ", seed \($0)" } ?? ""))
    }
    var dataLabel: String { t("Dữ liệu:", "Data:") }
    var syntheticData: String { t("mẫu tổng hợp, không phải số liệu thật", "synthetic sample, not real figures") }
    var realData: String { t("số liệu đã nạp vào kho", "figures loaded into the warehouse") }
    func newestPeriod(_ period: String) -> String { t("chỉ tiêu đến kỳ \(period)", "indicators up to \(period)") }
    func registryAsOf(_ registry: String, day: String) -> String {
        let vi = ["population": "sổ dân cư", "land": "sổ đất đai", "business": "sổ doanh nghiệp"]
        return t("\(vi[registry] ?? registry) tại ngày \(day)", "\(registry) registry as of \(day)")
    }
    var summary: String { t("Tóm tắt", "Summary") }
    // By the year judged, not the deadline: a 2025 rank target is judged on the 2026 survey.
    func passedTargets(_ count: Int) -> String {
        t("Năm đánh giá đã qua (\(count) mục tiêu):", "Year judged passed (\(count) target\(count == 1 ? "" : "s")):")
    }
    func aheadTargets(_ count: Int) -> String {
        t("Năm đánh giá chưa qua (\(count) mục tiêu):", "Year judged not yet passed (\(count) target\(count == 1 ? "" : "s")):")
    }
    var needsAttention: String { t("Cần chú ý: chệch hướng hoặc có nguy cơ", "Needing attention: off track or at risk") }
    var missedTargets: String { t("Không đạt tại năm đánh giá", "Not met in the year judged") }
    var unitsBehind: String { t("Tỉnh, thành phố chậm nhất", "Provinces furthest behind") }
    func noneBehind(unknown: Int, of count: Int) -> String {
        t("Không tỉnh, thành phố nào không đạt, chệch hướng, có nguy cơ hay theo dự báo khó đạt; \(unknown) trong \(count) kết quả "
            + "của các tỉnh, thành phố chưa có số liệu năm đánh giá (khả năng đạt của từng tỉnh: trong scorecard.csv và trang của tỉnh).",
          "No province has a target not met, off track, at risk or unlikely met by the forecast; \(unknown) of the provinces' \(count) "
            + "results have no figure for the year judged yet (each one's chance: in scorecard.csv and on its province's page).")
    }
    /// "1 of 7 targets not met or off track, 3 with no figure ... (P < 20%)": the counts that are not 0, the
    /// first of the targets assessed.
    func behind(_ unit: ReportSummary.UnitBehind) -> String {
        let parts = [(unit.behind, t("không đạt hoặc chệch hướng", "not met or off track")), (unit.atRisk, t("có nguy cơ", "at risk")),
                     (unit.likelyMissed, t("chưa có số liệu năm hạn và theo dự báo khó đạt (P < 20%)",
                                           "with no figure for the year judged and unlikely met by the forecast (P < 20%)"))]
        return parts.filter { $0.0 > 0 }.enumerated().map { index, part in
            index > 0 ? "\(part.0) \(part.1)"
                : t("\(part.0) trong \(unit.assessed) mục tiêu \(part.1)", "\(part.0) of \(unit.assessed) targets \(part.1)")
        }.joined(separator: ", ")
    }
    /// Where a row stands in a few words: its latest value against the target, and its chance when forecast.
    func standing(_ row: ScorecardRow) -> String {
        let target = comparator(row.comparator) + " " + compact(row.threshold) + " " + unit(row.unitOfMeasure)
        let latest = row.latestValue.map {
            figure($0, of: row, decimals: 1) + (row.latestYear.map { " (\($0))" } ?? "")
        } ?? "–"
        let chance = row.basis == "forecast" ? row.probability.map { ", " + probability($0) } ?? "" : ""
        return latest + t(", chỉ tiêu ", ", target ") + target + " (" + String(row.deadline) + ")" + chance
    }
    func andMore(_ count: Int) -> String { t("và \(count) mục khác (xem bảng tổng quan)", "and \(count) more (see the overview)") }
    func sincePrevious(_ previous: (run: Int, time: String)?) -> String {
        guard let previous else { return t("Thay đổi so với báo cáo trước", "Changes since the previous report") }
        return t("Thay đổi so với báo cáo trước (lượt chạy \(previous.run), \(previous.time))",
                 "Changes since the previous report (run \(previous.run), \(previous.time))")
    }
    /// A report compares itself with the latest one of an earlier assessment; a report of the same assessment
    /// again (a nightly with nothing new) has none when that assessment is the first reported.
    func firstReport(assessmentRun: Int?) -> String {
        let run = assessmentRun.map { t(" (lượt chạy \($0))", " (run \($0))") } ?? ""
        return t("Chưa có báo cáo nào của một lượt đánh giá trước để so sánh: đánh giá này\(run) là đánh giá đầu tiên được báo cáo.",
                 "No report of an earlier assessment to compare with: this assessment\(run) is the first one reported.")
    }
    func changeKind(_ kind: ReportSummary.StatusChange.Kind) -> String {
        switch kind {
        case .newlyMet: return t("Mới đạt", "Newly met")
        case .improved: return t("Cải thiện", "Improved")
        case .worsened: return t("Xấu đi", "Worsened")
        }
    }
    var forecastCheck: String { t("Dự báo của báo cáo trước so với số liệu quan sát", "The previous report's forecasts beside what was observed") }
    var forecastCheckColumns: [String] {
        language == .vi ? ["Điều khoản", "Chỉ số", "Năm", "Dự báo trước [95%]", "Quan sát", "Kết quả"]
            : ["Clause", "Indicator", "Year", "Previous forecast [95%]", "Observed", "Result"]
    }
    var withinInterval: String { t("trong khoảng dự báo", "within the forecast's range") }
    var outsideInterval: String { t("ngoài khoảng dự báo", "outside the forecast's range") }
    var nationAddedUp: String { t("cả nước, cộng từ các đơn vị", "the nation, added up from the units") }
    func text(_ row: ScorecardRow) -> String { language == .vi ? row.textVI : row.textEN }
    func unit(_ unitOfMeasure: String) -> String {
        switch unitOfMeasure {
        case "percent": return "%"
        case "rank": return t("hạng", "rank")
        default: return unitOfMeasure
        }
    }
    func basis(_ basis: String?) -> String {
        switch basis {
        case "observed": return t("quan sát", "observed")
        case "forecast": return t("dự báo", "forecast")
        default: return "–"
        }
    }
    func status(_ status: String) -> String {
        guard language == .vi else { return status }
        let vi: [String: String] = [
            "met": "đạt", "not met": "không đạt", "no data for the deadline": "chưa có số liệu năm hạn",
            "met early": "đạt trước hạn", "on track": "đúng tiến độ", "at risk": "có nguy cơ", "off track": "chệch hướng",
            "target achieved": "đã đạt", "target not achieved": "không đạt", "substantial progress": "tiến bộ rõ rệt",
            "moderate progress": "tiến bộ vừa phải", "limited progress": "tiến bộ hạn chế",
            "deterioration": "đi xuống", "insufficient data": "chưa đủ dữ liệu",
            "not assessable": "không đánh giá được", "no data": "không có dữ liệu",
            "fair progress, acceleration needed": "tiến bộ khá, cần tăng tốc",
            "stagnation or regression": "đình trệ hoặc thụt lùi", "slow progress": "tiến bộ chậm",
            "regression": "thụt lùi", "will meet the target": "sẽ đạt chỉ tiêu", "needs to accelerate": "cần tăng tốc",
            "no progress expected": "không dự kiến tiến bộ",
        ]
        return vi[status] ?? status
    }
    /// The classes of the three methods (METHODS.md 3.1-3.3), each named by its method, to stand beside the
    /// headline status and never instead of it (3.6): one line each, those the row has.
    func methodClasses(_ row: ScorecardRow) -> [String] {
        let escap = [row.escapCurrentStatus.map { t("hiện trạng ", "current status ") + status($0) },
                     row.escapAnticipated.map { t("dự kiến ", "anticipated ") + status($0) }].compactMap { $0 }
        return [row.progressMeasure.map { t("Thước đo tiến bộ: ", "Progress measure: ") + status($0) },
                row.projectedValueRatio.map { t("Tỉ số giá trị dự kiến: ", "Projected-value ratio: ") + status($0) },
                escap.isEmpty ? nil : t("Chỉ số ESCAP (tạm thời): ", "ESCAP-style (provisional): ") + escap.joined(separator: "; ")]
            .compactMap { $0 }
    }
    func shortStatus(_ status: String) -> String {
        switch status {
        case "met": return t("Đạt", "Met")
        case "not met": return t("Không đạt", "Not met")
        case "no data for the deadline": return t("Thiếu năm hạn", "No deadline data")
        case "met early": return t("Đạt sớm", "Met early")
        case "on track": return t("Đúng", "On track")
        case "at risk": return t("Nguy cơ", "At risk")
        case "off track": return t("Chệch", "Off track")
        case "insufficient data", "not assessable": return t("Thiếu", "Insuff.")
        default: return "–"
        }
    }
}
