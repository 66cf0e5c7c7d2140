import Reference
import Foundation
import LinearAlgebra

/// Values of many indicators and periods for a set of units: one row per unit, one column per
/// (indicator, period). Missing entries are NaN inside (never stored).
public struct Panel: Sendable {
    public struct Column: Hashable, Sendable {
        public let indicator: String
        public let period: String
        public init(indicator: String, period: String) {
            self.indicator = indicator
            self.period = period
        }
    }

    public let units: [Int]
    public let columns: [Column]
    /// Values, units x columns; NaN where missing.
    public var values: Matrix
    /// Numerators and denominators of ratio indicators; NaN where missing.
    public var numerators: Matrix
    public var denominators: Matrix
    /// 1 where the value was converted through a crosswalk (directly or from members that were), else 0.
    public var convertedThroughCrosswalk: Matrix

    public init(units: [Int], columns: [Column]) {
        self.units = units
        self.columns = columns
        values = Matrix(rows: units.count, columns: columns.count, repeating: .nan)
        numerators = values
        denominators = values
        convertedThroughCrosswalk = Matrix(rows: units.count, columns: columns.count)
    }
}

/// How each indicator combines, the scale of its ratios (100 for a percentage) and its weight indicator.
public struct AggregationRule: Sendable {
    public let aggregation: Aggregation
    /// value = scale x numerator / denominator for RATIO.
    public let ratioScale: Double
    /// The indicator whose values weight a WEIGHTED_MEAN (usually POPULATION).
    public let weightIndicator: String?

    public init(aggregation: Aggregation, ratioScale: Double = 1, weightIndicator: String? = nil) {
        self.aggregation = aggregation
        self.ratioScale = ratioScale
        self.weightIndicator = weightIndicator
    }
}

