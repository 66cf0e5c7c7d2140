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

    var synthetic: String { t("DỮ LIỆU MẪU TỔNG HỢP (synthetic) – không phải số liệu thật.", "SYNTHETIC SAMPLE DATA – not real figures.") }
    var stale: String { t("Nguồn dữ liệu đã cũ hơn thời hạn cho phép (max_age):", "Sources older than their maximum age (max_age):") }
    var generated: String { t("Lập lúc", "Generated") }
    var run: String { t("lượt chạy", "run") }
    var overview: String { t("Tổng quan các mục tiêu", "Overview of the targets") }
    var overviewColumns: [String] {
        language == .vi
            ? ["Điều khoản", "Mục tiêu", "Đơn vị", "Giá trị mới nhất", "Chỉ tiêu", "Hạn", "Giá trị tại hạn [95%]", "Đánh giá"]
            : ["Clause", "Target", "Unit", "Latest value", "Target value", "Deadline", "Value at deadline [95%]", "Status"]
    }
    var combined: String { t("Tất cả các đơn vị (gộp)", "All units (combined)") }
    var nationAddedUp: String { t("cả nước, cộng từ các đơn vị", "the nation, added up from the units") }
    func text(_ row: ScorecardRow) -> String { language == .vi ? row.textVI : row.textEN }
    /// The target's text cut to its first 90 characters, for captions.
    func shortText(_ row: ScorecardRow) -> String {
        let full = text(row)
        return full.count > 90 ? String(full.prefix(89)) + "…" : full
    }
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
    func chartLabel(_ row: ScorecardRow) -> String {
        t("Biểu đồ \(row.clause) – \(row.unitName)", "Chart of \(row.clause) – \(row.unitName)")
    }
    var reorganisation: String { t("1/7/2025", "1 Jul 2025") }
    var deadline: String { t("Hạn", "Deadline") }
    var targetLine: String { t("Chỉ tiêu", "Target") }
    var matrix: String { t("Ma trận đơn vị × mục tiêu", "Units × targets") }
    var legendTitle: String { t("Chú giải:", "Legend:") }
    var unitColumn: String { t("Tỉnh, thành phố", "Province") }
    var maps: String { t("Bản đồ", "Maps") }
    var mapNote: String {
        t("Màu theo đánh giá của từng tỉnh (34 tỉnh, thành phố từ 1/7/2025); màu xám: không có dữ liệu. Di chuột để xem tên.",
          "Coloured by each province's status (the 34 provinces from 1 July 2025); grey: no data. Hover for names.")
    }
    func beforeReorganisation(_ values: OldProvinceValues) -> String {
        t("\(values.name), năm \(values.year) – 63 tỉnh, thành phố trước 1/7/2025",
          "\(values.name), \(values.year) – the 63 provinces before 1 July 2025")
    }
    var scenarios: String { t("Kịch bản", "Scenarios") }
    var scenarioColumns: [String] {
        language == .vi
            ? ["Kịch bản", "Mục tiêu", "Đơn vị", "Năm", "Xác suất đạt", "Xác suất (gốc)", "Trung vị [80%]", "Trung vị (gốc)"]
            : ["Scenario", "Target", "Unit", "Year", "Probability", "Baseline probability", "Median [80%]", "Baseline median"]
    }
    var gainColumns: [String] {
        language == .vi
            ? ["Kịch bản", "Mục tiêu", "Đơn vị", "Đơn vị nỗ lực thêm", "Từ năm", "Xác suất cần đạt", "Mức tăng thêm mỗi năm"]
            : ["Scenario", "Target", "Unit", "Units adding effort", "From", "Probability sought", "Extra gain per year"]
    }
    var notReachable: String { t("không đạt được", "not reachable") }
    var scenarioNote: String {
        t("Mô phỏng Monte Carlo; tỉnh được cộng lên vùng và cả nước trong từng lần rút (tử số và mẫu số). Gốc: cùng kịch bản không can thiệp.",
          "Monte Carlo simulation; provinces are added up to regions and the nation inside each draw (numerators and denominators). Baseline: the same scenario without its interventions.")
    }
    var tasks: String { t("Nhiệm vụ theo cơ quan chủ trì", "Tasks by lead agency") }
    var taskColumns: [String] {
        language == .vi ? ["Cơ quan chủ trì", "Nhiệm vụ", "Nội dung", "Hạn", "Tình trạng", "Quá hạn"]
            : ["Lead agency", "Task", "Text", "Due", "Status", "Overdue"]
    }
    func taskStatus(_ status: String) -> String {
        guard language == .vi else { return status.replacingOccurrences(of: "_", with: " ") }
        let vi = ["not_started": "chưa bắt đầu", "in_progress": "đang thực hiện", "completed": "hoàn thành",
                  "delayed": "chậm", "cancelled": "hủy"]
        return vi[status] ?? status
    }
    var overdue: String { t("quá hạn", "overdue") }
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
    var latestPeriods: String { t("Kỳ số liệu mới nhất của từng chỉ tiêu", "Latest period of each indicator") }
    var latestColumns: [String] { language == .vi ? ["Chỉ tiêu", "Kỳ mới nhất"] : ["Indicator", "Latest period"] }
    var methods: String { t("Phương pháp", "Methods") }
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
