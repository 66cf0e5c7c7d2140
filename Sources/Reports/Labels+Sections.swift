import Foundation
import Reference

/// The words of the report's sections after the summary: charts, matrix, maps, scenarios, tasks, quality, methods.
extension Labels {
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
        t("Bản đồ 34 tỉnh, thành phố (từ 1/7/2025): màu theo đánh giá của từng tỉnh; màu xám: không có dữ liệu. Bản đồ 63 tỉnh, thành phố: màu theo giá trị. Số trên bản đồ: xem chú dẫn tên tỉnh; trạng thái từng tỉnh bằng chữ: xem ma trận ở trên.",
          "The maps of the 34 provinces (from 1 July 2025) are coloured by each province's status; grey: no data. The map of the 63 provinces is coloured by value. The numbers on the maps are keyed to the provinces' names; the matrix above gives each province's status in words.")
    }
    var mapKey34: String { t("Số trên bản đồ 34 tỉnh, thành phố:", "Numbers on the maps of the 34 provinces:") }
    var mapKey63: String { t("Số trên bản đồ 63 tỉnh, thành phố trước 1/7/2025:", "Numbers on the map of the 63 provinces before 1 July 2025:") }
    /// The 63-province map's title: the indicator in the report's language, the year, the provinces.
    func beforeReorganisation(_ values: OldProvinceValues, _ data: ReportData) -> String {
        let name = data.indicators[values.indicator] == nil ? values.name : indicator(values.indicator, data)
        return t("\(name), năm \(values.year) – 63 tỉnh, thành phố trước 1/7/2025 (màu theo giá trị)",
                 "\(name), \(values.year) – the 63 provinces before 1 July 2025 (coloured by value)")
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
    /// The answer to an inverse question, in words, with the unit of the gain; of a year judged before
    /// `currentYear`, as what would have been needed (it asked "+28.92 points a year from 2025" of a 2025 target in
    /// December 2026).
    func inverseAnswer(_ gain: GainLine, row: ScorecardRow?, unitName: String, indicator: String, currentYear: Int) -> String {
        let level = chance(gain.level)
        let judged = row.map { $0.assessedYear ?? $0.deadline }
        let year = judged.map(String.init) ?? "", passed = (judged ?? currentYear) < currentYear
        let who = gainUnits(gain.gainUnits)
        guard let value = gain.gain else {
            return passed
                ? t("Không mức tăng thêm nào (trong giới hạn đã thử) lẽ ra đưa được khả năng đạt \(indicator) ở \(unitName) năm \(year) lên \(level).",
                    "No extra gain (within the range tried) would have lifted the chance of meeting \(indicator) in \(unitName) by \(year) to \(level).")
                : t("Không mức tăng thêm nào (trong giới hạn đã thử) đưa khả năng đạt \(indicator) ở \(unitName) năm \(year) lên \(level).",
                    "No extra gain (within the range tried) lifts the chance of meeting \(indicator) in \(unitName) by \(year) to \(level).")
        }
        let unit: String
        switch row?.unitOfMeasure {
        case "percent": unit = t("điểm phần trăm", "percentage points")
        case "rank": unit = t("bậc", "places")
        default: unit = ""
        }
        return (passed
            ? t("Để có \(level) khả năng đạt \(indicator) ở \(unitName) vào năm \(year), \(who) lẽ ra cần tăng thêm \(signed(value)) \(unit) mỗi năm từ năm \(gain.fromYear) (năm đánh giá đã qua).",
                "For the chance of meeting \(indicator) in \(unitName) by \(year) to have reached \(level): \(signed(value)) \(unit) more a year from \(gain.fromYear) in \(who) would have been needed (the year judged has passed).")
            : t("Để có \(level) khả năng đạt \(indicator) ở \(unitName) vào năm \(year), \(who) cần tăng thêm \(signed(value)) \(unit) mỗi năm từ năm \(gain.fromYear).",
                "For the chance of meeting \(indicator) in \(unitName) by \(year) to reach \(level): \(signed(value)) \(unit) more a year from \(gain.fromYear) in \(who)."))
            .replacingOccurrences(of: "  ", with: " ")
    }
    var changesNothing: String {
        // Of the forecast, not the series: e-invoice use rose from 30.8% to 71.9% in 2021-2024, and its naive
        // forecast, which carries the last value on, gives a stall nothing to stop.
        t("Kịch bản này không thay đổi kết quả nào ở đây so với gốc: các chuỗi nó thay đổi đã được dự báo như vậy (một dự báo "
            + "không có xu hướng, như mô hình naive giữ nguyên giá trị cuối, thì không có tăng trưởng để dừng hay nhân lên), "
            + "hoặc thay đổi không chạm tới năm đánh giá.",
          "This scenario changes none of the results here against the baseline: the series it changes are already forecast "
            + "that way (a forecast without a trend, as the naive model's carrying the last value on, has no growth to stall or "
            + "scale), or its changes do not reach the years judged.")
    }
    var scenarioNote: String {
        t("Mô phỏng Monte Carlo; tỉnh được cộng lên vùng và cả nước trong từng lần rút (tử số và mẫu số). Gốc: cùng kịch bản không can thiệp.",
          "Monte Carlo simulation; provinces are added up to regions and the nation inside each draw (numerators and denominators). Baseline: the same scenario without its interventions.")
    }
    /// A year judged in a scenario's table, marked when it has passed: its results say what would have been.
    func scenarioYear(_ year: Int, currentYear: Int) -> String {
        year < currentYear ? t("\(year) (đã qua: giả định)", "\(year) (passed: what would have been)") : String(year)
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
        t("gồm \(count) nhiệm vụ giao cho \(name) (trước 1/3/2025)", "including \(count) task\(count == 1 ? "" : "s") assigned to \(name) (before 1 March 2025)")
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
        language == .vi ? ["Lượt nạp", "Tệp", "Tập dữ liệu", "Trạng thái", "Dòng đọc", "Dòng nạp", "Dòng loại", "Lý do loại, cảnh báo"]
            : ["Load", "File", "Dataset", "Status", "Rows read", "Rows loaded", "Rows rejected", "Rejected by reason, warnings"]
    }
    /// Why rows were rejected or flagged (`RejectCode`), in both languages: every code has its words.
    static func reasonWords(_ code: RejectCode) -> (vi: String, en: String) {
        switch code {
        case .ambiguousUnit: return ("tên đơn vị trùng nhiều đơn vị", "unit name matches several units")
        case .badAction: return ("thao tác SDMX không hợp lệ", "invalid SDMX action")
        case .badCheck: return ("sai chữ số kiểm tra", "wrong check digit")
        case .badCode: return ("mã không hợp lệ", "invalid code")
        case .badComparator: return ("phép so sánh không hợp lệ", "invalid comparator")
        case .badDate: return ("ngày không hợp lệ", "invalid date")
        case .badDeadline: return ("năm hạn không hợp lệ", "invalid deadline")
        case .badFlag: return ("cờ có/không không hợp lệ", "invalid yes/no flag")
        case .badLength: return ("sai độ dài", "wrong length")
        case .badPeriod: return ("kỳ số liệu không hợp lệ", "invalid period")
        case .badStatus: return ("tình trạng không hợp lệ", "invalid status")
        case .badUnitMultiplier: return ("hệ số đơn vị SDMX không hợp lệ", "invalid SDMX unit multiplier")
        case .badVersion: return ("phiên bản đơn vị hành chính không khớp", "administrative version does not match")
        case .columnCount: return ("sai số cột", "wrong number of columns")
        case .conflictsWithWarehouse: return ("mâu thuẫn với bản ghi trong kho", "conflicts with the record in the warehouse")
        case .controlCharacter: return ("có ký tự điều khiển (không phải văn bản)", "control character (not text)")
        case .cutShort: return ("dòng cuối bị cắt cụt", "last line cut short")
        case .duplicateKey: return ("trùng khóa", "duplicate key")
        case .fieldTooLong: return ("trường dài quá giới hạn", "field over the length limit")
        case .forecastNotObservation: return ("là dự báo, không phải số liệu quan sát", "a forecast, not an observation")
        case .futureDate: return ("ngày ở tương lai", "date in the future")
        case .futurePeriod: return ("kỳ sau ngày chốt số liệu", "period after the as-of date")
        case .idMismatch: return ("số định danh không khớp", "identifier does not match")
        case .incompleteRatio: return ("thiếu tử số hoặc mẫu số", "numerator or denominator missing")
        case .inconsistent: return ("các trường mâu thuẫn nhau", "fields contradict each other")
        case .invalidUTF8: return ("không phải văn bản UTF-8", "not UTF-8 text")
        case .missing: return ("thiếu giá trị bắt buộc", "required value missing")
        case .missingSource: return ("thiếu nguồn", "source missing")
        case .noFinalLineBreak: return ("tệp không kết thúc bằng dấu xuống dòng", "file ends without a line break")
        case .notANumber: return ("không phải số", "not a number")
        case .outOfRange: return ("ngoài khoảng cho phép", "out of range")
        case .outlier: return ("giá trị bất thường so với chuỗi", "unusual for its series")
        case .unitNotInForce: return ("đơn vị không còn hiệu lực trong kỳ", "unit not in force in the period")
        case .unitSplit: return ("đơn vị đã bị chia tách", "unit was split")
        case .unknownIndicator: return ("chỉ tiêu không có trong danh mục", "indicator not in the catalogue")
        case .unknownTask: return ("nhiệm vụ không có trong danh mục", "task not in the catalogue")
        case .unknownUnit: return ("không tìm thấy đơn vị", "unknown unit")
        case .unterminatedQuote: return ("dấu ngoặc kép không đóng", "unterminated quote")
        case .wrongLevel: return ("sai cấp đơn vị", "wrong unit level")
        }
    }
    /// The reason for a stored code in the report's language (a code this program does not know, as stored).
    func reason(_ code: String) -> String {
        guard let known = RejectCode(rawValue: code) else { return code }
        let words = Self.reasonWords(known)
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
