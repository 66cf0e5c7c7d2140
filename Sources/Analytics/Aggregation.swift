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

/// The aggregation methods of METHODS.md section 1, applied with one matrix product per kind of quantity.
///
/// - SUM adds members; RATIO adds numerators and denominators separately, then divides (never a mean of
///   ratios). Both need every member present: a parent with a missing member gets no value rather than an
///   undercount.
/// - MEAN is the unweighted mean of the members present; WEIGHTED_MEAN weights each by the weight indicator
///   of the same period (members without a weight do not count). Through a crosswalk, members count by
///   their shares.
/// - RANK does not aggregate: a rank belongs to the unit ranked.
public enum Aggregator {
    /// Aggregates `panel` (whose rows must include `membership.children`; other rows are ignored) to the
    /// membership's parents.
    public static func aggregate(_ panel: Panel, by membership: Membership,
                                 rules: [String: AggregationRule], isCrosswalk: Bool) -> Panel {
        let rowOf = Dictionary(uniqueKeysWithValues: panel.units.enumerated().map { ($1, $0) })
        let childRows = membership.children.map { rowOf[$0] }
        let m = membership.children.count, k = panel.columns.count
        // Child-ordered inputs: values with missing as 0, presence as 1/0, for each quantity.
        func gather(_ source: Matrix, transform: (Double, Int, Int) -> Double = { v, _, _ in v }) -> (Matrix, Matrix) {
            var filled = Matrix(rows: m, columns: k), present = Matrix(rows: m, columns: k)
            for (i, row) in childRows.enumerated() {
                guard let row else { continue }
                for j in 0..<k {
                    let v = transform(source[row, j], row, j)
                    if !v.isNaN { filled[i, j] = v; present[i, j] = 1 }
                }
            }
            return (filled, present)
        }
        let weightColumn: [Int?] = panel.columns.map { column in
            guard let indicator = rules[column.indicator]?.weightIndicator else { return nil }
            return panel.columns.firstIndex(of: Panel.Column(indicator: indicator, period: column.period))
        }
        let (values, valuePresent) = gather(panel.values)
        let (weighted, weightedPresent) = gather(panel.values) { v, row, j in
            guard let w = weightColumn[j] else { return .nan }
            let weight = panel.values[row, w]
            return weight.isNaN || v.isNaN ? .nan : v * weight
        }
        let (weights, _) = gather(panel.values) { v, row, j in
            guard let w = weightColumn[j], !v.isNaN else { return .nan }
            return panel.values[row, w]
        }
        let (numerators, numeratorPresent) = gather(panel.numerators)
        let (denominators, denominatorPresent) = gather(panel.denominators)
        var flags = Matrix(rows: m, columns: k)
        for (i, row) in childRows.enumerated() {
            guard let row else { continue }
            for j in 0..<k { flags[i, j] = panel.convertedThroughCrosswalk[row, j] }
        }

        let shares = membership.matrix
        var binary = shares
        for index in binary.storage.indices { binary.storage[index] = binary.storage[index] > 0 ? 1 : 0 }
        let memberCount = binary.multiplied(by: Matrix(rows: m, columns: 1, repeating: 1))
        let sum = shares * values, present = binary * valuePresent
        let sharePresent = shares * valuePresent
        let weightedSum = shares * weighted, weightSum = shares * weights, weightPresent = binary * weightedPresent
        let numeratorSum = shares * numerators, denominatorSum = shares * denominators
        let numeratorCount = binary * numeratorPresent, denominatorCount = binary * denominatorPresent
        let flagged = binary * flags

        var result = Panel(units: membership.parents, columns: panel.columns)
        for j in 0..<k {
            guard let rule = rules[panel.columns[j].indicator] else { continue }
            for i in 0..<membership.parents.count {
                let members = memberCount[i, 0]
                var value = Double.nan
                switch rule.aggregation {
                case .sum:
                    if present[i, j] == members { value = sum[i, j] }
                case .ratio:
                    if numeratorCount[i, j] == members && denominatorCount[i, j] == members && denominatorSum[i, j] > 0 {
                        value = rule.ratioScale * numeratorSum[i, j] / denominatorSum[i, j]
                        result.numerators[i, j] = numeratorSum[i, j]
                        result.denominators[i, j] = denominatorSum[i, j]
                    }
                case .mean:
                    if present[i, j] > 0 && sharePresent[i, j] > 0 { value = sum[i, j] / sharePresent[i, j] }
                case .weightedMean:
                    if weightPresent[i, j] > 0 && weightSum[i, j] > 0 { value = weightedSum[i, j] / weightSum[i, j] }
                case .rank:
                    break
                }
                if !value.isNaN {
                    result.values[i, j] = value
                    result.convertedThroughCrosswalk[i, j] = isCrosswalk || flagged[i, j] > 0 ? 1 : 0
                }
            }
        }
        return result
    }
}