/// The aggregation methods of METHODS.md section 1: every quantity the rules need, for every column, summed
/// over the membership's links in one pass (`Membership.apply`), so a level costs its members, not parents x
/// children.
///
/// - SUM adds members; RATIO adds numerators and denominators separately, then divides (never a mean of
///   ratios). Both need every member present: a parent with a missing member gets no value rather than an
///   undercount. A ratio of 0 of 0 has no value but keeps its sums, so it counts as present one level up.
/// - MEAN is the unweighted mean of the members present; WEIGHTED_MEAN weights each by the weight indicator
///   of the same period (members without a weight do not count). Through a crosswalk, members count by
///   their shares.
/// - RANK does not aggregate: a rank belongs to the unit ranked.
public enum Aggregator {
    /// Aggregates `panel` (whose rows must include `membership.children`; other rows are ignored) to the
    /// membership's parents.
    ///
    /// Every quantity the rules need is one block of columns of a single right-hand side, so a roll-up is one
    /// pass over the links (two through a crosswalk, whose shares and member counts differ).
    public static func aggregate(_ panel: Panel, by membership: Membership,
                                 rules: [String: AggregationRule], isCrosswalk: Bool) -> Panel {
        let rowOf = Dictionary(uniqueKeysWithValues: panel.units.enumerated().map { ($1, $0) })
        let childRows = membership.children.map { rowOf[$0] ?? -1 }
        let m = membership.children.count, rows = panel.units.count
        let kinds = panel.columns.map { rules[$0.indicator]?.aggregation }
        let weightColumn: [Int?] = panel.columns.map { column in
            guard let indicator = rules[column.indicator]?.weightIndicator else { return nil }
            return panel.columns.firstIndex(of: Panel.Column(indicator: indicator, period: column.period))
        }
        let anyFlag = panel.convertedThroughCrosswalk.storage.contains { $0 != 0 }

        // Right-hand-side blocks: (source column, what to put in it).
        enum Quantity { case value, numerator, denominator, present, ratioPresent, weighted, weight, weightedPresent, flag }
        // A column whose members are all present needs no count: its count is the member count. Real panels
        // are mostly complete, so this often halves the product.
        func complete(_ j: Int, _ kind: Aggregation) -> Bool {
            let column = j * rows
            switch kind {
            case .ratio:
                return childRows.allSatisfy { $0 >= 0 && !panel.numerators.storage[column + $0].isNaN
                    && !panel.denominators.storage[column + $0].isNaN }
            case .sum:
                return childRows.allSatisfy { $0 >= 0 && !panel.values.storage[column + $0].isNaN }
            default:
                return false
            }
        }
        var shareBlocks: [(Int, Quantity)] = [], countBlocks: [(Int, Quantity)] = []
        var shareBlock: [Int: Int] = [:], countBlock: [Int: Int] = [:], flagBlock: [Int: Int] = [:]
        for (j, kind) in kinds.enumerated() {
            guard let kind, kind != .rank else { continue }
            shareBlock[j] = shareBlocks.count
            switch kind {
            case .sum: shareBlocks.append((j, .value))
            case .ratio: shareBlocks += [(j, .numerator), (j, .denominator)]
            case .mean: shareBlocks += [(j, .value), (j, .present)]
            case .weightedMean: shareBlocks += [(j, .weighted), (j, .weight)]
            case .rank: continue
            }
            if !complete(j, kind) {
                countBlock[j] = countBlocks.count
                countBlocks.append((j, kind == .ratio ? .ratioPresent : kind == .weightedMean ? .weightedPresent : .present))
            }
            if anyFlag {
                flagBlock[j] = countBlocks.count
                countBlocks.append((j, .flag))
            }
        }
        // Each block's quantity for every child, gathered into one reused column, then summed into the parents.
        func sums(_ blocks: [(Int, Quantity)], wholeShares: Bool) -> Matrix {
            var result = Matrix(rows: membership.parents.count, columns: blocks.count)
            var gathered = [Double](repeating: 0, count: m)
            panel.values.storage.withUnsafeBufferPointer { values in
            panel.numerators.storage.withUnsafeBufferPointer { numerators in
            panel.denominators.storage.withUnsafeBufferPointer { denominators in
            panel.convertedThroughCrosswalk.storage.withUnsafeBufferPointer { flags in
                for (b, (j, quantity)) in blocks.enumerated() {
                    let column = j * rows
                    gathered.withUnsafeMutableBufferPointer { out in
                        func gather(_ x: (Int) -> Double) {
                            for i in 0..<m {
                                let row = childRows[i]
                                out[i] = row >= 0 ? x(column + row) : 0
                            }
                        }
                        let weights = weightColumn[j].map { $0 * rows } ?? -1
                        func weight(_ at: Int) -> Double { weights >= 0 ? values[weights + at - column] : .nan }
                        switch quantity {
                        case .value: gather { let v = values[$0]; return v.isNaN ? 0 : v }
                        case .present: gather { values[$0].isNaN ? 0 : 1 }
                        case .numerator: gather { let n = numerators[$0]; return n.isNaN ? 0 : n }
                        case .denominator: gather { let d = denominators[$0]; return d.isNaN ? 0 : d }
                        case .ratioPresent: gather { numerators[$0].isNaN || denominators[$0].isNaN ? 0 : 1 }
                        case .weighted: gather { let v = values[$0] * weight($0); return v.isNaN ? 0 : v }
                        case .weight: gather { values[$0].isNaN || weight($0).isNaN ? 0 : weight($0) }
                        case .weightedPresent: gather { values[$0].isNaN || weight($0).isNaN ? 0 : 1 }
                        case .flag: gather { flags[$0] }
                        }
                    }
                    membership.add(gathered, to: &result, column: b, wholeShares: wholeShares)
                }
            }
            }
            }
            }
            return result
        }
        let shareSums: Matrix, counts: Matrix
        if membership.isWhole {
            let both = sums(shareBlocks + countBlocks, wholeShares: true)
            shareSums = both
            counts = both
        } else {
            shareSums = sums(shareBlocks, wholeShares: false)
            counts = sums(countBlocks, wholeShares: true)
        }
        let countOffset = membership.isWhole ? shareBlocks.count : 0
        let memberCount = membership.memberCounts

        var result = Panel(units: membership.parents, columns: panel.columns)
        for (j, kind) in kinds.enumerated() {
            guard let kind, kind != .rank, let s = shareBlock[j], let rule = rules[panel.columns[j].indicator] else {
                continue
            }
            let c = countBlock[j].map { $0 + countOffset }, f = flagBlock[j].map { $0 + countOffset }
            for i in 0..<membership.parents.count {
                let members = memberCount[i], present = c.map { counts[i, $0] } ?? members
                var value = Double.nan
                switch kind {
                case .sum:
                    if present == members { value = shareSums[i, s] }
                case .ratio:
                    let numerator = shareSums[i, s], denominator = shareSums[i, s + 1]
                    // 0 of 0 (nobody counted in any member) has no value, but its sums are kept: the parent is
                    // present, not missing, for the level above.
                    if present == members {
                        result.numerators[i, j] = numerator
                        result.denominators[i, j] = denominator
                        if denominator > 0 { value = rule.ratioScale * numerator / denominator }
                    }
                case .mean, .weightedMean:
                    if present > 0 && shareSums[i, s + 1] > 0 { value = shareSums[i, s] / shareSums[i, s + 1] }
                case .rank:
                    break
                }
                if !value.isNaN || !result.denominators[i, j].isNaN {
                    result.values[i, j] = value
                    result.convertedThroughCrosswalk[i, j] = isCrosswalk || (f.map { counts[i, $0] > 0 } ?? false) ? 1 : 0
                }
            }
        }
        return result
    }
}
