/// Suppression of small counts, so that no output singles out a person or an enterprise.
///
/// A count below the threshold (but above zero) is suppressed, and so is a ratio whose denominator is below it.
/// Where a group of siblings (the units under one parent, for one indicator and period) has exactly one
/// suppressed cell, that cell could be recovered by subtracting the others from their published total, so the
/// next smallest sibling is suppressed too.
public enum DisclosureControl {
    public static let defaultThreshold = 10.0

    /// One published figure: a count (`value`), or a ratio with its `denominator`, among the siblings of `group`.
    public struct Cell: Sendable {
        public let group: String
        public let value: Double?
        public let denominator: Double?

        public init(group: String, value: Double?, denominator: Double?) {
            self.group = group
            self.value = value
            self.denominator = denominator
        }

        /// The number of people or enterprises behind the figure.
        var size: Double? { denominator ?? value }
    }

    /// The indices of `cells` to suppress.
    public static func suppressed(_ cells: [Cell], threshold: Double = defaultThreshold) -> Set<Int> {
        var result: Set<Int> = []
        for (index, cell) in cells.enumerated() {
            if let size = cell.size, size > 0, size < threshold { result.insert(index) }
        }
        for members in Dictionary(grouping: cells.indices, by: { cells[$0].group }).values where members.count > 1 {
            guard members.filter(result.contains).count == 1 else { continue }
            let next = members.filter { !result.contains($0) && (cells[$0].size ?? 0) > 0 }
                .min { (cells[$0].size ?? 0, $0) < (cells[$1].size ?? 0, $1) }
            if let next { result.insert(next) }
        }
        return result
    }

    /// How a suppressed figure is shown.
    public static func label(threshold: Double = defaultThreshold) -> String {
        "<" + DisplayNumber.compact(threshold)
    }
}
