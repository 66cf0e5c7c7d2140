import Dispatch
import Foundation
import LinearAlgebra
import Reference

/// Monte Carlo simulation of indicators to their deadlines (README, Methods, Simulation).
///
/// Draw `d` of a series takes one standardised error `e = (√ρ c + √(1-ρ) z) · √(ν / χ²_ν)`, with `z`, `χ²_ν`
/// the series' own and `c` shared by the indicator's units in that draw: whatever `ρ`, `e` follows Student's t
/// with the model's `ν` degrees of freedom, so each year's value `inverse(center + spread · e)` has exactly the
/// forecast distribution. The same `e` holds for every year of the draw's path.
///
/// With the residual bootstrap, the same `√ρ c + √(1-ρ) z` is taken through the normal distribution function
/// to a share `u`, and `e` is the series' sorted standardised residuals read at that share (`bootstrapError`):
/// each residual holds an equal share, and units stay correlated through `c`.
///
/// Every random number comes from a generator seeded by (seed, indicator, unit, draw) alone, so the results are
/// the same whatever the thread count, the order of the series or the other indicators simulated, and two
/// scenarios share their draws (common random numbers): their difference is the interventions' effect only.
///
/// Parents are aggregated inside each draw from their leaves, numerators and denominators apart for a RATIO,
/// with one BLAS product (draws x leaves) x (leaves x parents) per year.
public enum Simulator {
    /// Simulates each indicator to `years` and summarises every unit's draws, answering `checks`.
    /// Results are in the order of `indicators`.
    public static func run(_ indicators: [IndicatorSimulation], years: [Int], checks: [String: [Check]],
                           settings: SimulationSettings) -> [[Outcome]] {
        var results = [[Outcome]](repeating: [], count: indicators.count)
        let lock = NSLock()
        let workers = min(settings.threads, max(1, indicators.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: indicators.count, by: workers) {
                let outcome = simulate(indicators[i], years: years, checks: checks[indicators[i].indicator] ?? [],
                                       settings: settings)
                lock.lock()
                results[i] = outcome
                lock.unlock()
            }
        }
        return results
    }

    /// The sorted residuals `r` read at the share `u`: the `m` residuals sit at the shares `(i + 0.5) / m`, and a
    /// share between two is read on the line between them (below the first or above the last, the first or the
    /// last). Each residual's share of the draws is still `1 / m`, spread from it halfway to its neighbours, and
    /// a threshold midway between two residuals is reached as often as when each draw was one of them. Symmetric
    /// residuals read at 0.5 give 0, so the median of the draws is the forecast: drawn as residuals alone, the
    /// median was one of the two smallest, either side by chance, and the UN survey rank forecast at 71st for
    /// 2030 had a bootstrap median of 79.6 (its smallest yearly change less their mean, 3.6 places).
    public static func bootstrapError(_ r: [Double], at u: Double) -> Double {
        let position = u * Double(r.count) - 0.5
        guard position > 0 else { return r[0] }
        guard position < Double(r.count - 1) else { return r[r.count - 1] }
        let i = Int(position)
        return r[i] + (position - Double(i)) * (r[i + 1] - r[i])
    }

