import Reference

/// Suppression of small counts, so that no output singles out a person or an enterprise.
///
/// A figure is suppressed when it shows, or lets one compute, a group of 1 to threshold - 1 people or
/// enterprises (`isSmall`): a count that small, a ratio of fewer, or a ratio whose numerator or complement
/// (denominator - numerator) is that small - a share of 5 of 509 shows neither 5 nor 504, since its value
/// times its denominator gives both. Where a group of cells that add up (a unit and the units under it, for
/// one indicator and period) has exactly one suppressed cell, that cell could be recovered from the others -
/// a child by subtracting its siblings from their total, a total by adding up its parts - so the next
/// smallest cell of the group is suppressed too. A cell can be in several groups (a province is a part of its
/// region and the total of its districts).
public enum DisclosureControl {
    public static let defaultThreshold = RegistryIndicators.smallestGroup

    /// One published figure: a count (`value`), or a ratio of `numerator` to `denominator`, in the groups of
    /// cells that add up it belongs to; `shows` numbers the counts it shows, for the audit (two figures showing
    /// one count, a population and the denominator of a share of it, name the same number).
    public struct Cell: Sendable {
        public let groups: [String]
        public let shows: [Int]
        public let value: Double?
        public let numerator: Double?
        public let denominator: Double?

        public init(groups: [String], shows: [Int] = [], value: Double?, numerator: Double?, denominator: Double?) {
            self.groups = groups
            self.shows = shows
            self.value = value
            self.numerator = numerator
            self.denominator = denominator
        }

        /// The number of people or enterprises behind the figure.
        var size: Double? { denominator ?? value }
    }

    /// Whether a figure shows, or lets one compute, between 1 and `threshold` - 1 people or enterprises: a
    /// count (no denominator) that small; a ratio over that few; a ratio whose numerator or complement is that
    /// small. Zero is no one, and is shown.
    public static func isSmall(value: Double?, numerator: Double?, denominator: Double?,
                               threshold: Double = defaultThreshold) -> Bool {
        func few(_ count: Double?) -> Bool { count.map { $0 > 0 && $0 < threshold } ?? false }
        guard let denominator else { return few(value) }
        guard let numerator else { return few(denominator) }
        return few(denominator) || few(numerator) || few(denominator - numerator)
    }

    /// The indices of `cells` to suppress: the small ones, then more until no group has exactly one (a cell
    /// suppressed for one group can leave another with one). The cells of one of `linked` are one figure (a
    /// unit under both versions): suppressed together. Then, with `relations` between the counts the cells show
    /// (`counts`: their values), more until the audit recovers none of the counts suppressed (`audit`).
    public static func suppressed(_ cells: [Cell], threshold: Double = defaultThreshold, linked: [[Int]] = [],
                                  counts: [Double] = [], relations: [Relation] = []) -> Set<Int> {
        var hidden = [Bool](repeating: false, count: cells.count)
        for (index, cell) in cells.enumerated()
        where isSmall(value: cell.value, numerator: cell.numerator, denominator: cell.denominator, threshold: threshold) {
            hidden[index] = true
        }
        // Groups by number, in their names' order, so that the same figures give the same cells in any process.
        var number: [String: Int] = [:]
        for cell in cells { for group in cell.groups where number[group] == nil { number[group] = number.count } }
        let order = number.keys.sorted().map { number[$0]! }
        var members = [[Int]](repeating: [], count: number.count)
        for (index, cell) in cells.enumerated() { for group in cell.groups { members[number[group]!].append(index) } }
        var changed = true
        while changed {
            changed = false
            for group in order where members[group].count > 1 {
                guard members[group].lazy.filter({ hidden[$0] }).count == 1 else { continue }
                let next = members[group].filter { !hidden[$0] && (cells[$0].size ?? 0) > 0 }
                    .min { (cells[$0].size ?? 0, $0) < (cells[$1].size ?? 0, $1) }
                if let next { hidden[next] = true; changed = true }
            }
            for figure in linked where figure.contains(where: { hidden[$0] }) && !figure.allSatisfy({ hidden[$0] }) {
                for index in figure { hidden[index] = true }
                changed = true
            }
        }
        if !relations.isEmpty { audit(&hidden, cells: cells, counts: counts, relations: relations, linked: linked) }
        return Set(hidden.indices.filter { hidden[$0] })
    }

    /// How a suppressed figure is shown.
    public static func label(threshold: Double = defaultThreshold) -> String {
        "<" + DisplayNumber.compact(threshold)
    }
}
