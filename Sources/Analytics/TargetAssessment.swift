import Reference

/// The assessment methods, as stored in the `method` column.
public enum AssessmentMethod {
    /// The one status of a target in a unit (METHODS.md 3.6).
    public static let headline = "headline"
    public static let progressMeasure = "progress-measure"
    public static let projectedValueRatio = "projected-value-ratio"
    public static let escapCurrentStatus = "escap-current-status (provisional)"
    public static let escapAnticipated = "escap-anticipated-progress (provisional)"
    public static let all = [headline, progressMeasure, projectedValueRatio, escapCurrentStatus, escapAnticipated]
}

/// The unit levels whose series measure a target of `level`. District- and commune-level targets are about
/// the records of those authorities, which provinces report in aggregate, so provinces carry them.
public func assessedLevels(forTargetLevel level: String) -> Set<UnitLevel> {
    switch level {
    case "national": return [.nation]
    case "ministry": return [.ministry]
    case "ministry_province": return [.ministry, .province]
    default: return [.province]
    }
}

/// The year a target is judged in for a series: its deadline, or for a survey rank (published every few
/// years) the first survey at or after the deadline, continuing the series' own cadence (METHODS.md 3.5).
public func assessedYear(deadline: Int, aggregation: Aggregation, years: [Int]) -> Int {
    guard aggregation == .rank, let last = years.last else { return deadline }
    if let survey = years.first(where: { $0 >= deadline }) { return survey }
    let cadence = years.count >= 2 ? max(1, last - years[years.count - 2]) : 1
    var year = last
    while year < deadline { year += cadence }
    return year
}

/// The forecast of a series for the year judged, as stored: its value, model and distribution.
public struct ForecastAtDeadline: Sendable {
    public let value: Double
    /// `nil` when the stored model is not one this program fits.
    public let model: TrendModel?
    public let center: Double?, spread: Double?, degreesOfFreedom: Int?
    /// The observed pace (change per year at the latest observation).
    public let slope: Double

    public init(value: Double, model: TrendModel?, center: Double?, spread: Double?, degreesOfFreedom: Int?, slope: Double) {
        self.value = value
        self.model = model
        self.center = center
        self.spread = spread
        self.degreesOfFreedom = degreesOfFreedom
        self.slope = slope
    }
}

/// A target judged in one unit's series by every method of METHODS.md section 3: the facts they share and
/// each method's verdict.
public struct TargetAssessment: Sendable {
    /// One method's verdict.
    public struct Verdict: Sendable {
        public let method: String
        public let progress: Double?
        public let score: Double?
        public let status: String
    }

    public let baseYear: Int?, baseValue: Double?
    public let latestYear: Int?, latestValue: Double?
    /// "observed" when a value of the year judged was observed, "forecast" when the judgement rests on the
    /// forecast, `nil` with neither.
    public let basis: String?
    public let assessedYear: Int
    public let valueAtDeadline: Double?
    public let probability: Double?
    public let requiredPace: Double?, requiredRate: Double?
    public let observedPace: Double?
    /// The headline first, then the progress measure, then (with two values or more) the projected-value ratio
    /// and the two ESCAP-style indices.
    public let verdicts: [Verdict]

