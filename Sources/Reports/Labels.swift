import Foundation

/// The words of the HTML report in Vietnamese (the default) and English.
struct Labels {
    let language: ReportLanguage
    init(_ language: ReportLanguage) { self.language = language }

    private func t(_ vi: String, _ en: String) -> String { language == .vi ? vi : en }

    /// A number as the language writes it: `101.343.900` and `45,8` in Vietnamese, `101,343,900` and `45.8`
    /// in English; `decimals` places (the digits of `DisplayNumber.format`).
    func number(_ value: Double?, decimals: Int = 2) -> String { written(DisplayNumber.format(value, decimals: decimals)) }

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
    func indicator(_ row: ScorecardRow, _ data: ReportData) -> String {
        guard let name = data.indicators[row.indicator] else { return row.indicator }
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
    func passedTargets(_ count: Int) -> String { t("Hạn đã qua (\(count) mục tiêu):", "Deadline passed (\(count) targets):") }
    func aheadTargets(_ count: Int) -> String { t("Hạn phía trước (\(count) mục tiêu):", "Deadline ahead (\(count) targets):") }
    var needsAttention: String { t("Cần chú ý: chệch hướng hoặc có nguy cơ", "Needing attention: off track or at risk") }
    var missedTargets: String { t("Không đạt tại năm đánh giá", "Not met in the year judged") }
    var unitsBehind: String { t("Tỉnh, thành phố chậm nhất", "Provinces furthest behind") }
    func behind(_ unit: ReportSummary.UnitBehind) -> String {
        t("\(unit.behind) trong \(unit.assessed) mục tiêu không đạt hoặc chệch hướng, \(unit.atRisk) có nguy cơ",
          "\(unit.behind) of \(unit.assessed) targets not met or off track, \(unit.atRisk) at risk")
    }
    /// Where a row stands in a few words: its latest value against the target, and its chance when forecast.
    func standing(_ row: ScorecardRow) -> String {
        let target = comparator(row.comparator) + " " + compact(row.threshold) + " " + unit(row.unitOfMeasure)
        let latest = row.latestValue.map { number($0, decimals: 1) + (row.latestYear.map { " (\($0))" } ?? "") } ?? "–"
        let chance = row.basis == "forecast" ? row.probability.map { ", P = " + number($0 * 100, decimals: 0) + "%" } ?? "" : ""
        return latest + t(", chỉ tiêu ", ", target ") + target + " (" + String(row.deadline) + ")" + chance
    }
    func andMore(_ count: Int) -> String { t("và \(count) mục khác (xem bảng tổng quan)", "and \(count) more (see the overview)") }
    func sincePrevious(_ previous: (run: Int, time: String)?) -> String {
        guard let previous else { return t("Thay đổi so với báo cáo trước", "Changes since the previous report") }
        return t("Thay đổi so với báo cáo trước (lượt chạy \(previous.run), \(previous.time))",
                 "Changes since the previous report (run \(previous.run), \(previous.time))")
    }
    var firstReport: String {
        t("Chưa có báo cáo trước để so sánh: đây là báo cáo đầu tiên của kho dữ liệu này.",
          "No previous report to compare with: this is the warehouse's first.")
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
            "target achieved": "đã đạt", "substantial progress": "tiến bộ rõ rệt",
            "moderate progress": "tiến bộ vừa phải", "limited progress": "tiến bộ hạn chế",
            "deterioration": "đi xuống", "insufficient data": "chưa đủ dữ liệu",
            "not assessable": "không đánh giá được", "no data": "không có dữ liệu",
        ]
        return vi[status] ?? status
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
    var trends: String { t("Xu hướng và dự báo", "Trends and forecasts") }
    var chartLegend: String {
        t("Đường liền: số liệu quan sát; đường đứt: dự báo, dải 80% (đậm) và 95% (nhạt); đường ngang đứt: chỉ tiêu; "
            + "vạch hồng: hạn; vạch xám: sắp xếp đơn vị hành chính 1/7/2025 (trước đó số liệu quy đổi sang 34 tỉnh).",
          "Solid line: observed; dashed: forecast with its 80% (dark) and 95% (light) bands; dashed horizontal: target; "
            + "pink: deadline; grey: the reorganisation of 1 July 2025 (earlier values converted to the 34 provinces).")
    }
    var chartsOnPaper: String {
        t("Bản in chỉ có biểu đồ của các mục tiêu chưa có số liệu quan sát năm đánh giá; bản trên màn hình có đủ.",
          "On paper, only the targets not yet judged on an observed value are charted; the screen version has every chart.")
    }
    func chartLabel(_ row: ScorecardRow) -> String {
        let unit = row.unitCode == "*" ? nationAddedUp : row.unitName
        return t("Biểu đồ \(row.clause) – \(unit)", "Chart of \(row.clause) – \(unit)")
    }
    var reorganisation: String { t("1/7/2025", "1 Jul 2025") }
    var deadline: String { t("Hạn", "Deadline") }
    var targetLine: String { t("Chỉ tiêu", "Target") }
    var matrix: String { t("Ma trận đơn vị × mục tiêu", "Units × targets") }
    var legendTitle: String { t("Chú giải:", "Legend:") }
    var unitColumn: String { t("Tỉnh, thành phố", "Province") }
    var maps: String { t("Bản đồ", "Maps") }
    var mapNote: String {
        t("Màu theo đánh giá của từng tỉnh (34 tỉnh, thành phố từ 1/7/2025); màu xám: không có dữ liệu. Số trên bản đồ: xem chú dẫn tên tỉnh; trạng thái từng tỉnh bằng chữ: xem ma trận ở trên.",
          "Coloured by each province's status (the 34 provinces from 1 July 2025); grey: no data. The numbers on the maps are keyed to the provinces' names; the matrix above gives each province's status in words.")
    }
    var mapKey34: String { t("Số trên bản đồ 34 tỉnh, thành phố:", "Numbers on the maps of the 34 provinces:") }
    var mapKey63: String { t("Số trên bản đồ 63 tỉnh, thành phố trước 1/7/2025:", "Numbers on the map of the 63 provinces before 1 July 2025:") }
    func beforeReorganisation(_ values: OldProvinceValues) -> String {
        t("\(values.name), năm \(values.year) – 63 tỉnh, thành phố trước 1/7/2025",
          "\(values.name), \(values.year) – the 63 provinces before 1 July 2025")
    }
    var scenarios: String { t("Kịch bản", "Scenarios") }
    var scenarioColumns: [String] {
        language == .vi
            ? ["Mục tiêu", "Đơn vị", "Năm đánh giá", "Xác suất đạt (gốc) · chênh lệch", "Trung vị [80%] (gốc) · chênh lệch"]
            : ["Target", "Unit", "Year judged", "Probability (baseline) · difference", "Median [80%] (baseline) · difference"]
    }
    var percentagePoints: String { t("điểm phần trăm", "percentage points") }
    /// A difference with its sign: +2,3 or -0,5 (0 without one).
    func signed(_ value: Double, decimals: Int = 2) -> String {
        let text = number(value, decimals: decimals)
        return text.hasPrefix("-") || text.allSatisfy({ "0,.".contains($0) }) ? text : "+" + text
    }
    /// Who makes the extra effort of an inverse question, from its stored selection ("all", "region RRD",
    /// "below 70.0", "01 04").
    func gainUnits(_ selection: String) -> String {
        let words = selection.split(separator: " ").map(String.init)
        switch words.first {
        case "all": return t("tất cả các đơn vị", "every unit")
        case "region": return t("các tỉnh của vùng \(words.dropFirst().joined(separator: " "))",
                                "the provinces of region \(words.dropFirst().joined(separator: " "))")
        case "below", "above":
            let value = words.count > 1 ? Double(words[1]).map { compact($0) } ?? words[1] : ""
            return words[0] == "below" ? t("các đơn vị có giá trị mới nhất dưới \(value)", "the units whose latest value is below \(value)")
                : t("các đơn vị có giá trị mới nhất trên \(value)", "the units whose latest value is above \(value)")
        default: return t("các đơn vị \(selection)", "units \(selection)")
        }
    }
    /// The answer to an inverse question, in words, with the unit of the gain.
    func inverseAnswer(_ gain: GainLine, row: ScorecardRow?, unitName: String, indicator: String) -> String {
        let level = number(gain.level * 100, decimals: 0) + "%"
        let year = row.map { String($0.assessedYear ?? $0.deadline) } ?? ""
        let who = gainUnits(gain.gainUnits)
        guard let value = gain.gain else {
            return t("Không mức tăng thêm nào (trong giới hạn đã thử) đưa khả năng đạt \(indicator) ở \(unitName) năm \(year) lên \(level).",
                     "No extra gain (within the range tried) lifts the chance of meeting \(indicator) in \(unitName) by \(year) to \(level).")
        }
        let unit: String
        switch row?.unitOfMeasure {
        case "percent": unit = t("điểm phần trăm", "percentage points")
        case "rank": unit = t("bậc", "places")
        default: unit = ""
        }
        return t("Để có \(level) khả năng đạt \(indicator) ở \(unitName) vào năm \(year), \(who) cần tăng thêm \(signed(value)) \(unit) mỗi năm từ năm \(gain.fromYear).",
                 "For a \(level) chance of meeting \(indicator) in \(unitName) by \(year), \(who) need \(signed(value)) \(unit) more a year from \(gain.fromYear).")
            .replacingOccurrences(of: "  ", with: " ")
    }
    var scenarioNote: String {
        t("Mô phỏng Monte Carlo; tỉnh được cộng lên vùng và cả nước trong từng lần rút (tử số và mẫu số). Gốc: cùng kịch bản không can thiệp.",
          "Monte Carlo simulation; provinces are added up to regions and the nation inside each draw (numerators and denominators). Baseline: the same scenario without its interventions.")
    }
    var tasks: String { t("Nhiệm vụ theo cơ quan chủ trì", "Tasks by lead agency") }
    var taskColumns: [String] {
        language == .vi ? ["Cơ quan chủ trì", "Quá hạn", "Chưa có báo cáo", "Đang thực hiện", "Hoàn thành", "Đã hủy"]
            : ["Lead agency", "Overdue", "No report", "Under way", "Completed", "Cancelled"]
    }
    var taskNote: String {
        t("Cơ quan chủ trì theo cơ cấu tổ chức của Chính phủ từ 1/3/2025 (Nghị quyết 176/2025/QH15); nhiệm vụ giao cho cơ quan đã hợp nhất được tính cho cơ quan kế thừa. "
            + "Quá hạn: đã báo cáo, quá năm hoàn thành mà chưa xong. Chưa có báo cáo: chưa nạp tình trạng nào.",
          "Lead agencies as the Government is organised from 1 March 2025 (Resolution 176/2025/QH15); a task of a merged body counts for its successor. "
            + "Overdue: reported, past its end year and not completed. No report: no status has been loaded.")
    }
    /// "gồm 39 nhiệm vụ giao cho Bộ Thông tin và Truyền thông (trước 1/3/2025)".
    func formerLead(_ name: String, count: Int) -> String {
        t("gồm \(count) nhiệm vụ giao cho \(name) (trước 1/3/2025)", "including \(count) tasks assigned to \(name) (before 1 March 2025)")
    }
    /// An agency by its name in the language (and its code in English, where codes are how agencies are known).
    func agency(_ code: String, _ names: [String: BilingualName]) -> String {
        guard let name = names[code] else { return code }
        return language == .vi ? name.vi : name.en + " (" + code + ")"
    }
    var overdueTasks: String { t("Nhiệm vụ quá hạn", "Overdue tasks") }
    var noOverdueTasks: String {
        t("Không có nhiệm vụ nào đã báo cáo mà quá hạn.", "No task with a reported status is past its end year.")
    }
    var overdueColumns: [String] {
        language == .vi ? ["Nhiệm vụ", "Cơ quan chủ trì", "Nội dung", "Năm hoàn thành", "Tình trạng báo cáo"]
            : ["Task", "Lead agency", "Text", "End year", "Reported status"]
    }
    func taskStatus(_ status: String) -> String {
        guard language == .vi else { return status.replacingOccurrences(of: "_", with: " ") }
        let vi = ["not_started": "chưa bắt đầu", "in_progress": "đang thực hiện", "completed": "hoàn thành",
                  "delayed": "chậm", "cancelled": "hủy"]
        return vi[status] ?? status
    }
    /// A day written YYYY-MM-DD as the language writes it: 30/06/2025, 30 Jun 2025.
    func date(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), (1...12).contains(month) else { return iso }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return language == .vi ? "\(parts[2])/\(parts[1])/\(parts[0])" : "\(Int(parts[2]) ?? 0) \(months[month - 1]) \(parts[0])"
    }
    /// The name of an archipelago on a map.
    func archipelago(_ name: Archipelago.Name) -> String {
        switch name {
        case .hoangSa: return t("Quần đảo Hoàng Sa", "Hoang Sa archipelago")
        case .truongSa: return t("Quần đảo Trường Sa", "Truong Sa archipelago")
        }
    }
    /// Loaded values flagged for a look.
    var kept: String { t("giữ lại, cần xem", "kept, to check") }
    var quality: String { t("Độ mới và chất lượng dữ liệu", "Data freshness and quality") }
    var loadColumns: [String] {
        language == .vi ? ["Lượt nạp", "Tệp", "Tập dữ liệu", "Trạng thái", "Dòng đọc", "Dòng nạp", "Dòng loại", "Lý do loại"]
            : ["Load", "File", "Dataset", "Status", "Rows read", "Rows loaded", "Rows rejected", "Rejected by reason"]
    }
    /// Why rows were rejected or flagged, by the code the loaders record: the one table of both languages.
    static let reasons: [String: (vi: String, en: String)] = [
        "ambiguous_unit": ("tên đơn vị trùng nhiều đơn vị", "unit name matches several units"),
        "bad_action": ("thao tác SDMX không hợp lệ", "invalid SDMX action"),
        "bad_check": ("sai chữ số kiểm tra", "wrong check digit"),
        "bad_code": ("mã không hợp lệ", "invalid code"),
        "bad_comparator": ("phép so sánh không hợp lệ", "invalid comparator"),
        "bad_date": ("ngày không hợp lệ", "invalid date"),
        "bad_deadline": ("năm hạn không hợp lệ", "invalid deadline"),
        "bad_flag": ("cờ có/không không hợp lệ", "invalid yes/no flag"),
        "bad_length": ("sai độ dài", "wrong length"),
        "bad_period": ("kỳ số liệu không hợp lệ", "invalid period"),
        "bad_status": ("tình trạng không hợp lệ", "invalid status"),
        "bad_unit_mult": ("hệ số đơn vị SDMX không hợp lệ", "invalid SDMX unit multiplier"),
        "bad_version": ("phiên bản đơn vị hành chính không khớp", "administrative version does not match"),
        "column_count": ("sai số cột", "wrong number of columns"),
        "duplicate_key": ("trùng khóa", "duplicate key"),
        "control_character": ("có ký tự điều khiển (không phải văn bản)", "control character (not text)"),
        "cut_short": ("dòng cuối bị cắt cụt", "last line cut short"),
        "field_too_long": ("trường dài quá giới hạn", "field over the length limit"),
        "forecast_not_observation": ("là dự báo, không phải số liệu quan sát", "a forecast, not an observation"),
        "future_date": ("ngày ở tương lai", "date in the future"),
        "future_period": ("kỳ sau ngày chốt số liệu", "period after the as-of date"),
        "id_mismatch": ("số định danh không khớp", "identifier does not match"),
        "incomplete_ratio": ("thiếu tử số hoặc mẫu số", "numerator or denominator missing"),
        "inconsistent": ("các trường mâu thuẫn nhau", "fields contradict each other"),
        "invalid_utf8": ("không phải văn bản UTF-8", "not UTF-8 text"),
        "missing": ("thiếu giá trị bắt buộc", "required value missing"),
        "missing_source": ("thiếu nguồn", "source missing"),
        "no_final_line_break": ("tệp không kết thúc bằng dấu xuống dòng", "file ends without a line break"),
        "not_a_number": ("không phải số", "not a number"),
        "out_of_range": ("ngoài khoảng cho phép", "out of range"),
        "outlier": ("giá trị bất thường so với chuỗi", "unusual for its series"),
        "unit_not_in_force": ("đơn vị không còn hiệu lực trong kỳ", "unit not in force in the period"),
        "unit_split": ("đơn vị đã bị chia tách", "unit was split"),
        "unknown_indicator": ("chỉ tiêu không có trong danh mục", "indicator not in the catalogue"),
        "unknown_task": ("nhiệm vụ không có trong danh mục", "task not in the catalogue"),
        "unknown_unit": ("không tìm thấy đơn vị", "unknown unit"),
        "unterminated_quote": ("dấu ngoặc kép không đóng", "unterminated quote"),
        "wrong_level": ("sai cấp đơn vị", "wrong unit level"),
    ]
    func reason(_ code: String) -> String {
        guard let words = Self.reasons[code] else { return code }
        return language == .vi ? words.vi : words.en
    }
    /// The datasets a load belongs to, and how it ended.
    static let datasets: [String: (vi: String, en: String)] = [
        "indicator": ("chỉ tiêu", "indicators"), "population": ("sổ dân cư", "population registry"),
        "land": ("sổ đất đai", "land registry"), "business": ("sổ doanh nghiệp", "business registry"),
        "local-target": ("chỉ tiêu kế hoạch địa phương", "local plans' targets"),
        "task-status": ("tình trạng nhiệm vụ", "task status"), "derived": ("tính từ sổ đăng ký", "derived from the registries"),
    ]
    static let loadStatuses: [String: (vi: String, en: String)] = [
        "loaded": ("đã nạp", "loaded"), "failed": ("không nạp", "failed"), "skipped": ("bỏ qua (đã nạp)", "skipped (already loaded)"),
    ]
    func dataset(_ code: String) -> String { Self.datasets[code].map { language == .vi ? $0.vi : $0.en } ?? code }
    func loadStatus(_ code: String) -> String { Self.loadStatuses[code].map { language == .vi ? $0.vi : $0.en } ?? code }
    var latestPeriods: String { t("Kỳ số liệu mới nhất của từng chỉ tiêu", "Latest period of each indicator") }
    var methods: String { t("Phương pháp", "Methods") }
    /// The assessment methods with their sources (METHODS.md section 3).
    var methodCitations: [String] {
        [t("Đánh giá chung (một trạng thái cho mỗi mục tiêu và đơn vị): đạt hoặc không đạt khi năm đánh giá đã qua và có số liệu; "
            + "chưa có số liệu năm hạn khi năm đó đã qua mà không có số liệu; trước hạn: đạt trước hạn, đúng tiến độ (xác suất ≥ 80%), "
            + "có nguy cơ (≥ 20%), chệch hướng, hoặc chưa đủ dữ liệu (một giá trị).",
           "Headline status (one per target and unit): met or not met when the year judged has passed and was observed; no data for "
            + "the deadline when it passed unobserved; ahead of it met early, on track (probability ≥ 80%), at risk (≥ 20%), off track, "
            + "or insufficient data (one value)."),
         t("Thước đo tiến bộ (Cục Thống kê Canada; Open SDG 2.4, theo cách của Eurostat).",
           "Progress measure (Statistics Canada; Open SDG 2.4, Eurostat-inspired)."),
         t("Tỉ số giá trị dự kiến (biểu đồ tiến độ của Cơ quan Thống kê Liên hợp quốc, theo cách điều chỉnh của EUSTAT).",
           "Projected-value ratio (UN Statistics Division progress chart, adapted by EUSTAT)."),
         t("Chỉ số hiện trạng và tiến độ dự kiến theo cách của ESCAP (tạm thời).",
           "ESCAP-style current status and anticipated progress (provisional).")]
    }
    var methodNotes: [String] {
        [t("Tổng hợp theo cấp hành chính: cộng tử số và mẫu số (không lấy trung bình tỉ lệ); quy đổi 63→34 tỉnh bằng ma trận thành viên.",
           "Aggregation over the administrative hierarchy: numerators and denominators added (never a mean of ratios); 63→34 provinces through a membership matrix."),
         t("Dự báo: mô hình tuyến tính, log-tuyến tính, logit hoặc giữ nguyên giá trị, chọn theo kiểm định lùi (rolling-origin backtest).",
           "Forecasts: linear, log-linear, logit or naive models chosen by a rolling-origin backtest."),
         t("Kịch bản: mô phỏng Monte Carlo từ phân phối dự báo của từng mô hình.",
           "Scenarios: Monte Carlo simulation from each model's forecast distribution."),
         t("Số đếm từ sổ đăng ký dưới 10 người hoặc doanh nghiệp được ẩn (<10).",
           "Counts from the registries below 10 people or enterprises are suppressed (<10).")]
    }
    var unitPages: String { t("Trang từng đơn vị", "Unit pages") }
    var nationalReport: String { t("Báo cáo toàn quốc", "National report") }
    var backToIndex: String { t("← Danh sách đơn vị", "← All units") }
    var noRows: String { t("Không có mục tiêu nào được đánh giá cho đơn vị này.", "No target is assessed for this unit.") }
}
