/// The one status a target gets in a unit, the one a leader reads on the chip (METHODS.md 3.6): from the
/// evidence in order, whether the year judged has passed and what was observed for it, else how likely the
/// target is to be met. The three methods' classes stand beside it, labelled by method, never instead of it.
public enum HeadlineStatus: String, Sendable, CaseIterable {
    case met = "met"
    case notMet = "not met"
    case noDataForDeadline = "no data for the deadline"
    case metEarly = "met early"
    case insufficientData = "insufficient data"
    case onTrack = "on track"
    case atRisk = "at risk"
    case offTrack = "off track"

    /// Judges one target in one unit.
    /// - Parameters:
    ///   - judgedYear: the year the target is judged in (its deadline, or the survey after it for a rank).
    ///   - currentYear: this year: a year before it has passed.
    ///   - observed: the value observed in the year judged, if any.
    ///   - latest: the latest observed value; `points`: how many years were observed.
    ///   - meets: whether a value meets the target.
    ///   - probability: the chance of meeting it by the year judged (nil when no model gives a spread);
    ///     `progress`: the progress measure's ratio (3.1), the fallback then.
    /// - Returns: `met`/`notMet` when the year judged has passed and was observed, `noDataForDeadline` when it
    ///   passed unobserved; ahead of it, `metEarly` when the latest value already meets the target,
    ///   `insufficientData` with fewer than two values, then `onTrack` (P >= 0.8), `atRisk` (0.2 <= P < 0.8),
    ///   `offTrack` (P < 0.2); without P, progress >= 0.95 on track, [0.6, 0.95) at risk, below off track.
    public static func judge(judgedYear: Int, currentYear: Int, observed: Double?, latest: Double?, points: Int,
                             meets: (Double) -> Bool, probability: Double?, progress: Double?) -> HeadlineStatus {
        if judgedYear < currentYear {
            guard let observed else { return .noDataForDeadline }
            return meets(observed) ? .met : .notMet
        }
        if let latest, meets(latest) { return .metEarly }
        guard points >= 2 else { return .insufficientData }
        if let probability {
            return probability >= 0.8 ? .onTrack : probability >= 0.2 ? .atRisk : .offTrack
        }
        guard let progress else { return .insufficientData }
        return progress >= 0.95 ? .onTrack : progress >= 0.6 ? .atRisk : .offTrack
    }
}
