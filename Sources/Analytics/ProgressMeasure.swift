import Foundation

/// The status classes of the progress measure, best first.
public enum ProgressStatus: String, Sendable, CaseIterable {
    case achieved = "target achieved"
    case substantial = "substantial progress"
    case moderate = "moderate progress"
    case limited = "limited progress"
    case deterioration = "deterioration"
    /// Missed: the year judged has passed and its observed value does not meet the target (METHODS.md 3.6).
    case notAchieved = "target not achieved"
    case insufficientData = "insufficient data"
    case notAssessable = "not assessable"
    case noData = "no data"
}

/// One series assessed against one target.
public struct ProgressAssessment: Sendable, Equatable {
    public let status: ProgressStatus
    /// The progress ratio (observed over required growth), `nil` when achieved or not assessable.
    public let progress: Double?
    /// Score in [-5, 5], `nil` when not assessable.
    public let score: Double?
    public let baseYear: Int?
    public let baseValue: Double?
    public let latestYear: Int?
    public let latestValue: Double?

    public init(status: ProgressStatus, progress: Double?, score: Double?, baseYear: Int?, baseValue: Double?,
                latestYear: Int?, latestValue: Double?) {
        self.status = status
        self.progress = progress
        self.score = score
        self.baseYear = baseYear
        self.baseValue = baseValue
        self.latestYear = latestYear
        self.latestValue = latestValue
    }
}

/// The progress measure of Statistics Canada and Open SDG 2.4 (Eurostat-inspired), METHODS.md section 3.1:
/// the observed compound growth since the base year over the compound growth the target requires.
public enum ProgressMeasure {
    /// `CAGR(a, b, ta, tb) = (a/b)^(1/(ta-tb)) - 1`.
    public static func cagr(_ a: Double, _ b: Double, _ ta: Int, _ tb: Int) -> Double {
        pow(a / b, 1 / Double(ta - tb)) - 1
    }

    /// Assesses `series` against a target `threshold` due in `deadline`.
    ///
    /// - Parameters:
    ///   - direction: +1 when higher is better, -1 when lower is better.
    ///   - baseYear: the base year; when it has no value, the next later year with one is used.
    /// - Only observations up to the deadline count. Base or target equal to 0 become 0.001; base and latest of
    ///   opposite signs (or a base and target of opposite signs) are not assessable; fewer than two years since the base give "insufficient data".
    public static func assess(years: [Int], values: [Double], direction: Double, threshold: Double,
                              deadline: Int, baseYear: Int) -> ProgressAssessment {
        let points = zip(years, values).filter { $0.0 <= deadline && $0.1.isFinite }.sorted { $0.0 < $1.0 }
        guard let latest = points.last else {
            return ProgressAssessment(status: .noData, progress: nil, score: nil, baseYear: nil, baseValue: nil,
                                      latestYear: nil, latestValue: nil)
        }
        let (t, y) = latest
        let base = points.first { $0.0 >= baseYear } ?? latest
        let (t0, rawY0) = base
        func result(_ status: ProgressStatus, _ progress: Double?, _ score: Double?) -> ProgressAssessment {
            ProgressAssessment(status: status, progress: progress, score: score, baseYear: t0, baseValue: rawY0,
                               latestYear: t, latestValue: y)
        }
        if (direction > 0 && y >= threshold) || (direction < 0 && y <= threshold) {
            return result(.achieved, nil, 5)
        }
        guard t - t0 >= 1 else { return result(.insufficientData, nil, nil) }
        let y0 = rawY0 == 0 ? 0.001 : rawY0
        let x = threshold == 0 ? 0.001 : threshold
        // No real CAGR joins values of opposite signs: base and latest, or base and target.
        guard (y0 > 0) == (y > 0), (y0 > 0) == (x > 0), y != 0, deadline > t0 else {
            return result(.notAssessable, nil, nil)
        }
        let sign: Double = y0 < 0 ? -1 : 1
        let required = abs(cagr(x, y0, deadline, t0))
        let observed = sign * direction * cagr(y, y0, t, t0)
        guard required > 0, observed.isFinite else { return result(.notAssessable, nil, nil) }
        let progress = observed / required
        return result(status(progress), progress, score(progress))
    }

