import Foundation

/// The projected-value ratio of the UN Statistics Division progress chart, as adapted by EUSTAT
/// (METHODS.md 3.2): project the latest value to the deadline at the observed CAGR, and compare the projected
/// change with the change the target asks for.
public enum ProjectedValueRatio {
    public enum Status: String, Sendable, CaseIterable {
        case onTrack = "on track"
        case fair = "fair progress, acceleration needed"
        case stagnation = "stagnation or regression"
        case insufficientData = "insufficient data"
        case notAssessable = "not assessable"
    }

    /// - Returns: the status, the ratio `(v_T - y0) / (x - y0)` and the projected value `v_T`.
    /// - A target already met (`met`: the latest value meets it) is on track, as 3.1 calls it achieved, whatever
    ///   the projection (100 -> 99 against "at least 50" is no regression). A target of 0% or 100% (`percent`)
    ///   counts as met when the projection is within 1 percentage point. Fewer than two years: insufficient
    ///   data; non-positive values (no CAGR) or a target equal to the base: not assessable.
    public static func assess(baseYear t0: Int, base y0: Double, latestYear t: Int, latest y: Double,
                              threshold x: Double, deadline T: Int, percent: Bool,
                              met: Bool = false) -> (status: Status, ratio: Double?, projected: Double?) {
        guard t - t0 >= 1 else { return (.insufficientData, nil, nil) }
        if met { return (.onTrack, nil, nil) }
        guard y0 > 0, y > 0, x != y0 else { return (.notAssessable, nil, nil) }
        let projected = y * pow(1 + ProgressMeasure.cagr(y, y0, t, t0), Double(T - t))
        let ratio = (projected - y0) / (x - y0)
        if percent && (x == 0 || x == 100) && abs(projected - x) <= 1 { return (.onTrack, ratio, projected) }
        return (status(ratio), ratio, projected)
    }

    /// `>= 0.95` on track; `[0.10, 0.95)` fair progress; `< 0.10` stagnation or regression.
    public static func status(_ ratio: Double) -> Status {
        ratio >= 0.95 ? .onTrack : ratio >= 0.10 ? .fair : .stagnation
    }
}

/// ESCAP-style current status and anticipated progress indices (METHODS.md 3.3). **Provisional**: ESCAP's
/// published annex holds the official formulas; until confirmed, every output says "ESCAP-style, provisional".
public enum ESCAPStyleIndex {
    /// `10 · dir · (y - y0) / |x - y0|`, or 10 when the target is met; `nil` when the target equals the base.
    public static func index(base y0: Double, value y: Double, threshold x: Double, direction: Double) -> Double? {
        if (direction > 0 && y >= x) || (direction < 0 && y <= x) { return 10 }
        guard x != y0 else { return nil }
        return 10 * direction * (y - y0) / abs(x - y0)
    }

    /// Current status: `> 9` on track, `<= 0` regression, otherwise slow progress.
    public static func currentStatus(_ index: Double) -> String {
        index > 9 ? "on track" : index <= 0 ? "regression" : "slow progress"
    }

    /// Anticipated progress (the index of the forecast at the deadline): `> 9` will meet the target, `<= 0`
    /// no progress expected, otherwise needs to accelerate.
    public static func anticipatedProgress(_ index: Double) -> String {
        index > 9 ? "will meet the target" : index <= 0 ? "no progress expected" : "needs to accelerate"
    }
}

/// The constant yearly change needed from the latest value to reach the target on time (METHODS.md 3.4).
public enum RequiredPace {
    /// `(x - y) / (T - t)` per year and `(x / y)^(1 / (T - t)) - 1` as a rate (`nil` unless both positive).
    /// A deadline already passed (`T <= t`) has no pace: `nil` for both; the gap `x - y` says what is left.
    public static func pace(latestYear t: Int, latest y: Double, threshold x: Double,
                            deadline T: Int) -> (perYear: Double?, rate: Double?) {
        guard T > t else { return (nil, nil) }
        let years = Double(T - t)
        let rate = x > 0 && y > 0 ? pow(x / y, 1 / years) - 1 : nil
        return ((x - y) / years, rate)
    }
}
