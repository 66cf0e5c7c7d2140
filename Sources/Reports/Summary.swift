import Analytics

/// What the first page of the national report says: the targets counted by headline status, those that need
/// attention, the units furthest behind, and what moved since the previous report. Computed from the
/// scorecard alone, so that the page and its tests read the same numbers.
public struct ReportSummary: Sendable, Equatable {
    /// Headline rows (one per target) counted by status, for the targets whose year judged has passed and for
    /// those still ahead.
    public let passed: [String: Int]
    public let ahead: [String: Int]
    /// Targets still ahead and off track or at risk, the least likely first; targets judged and not met, the
    /// furthest from their target first (`shortfall`: the sample's 44% of vehicles with a toll account against
    /// 100% came after 98.8% of civil servants trained, in catalogue order).
    public let attention: [ScorecardRow]
    public let missed: [ScorecardRow]
    /// Provinces with the most targets not met, off track or likely missed (then at risk), with their counts.
    public let unitsBehind: [UnitBehind]
    /// Changes of headline status since the previous report, over every target and unit.
    public let changes: [StatusChange]

    public struct UnitBehind: Sendable, Equatable {
        public let code: String
        public let name: String
        public let behind: Int
        public let atRisk: Int
        /// Targets whose year judged passed with no figure and whose forecast for it is below the target with a
        /// chance under 20% (what off track means ahead of it): an estimate, counted apart. When every 2025
        /// target's year has passed unobserved, none is "not met" or "off track", and the list said no province
        /// was behind beside 102 of 205 results at P < 20%.
        public let likelyMissed: Int
        public let assessed: Int
    }

    public struct StatusChange: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable { case newlyMet = "newly met", improved, worsened }
        public let kind: Kind
        public let row: ScorecardRow
        public let before: String
    }

    /// How good a headline status is, for telling a change up from down; nil for the statuses that say the
    /// evidence is missing (a move to or from them is no progress either way).
    public static func rank(_ status: String) -> Int? {
        switch HeadlineStatus(rawValue: status) {
        case .met, .metEarly: return 4
        case .onTrack: return 3
        case .atRisk: return 2
        case .offTrack: return 1
        case .notMet: return 0
        default: return nil
        }
    }

    /// - Parameters:
    ///   - headline: one row per target (the nation's, a combination's or the one unit's).
    ///   - rows: every row of the scorecard, for the units behind and the changes.
    ///   - previous: the headline status of each target and unit in the previous report, by
    ///     `TrendChart.key(target:unit:)`.
    ///   - currentYear: a year judged before it has passed.
    public init(headline: [ScorecardRow], rows: [ScorecardRow], previous: [String: String]?, currentYear: Int) {
        var passed: [String: Int] = [:], ahead: [String: Int] = [:]
        for row in headline {
            if (row.assessedYear ?? row.deadline) < currentYear { passed[row.status, default: 0] += 1 }
            else { ahead[row.status, default: 0] += 1 }
        }
        self.passed = passed
        self.ahead = ahead
        attention = headline.filter { [HeadlineStatus.offTrack.rawValue, HeadlineStatus.atRisk.rawValue].contains($0.status) }
            .sorted { ($0.probability ?? 0, $0.targetID) < ($1.probability ?? 0, $1.targetID) }
        // A share's gap in points of its whole scale (16.6% of toll lanes still taking cash against 0%), any
        // other figure's as a share of its target (6th against the top 3); several units' row, with no one
        // value and so no gap, after them.
        let shortfall = { (row: ScorecardRow) in
            (row.gap ?? 0) / (row.unitOfMeasure == "percent" ? 100 : max(abs(row.threshold), 1))
        }
        missed = headline.filter { $0.status == HeadlineStatus.notMet.rawValue }
            .sorted { (-shortfall($0), $0.targetID) < (-shortfall($1), $1.targetID) }

        var byUnit: [String: (name: String, behind: Int, atRisk: Int, likelyMissed: Int, assessed: Int)] = [:]
        for row in rows where Self.isProvince(row.unitCode) {
            var entry = byUnit[row.unitCode] ?? (row.unitName, 0, 0, 0, 0)
            entry.assessed += 1
            if [HeadlineStatus.notMet.rawValue, HeadlineStatus.offTrack.rawValue].contains(row.status) { entry.behind += 1 }
            if row.status == HeadlineStatus.atRisk.rawValue { entry.atRisk += 1 }
            if Self.isLikelyMissed(row) { entry.likelyMissed += 1 }
            byUnit[row.unitCode] = entry
        }
        unitsBehind = byUnit.filter { $0.value.behind + $0.value.atRisk + $0.value.likelyMissed > 0 }
            .map { UnitBehind(code: $0.key, name: $0.value.name, behind: $0.value.behind, atRisk: $0.value.atRisk,
                              likelyMissed: $0.value.likelyMissed, assessed: $0.value.assessed) }
            .sorted { (-($0.behind + $0.likelyMissed), -$0.atRisk, $0.code) < (-($1.behind + $1.likelyMissed), -$1.atRisk, $1.code) }

        var changes: [StatusChange] = []
        for row in rows where row.unitCode != "*" {
            guard let before = previous?[TrendChart.key(target: row.targetID, unit: row.unitCode)], before != row.status
            else { continue }
            let met = [HeadlineStatus.met.rawValue, HeadlineStatus.metEarly.rawValue]
            if met.contains(row.status) && !met.contains(before) {
                changes.append(StatusChange(kind: .newlyMet, row: row, before: before))
            } else if let now = Self.rank(row.status), let then = Self.rank(before), now != then {
                changes.append(StatusChange(kind: now > then ? .improved : .worsened, row: row, before: before))
            }
        }
        self.changes = changes
    }

    /// No figure for the year judged, which has passed, and a forecast for it unlikely to meet the target (P < 0.2).
    static func isLikelyMissed(_ row: ScorecardRow) -> Bool {
        row.status == HeadlineStatus.noDataForDeadline.rawValue && row.basis == "forecast" && (row.probability ?? 1) < 0.2
    }

    /// Province codes are two digits; region, nation and ministry codes are letters.
    static func isProvince(_ code: String) -> Bool { code.count == 2 && code.allSatisfy(\.isNumber) }
}