    /// The class of a progress ratio: start-inclusive boundaries at 0.95, 0.6 and 0.
    public static func status(_ progress: Double) -> ProgressStatus {
        if progress >= 0.95 { return .substantial }
        if progress >= 0.6 { return .moderate }
        if progress >= 0 { return .limited }
        return .deterioration
    }

    /// `min(7.1429 p - 4.2857, 5)` when `p >= 0.6`, else `max(4.1667 p - 2.5, -5)`.
    public static func score(_ progress: Double) -> Double {
        progress >= 0.6 ? min(7.1429 * progress - 4.2857, 5) : max(4.1667 * progress - 2.5, -5)
    }

    /// Several series of one target: the mean score, classed at 2.5 / 0 / -2.5; "target achieved" only when
    /// every series achieved it, "target not achieved" when every year judged has passed and some series missed it.
    /// Series without a score do not count; none at all gives `nil`.
    public static func combine(_ assessments: [ProgressAssessment]) -> (status: ProgressStatus, score: Double)? {
        let scored = assessments.compactMap(\.score)
        guard !scored.isEmpty else { return nil }
        if assessments.allSatisfy({ $0.status == .achieved }) { return (.achieved, 5) }
        let mean = scored.reduce(0, +) / Double(scored.count)
        // Every year judged has passed, observed, and not every unit met the target: not achieved.
        if assessments.allSatisfy({ $0.status == .achieved || $0.status == .notAchieved }) { return (.notAchieved, mean) }
        let status: ProgressStatus = mean >= 2.5 ? .substantial : mean >= 0 ? .moderate
            : mean >= -2.5 ? .limited : .deterioration
        return (status, mean)
    }
}

extension ProgressMeasure {
    /// The progress measure of a series with no target (METHODS.md 3.1): the observed CAGR, classed at
    /// thresholds 0.015 / 0.005 / 0, each positive threshold scaled down near a natural `limit` (100 for a
    /// percentage) by `C = 1 - (b/l)^4.44` (`b = |y0| <= l`), `1 - ((2l - b)/l)^4.44` (`l < b < 2l`), `1`
    /// (`b >= 2l`).
    /// - Returns: the progress value, the class and the score; `nil` with fewer than two years or values of
    ///   opposite signs.
    public static func assessWithoutTarget(baseYear t0: Int, base rawY0: Double, latestYear t: Int, latest y: Double,
                                           direction: Double, limit: Double?) -> (progress: Double, status: ProgressStatus, score: Double)? {
        guard t - t0 >= 1 else { return nil }
        let y0 = rawY0 == 0 ? 0.001 : rawY0
        guard (y0 > 0) == (y > 0), y != 0 else { return nil }
        let sign: Double = y0 < 0 ? -1 : 1
        let v = sign * direction * cagr(y, y0, t, t0)
        let c = limit.map { limitScaling(base: abs(y0), limit: $0) } ?? 1
        let high = 0.015 * c, medium = 0.005 * c, low = 0.0
        let status: ProgressStatus = v >= high ? .substantial : v >= medium ? .moderate : v >= low ? .limited : .deterioration
        let score: Double
        if v < low {
            score = max(125 * v - 2.5, -5)
        } else if c == 0 {
            score = 5
        } else if v >= high {
            score = min(500 * v / c - 5, 5)
        } else if v >= medium {
            score = 250 * v / c - 1.25
        } else {
            score = 500 * v / c - 2.5
        }
        return (v, status, score)
    }

    /// The factor `C` that shrinks the thresholds near a natural limit.
    public static func limitScaling(base b: Double, limit l: Double) -> Double {
        if b <= l { return 1 - pow(b / l, 4.44) }
        if b < 2 * l { return 1 - pow((2 * l - b) / l, 4.44) }
        return 1
    }
}