    /// Judges `target` (of `indicator`) in `series`, in the year judged (`assessedYear`), with `forecast` of that
    /// year. When a value was observed that year the judgement rests on it; otherwise on the forecast. The
    /// progress measure and the projected-value ratio use the observations up to that year; the anticipated
    /// progress index and the probability use the value at the deadline. `currentYear` decides whether the
    /// year judged has passed.
    public init(target: Target, indicator: Indicator, series: Series, forecast: ForecastAtDeadline?, baseYear: Int,
                currentYear: Int) {
        let year = Analytics.assessedYear(deadline: target.deadline, aggregation: indicator.aggregation, years: series.years)
        let direction = indicator.direction.sign
        let meets = { (value: Double) in target.comparator.isMet(value, target.threshold) }
        let observed = series.value(in: year)
        let atDeadline = observed ?? forecast?.value
        var probability: Double? = observed.map { meets($0) ? 1 : 0 }
        if probability == nil, let forecast, let model = forecast.model, let center = forecast.center,
           let spread = forecast.spread, let df = forecast.degreesOfFreedom {
            probability = model.probability(center: center, spread: spread, degreesOfFreedom: df,
                                            ofReaching: target.threshold, atLeast: direction > 0)
        }
        let measure = ProgressMeasure.assess(years: series.years, values: series.values, direction: direction,
                                             threshold: target.threshold, deadline: year, baseYear: baseYear)
        // Once the year judged has passed no pace reaches the target in time: the gap says what is left (3.4).
        let pace = year < currentYear ? nil : measure.latestYear.flatMap { t in measure.latestValue.map { y in
            RequiredPace.pace(latestYear: t, latest: y, threshold: target.threshold, deadline: year)
        } }
        self.baseYear = measure.baseYear
        self.baseValue = measure.baseValue
        latestYear = measure.latestYear
        latestValue = measure.latestValue
        basis = observed != nil ? "observed" : forecast != nil ? "forecast" : nil
        assessedYear = year
        valueAtDeadline = atDeadline
        self.probability = probability
        requiredPace = pace?.perYear
        requiredRate = pace?.rate
        observedPace = observed == nil ? forecast?.slope : nil

        let headline = HeadlineStatus.judge(judgedYear: year, currentYear: currentYear, observed: observed,
                                            latest: measure.latestValue, points: series.years.filter { $0 <= year }.count,
                                            meets: meets, probability: probability, progress: measure.progress)
        var verdicts = [
            Verdict(method: AssessmentMethod.headline, progress: nil, score: nil, status: headline.rawValue),
            Verdict(method: AssessmentMethod.progressMeasure, progress: measure.progress, score: measure.score,
                    status: measure.status.rawValue),
        ]
        if let t0 = measure.baseYear, let y0 = measure.baseValue, let t = measure.latestYear, let y = measure.latestValue {
            // The methods agree with the headline at the ends: one value is too few for any of them, and a target
            // met is met in each (3.1 calls it achieved).
            let single = t == t0
            let met = meets(y)
            let ratio = ProjectedValueRatio.assess(baseYear: t0, base: y0, latestYear: t, latest: y,
                                                   threshold: target.threshold, deadline: year,
                                                   percent: indicator.unit == "percent", met: met)
            verdicts.append(Verdict(method: AssessmentMethod.projectedValueRatio, progress: ratio.ratio, score: nil,
                                    status: ratio.status.rawValue))
            let current = single ? nil
                : ESCAPStyleIndex.index(base: y0, value: y, threshold: target.threshold, direction: direction)
            verdicts.append(Verdict(method: AssessmentMethod.escapCurrentStatus, progress: current, score: nil,
                                    status: single ? "insufficient data"
                                        : current.map(ESCAPStyleIndex.currentStatus) ?? "not assessable"))
            let anticipated = single ? nil : met ? 10 : atDeadline.flatMap {
                ESCAPStyleIndex.index(base: y0, value: $0, threshold: target.threshold, direction: direction)
            }
            verdicts.append(Verdict(method: AssessmentMethod.escapAnticipated, progress: anticipated, score: nil,
                                    status: single ? "insufficient data"
                                        : anticipated.map(ESCAPStyleIndex.anticipatedProgress) ?? "not assessable"))
        }
        // And once the year judged has passed the classes that look ahead cannot speak ("on track", "will meet
        // the target", "substantial progress" within 5% of the pace needed): beside the chip a leader would read
        // them as the outcome. A target observed missed is missed in each. Otherwise the projection (3.2) and the
        // anticipated progress (3.3) say what the headline says: achieved when met, no data for the deadline when
        // unobserved (a forecast of 97.6 for "100 by 2025", P = 0, was "on track" and "will meet the target");
        // the progress measure and the current status describe the progress observed, and stay. Every measure stays.
        let projecting: Set = [AssessmentMethod.projectedValueRatio, AssessmentMethod.escapAnticipated]
        let outcome: (String, Set<String>)? = switch headline {
        case .notMet: (ProgressStatus.notAchieved.rawValue, Set(AssessmentMethod.all.dropFirst()))
        case .met: (ProgressStatus.achieved.rawValue, projecting)
        case .noDataForDeadline: (headline.rawValue, projecting)
        default: nil
        }
        if let (status, methods) = outcome {
            verdicts = verdicts.map { verdict in
                methods.contains(verdict.method)
                    ? Verdict(method: verdict.method, progress: verdict.progress, score: verdict.score, status: status)
                    : verdict
            }
        }
        self.verdicts = verdicts
    }
}