    /// Simulates one indicator.
    public static func simulate(_ indicator: IndicatorSimulation, years: [Int], checks: [Check],
                                settings: SimulationSettings) -> [Outcome] {
        let n = settings.draws
        let all = indicator.series
        let indicatorKey = fnv1a(indicator.indicator)
        // Standardised errors, one column of draws per series; the common factor per draw.
        let common: [Double] = (0..<n).map { d in
            var generator = SplitMix64(seed: settings.seed, key: indicatorKey, unit: .max, draw: UInt64(d))
            return generator.normal()
        }
        let rho = min(max(settings.correlation, 0), 1)
        let shared = rho.squareRoot(), own = (1 - rho).squareRoot()
        var errors = [[Double]](repeating: [], count: all.count)
        for (s, series) in all.enumerated() {
            let nu = Double(series.degreesOfFreedom), residuals = series.standardisedResiduals
            let unit = UInt64(bitPattern: Int64(series.unitID))
            guard nu > 0, settings.uncertainty == .model || !residuals.isEmpty else {
                errors[s] = [Double](repeating: 0, count: n)
                continue
            }
            switch settings.uncertainty {
            case .model:
                errors[s] = (0..<n).map { d in
                    var generator = SplitMix64(seed: settings.seed, key: indicatorKey, unit: unit, draw: UInt64(d))
                    let z = generator.normal()
                    let chiSquare = 2 * generator.gamma(shape: nu / 2)
                    return (shared * common[d] + own * z) * (nu / chiSquare).squareRoot()
                }
            case .bootstrap:
                errors[s] = (0..<n).map { d in
                    var generator = SplitMix64(seed: settings.seed, key: indicatorKey, unit: unit, draw: UInt64(d))
                    let u = 0.5 * erfc(-(shared * common[d] + own * generator.normal()) / 2.0.squareRoot())
                    return bootstrapError(residuals, at: u)
                }
            }
        }
        var outcomes: [Outcome] = []
        let leafCount = indicator.leaves.count
        let byYear = Dictionary(grouping: checks, by: \.year)
        // The aggregation, the same every year: leaves x parents memberships, each leaf's weight (its numerator's
        // share for a RATIO) and each parent's divisor.
        var membership = Matrix(rows: leafCount, columns: indicator.parents.count)
        for (p, parent) in indicator.parents.enumerated() { for leaf in parent.members { membership[leaf, p] = 1 } }
        let factors: [Double] = indicator.leaves.map { leaf in
            switch indicator.aggregation {
            case .ratio: return (leaf.weight ?? 0) / indicator.ratioScale
            case .weightedMean: return leaf.weight ?? 0
            default: return 1
            }
        }
        let divisors: [Double] = indicator.parents.map { parent in
            switch indicator.aggregation {
            case .ratio, .weightedMean: return parent.members.reduce(0) { $0 + factors[$1] }
            case .mean: return Double(parent.members.count)
            default: return 1
            }
        }
        var buffer = [Double](repeating: 0, count: n)
        for year in years {
            let yearChecks = byYear[year] ?? []
            // Values of every series in every draw: draws x series, column-major.
            var values = Matrix(rows: n, columns: all.count)
            for (s, series) in all.enumerated() {
                let column = errors[s]
                values.storage.withUnsafeMutableBufferPointer { out in
                    if !series.interventions.isEmpty {
                        for d in 0..<n { out[s * n + d] = series.value(in: year, error: column[d]) }
                    } else if let known = series.observed[year] {
                        for d in 0..<n { out[s * n + d] = known }
                    } else {
                        // The common case, without the general path's lookups.
                        let i = min(max(year - series.firstYear, 0), series.centers.count - 1)
                        let center = series.centers[i], spread = series.spreads[i], model = series.model
                        let low = series.range.lowerBound, high = series.range.upperBound
                        for d in 0..<n { out[s * n + d] = min(max(model.inverse(center + spread * column[d]), low), high) }
                    }
                }
            }
            for (s, series) in all.enumerated() {
                for d in 0..<n { buffer[d] = values.storage[s * n + d] }
                outcomes.append(summarise(&buffer, unitID: series.unitID, year: year, checks: yearChecks, aggregated: false))
            }
            guard !indicator.parents.isEmpty, leafCount > 0 else { continue }
            // Weighted leaf values (numerators for a RATIO), then one product for every parent.
            var weighted = Matrix(rows: n, columns: leafCount)
            for s in 0..<leafCount {
                for d in 0..<n { weighted.storage[s * n + d] = factors[s] * values.storage[s * n + d] }
            }
            let sums = weighted * membership
            for (p, parent) in indicator.parents.enumerated() {
                for d in 0..<n { buffer[d] = sums.storage[p * n + d] / divisors[p] }
                outcomes.append(summarise(&buffer, unitID: parent.unitID, year: year, checks: yearChecks, aggregated: true))
            }
        }
        return outcomes
    }

    /// Median, 80% and 95% bands (linear interpolation between order statistics, as numpy's default) and the
    /// share of draws meeting each check. Reorders `draws`.
    static func summarise(_ draws: inout [Double], unitID: Int, year: Int, checks: [Check], aggregated: Bool) -> Outcome {
        var probabilities: [Check: Double] = [:]
        for check in checks {
            let met = draws.reduce(0) { $0 + ((check.atLeast ? $1 >= check.threshold : $1 <= check.threshold) ? 1 : 0) }
            probabilities[check] = Double(met) / Double(draws.count)
        }
        let q = quantiles(&draws, [0.025, 0.1, 0.5, 0.9, 0.975])
        return Outcome(unitID: unitID, year: year, median: q[2], lower80: q[1], upper80: q[3], lower95: q[0],
                       upper95: q[4], probabilities: probabilities, aggregated: aggregated)
    }

    /// Quantiles at increasing `levels`, interpolated linearly between order statistics (numpy's default).
    public static func quantiles(of values: [Double], at levels: [Double]) -> [Double] {
        var copy = values
        return quantiles(&copy, levels)
    }

    /// Quantiles at increasing `levels` by selection (no full sort). Reorders `values`.
    static func quantiles(_ values: inout [Double], _ levels: [Double]) -> [Double] {
        let n = values.count
        guard n > 0 else { return levels.map { _ in .nan } }
        var low = 0
        return values.withUnsafeMutableBufferPointer { a in
            levels.map { level in
                let h = level * Double(n - 1)
                let k = Int(h.rounded(.down))
                select(a, k, from: low, to: n)
                low = k
                let next = k + 1 < n ? a[(k + 1)..<n].min() ?? a[k] : a[k]
                return a[k] + (h - Double(k)) * (next - a[k])
            }
        }
    }

    /// Puts the k-th smallest of `a[from..<to]` at `k`, smaller or equal ones before it, larger or equal after.
    static func select(_ a: UnsafeMutableBufferPointer<Double>, _ k: Int, from: Int, to: Int) {
        var lo = from, hi = to - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            // Median of three as the pivot.
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }

    /// The answer to the inverse question for one check of one unit.
    public struct Gain: Sendable, Equatable {
        /// The smallest extra yearly change, in the indicator's units, towards the target (a decrease for a
        /// lower-is-better target); `nil` when even `upperBound` does not reach the level.
        public let gain: Double?
        /// The probability with no extra gain, and with the gain found.
        public let probabilityWithout: Double
        public let probabilityWith: Double?
    }

    /// The smallest extra yearly gain, from `from` on, in the series `selected` accepts, that lifts the
    /// probability of `unitID` meeting `check` to `level`: bisection on the simulated probability, which the
    /// common random numbers make non-decreasing in the gain. The gain comes before the series' other
    /// interventions, so their floors and ceilings still hold. The answer is within `tolerance` above the
    /// smallest gain that reaches the level.
    public static func smallestGain(_ indicator: IndicatorSimulation, selected: (SimulatedSeries) -> Bool, from: Int,
                                    unitID: Int, check: Check, level: Double, tolerance: Double, upperBound: Double,
                                    settings: SimulationSettings) -> Gain {
        func probability(_ gain: Double) -> Double {
            var changed = indicator
            if gain != 0 {
                changed.apply(ScheduledIntervention(.addPerYear(check.atLeast ? gain : -gain), from: from), first: true,
                              where: selected)
            }
            let outcomes = simulate(changed, years: [check.year], checks: [check], settings: settings)
            return outcomes.first { $0.unitID == unitID }?.probabilities[check] ?? 0
        }
        let without = probability(0)
        if without >= level { return Gain(gain: 0, probabilityWithout: without, probabilityWith: without) }
        var low = 0.0, high = min(1, upperBound), atHigh = probability(high)
        while atHigh < level {
            guard high < upperBound else { return Gain(gain: nil, probabilityWithout: without, probabilityWith: nil) }
            low = high
            high = min(high * 2, upperBound)
            atHigh = probability(high)
        }
        while high - low > tolerance {
            let middle = (low + high) / 2
            let p = probability(middle)
            if p >= level { high = middle; atHigh = p } else { low = middle }
        }
        return Gain(gain: high, probabilityWithout: without, probabilityWith: atHigh)
    }

    /// 64-bit FNV-1a of a string: a stable key for an indicator.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}
