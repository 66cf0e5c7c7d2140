import Foundation
import LinearAlgebra

/// A forecast of one series to one year, with its distribution on the model's scale.
public struct Forecast: Sendable, Equatable {
    public let indicator: String
    public let unitID: Int
    public let year: Int
    public let model: TrendModel
    /// The point forecast on the original scale.
    public let value: Double
    /// Prediction intervals on the original scale, `nil` when the fit leaves no degrees of freedom.
    public let interval80: ClosedRange<Double>?
    public let interval95: ClosedRange<Double>?
    /// The point forecast on the model's scale, and its standard error there (0 when unknown).
    public let center: Double
    public let spread: Double
    /// Degrees of freedom of the t distribution of the forecast (0 when unknown).
    public let degreesOfFreedom: Int
    /// The observed pace: the fitted change per year at the latest observed year, on the original scale.
    public let slope: Double
    /// Mean absolute error of the model in the rolling-origin backtest, `nil` with fewer than 4 points.
    public let backtestError: Double?
    public let pointCount: Int
    /// The fit's residuals on the model's scale (for `naive`, the yearly changes), for a residual bootstrap.
    public let residuals: [Double]

    /// The probability that the value in `year` is on the right side of `threshold` (at least it when
    /// `atLeast`, else at most). `nil` when the forecast has no distribution.
    public func probability(ofReaching threshold: Double, atLeast: Bool) -> Double? {
        model.probability(center: center, spread: spread, degreesOfFreedom: degreesOfFreedom,
                          ofReaching: threshold, atLeast: atLeast)
    }
}

extension TrendModel {
    /// The probability that a forecast distributed as `center + spread · t(df)` on this model's scale lands
    /// on the right side of `threshold` (a monotone transform keeps the side). `nil` without a distribution.
    public func probability(center: Double, spread: Double, degreesOfFreedom: Int, ofReaching threshold: Double,
                            atLeast: Bool) -> Double? {
        guard degreesOfFreedom > 0, spread > 0 else { return nil }
        if self == .loglinear && threshold <= 0 { return atLeast ? 1 : 0 }
        let below = StudentT.cdf((transform(threshold) - center) / spread, degreesOfFreedom: Double(degreesOfFreedom))
        return atLeast ? 1 - below : below
    }
}

/// Fits every model to many series at once and forecasts with the model chosen per series.
///
/// Series observed in the same years share a design matrix `X`, so each model of each such group is one
/// least-squares solve for all its series: `X⁺` from one LAPACK call, applied to every series by one BLAS
/// product (and, in the backtest, one matrix-vector product per origin). Model choice
/// (METHODS.md section 2): with 4 or more points, the smallest mean absolute error in a rolling-origin
/// backtest (fit on the first k points, predict the next, for every k from 3), ties going to the simpler
/// model (naive, linear, loglinear, logit); with 2-3 points `linear`; with 1 `naive`.
///
/// Intervals are OLS prediction intervals on the model's scale, `ẑ ± t(n-2) s √(1 + 1/n + (T - t̄)²/Sxx)`,
/// mapped back through the model's inverse; for `naive`, a random walk: `y ± t(n-1) s √h` with `s` the root
/// mean square of the changes between observations and `h` the steps ahead, counted in the series' own steps
/// (surveys for a survey series, METHODS.md 3.5; years for a yearly one).
public enum Forecaster {
    /// Forecasts `series` to every year of `horizon`. `bounded` tells which indicators are percentages.
    /// With `models`, only those models compete (the first applicable one is used for short series).
    public static func forecast(_ series: [Series], to horizon: [Int], bounded: (String) -> Bool,
                                models: [TrendModel] = TrendModel.allCases.sorted(by: simpler)) throws -> [Forecast] {
        var result: [Forecast] = []
        result.reserveCapacity(series.count * horizon.count)
        // Series observed in the same years, in the order met; consecutive series usually share them, so the
        // years are hashed only when they change.
        var groupOf: [[Int]: Int] = [:]
        var groups: [(years: [Int], indices: [Int])] = []
        var current = -1
        for (index, item) in series.enumerated() where !item.years.isEmpty {
            if current < 0 || groups[current].years != item.years {
                if let known = groupOf[item.years] {
                    current = known
                } else {
                    current = groups.count
                    groupOf[item.years] = current
                    groups.append((item.years, []))
                }
            }
            groups[current].indices.append(index)
        }
        let fitOrder = models.indices.sorted { simpler(models[$0], models[$1]) }
        for (years, indices) in groups.sorted(by: { $0.years.lexicographicallyPrecedes($1.years) }) {
            let n = years.count
            // The values, one column per series, read by the backtest.
            var values = Matrix(rows: n, columns: indices.count)
            for (j, i) in indices.enumerated() { values.storage.replaceSubrange(j * n..<(j + 1) * n, with: series[i].values) }
            let isBounded = indices.map { bounded(series[$0].indicator) }
            let usable = models.map { model in
                indices.indices.filter { model.applies(to: series[indices[$0]].values, bounded: isBounded[$0]) }
            }
            let errors = n >= 4 ? try backtest(values, years: years, models: models, usable: usable)
                : [[Double]?](repeating: nil, count: models.count)
            // Choose a model per series, then fit each model once for the series that chose it.
            var applies = [[Bool]](repeating: [Bool](repeating: false, count: indices.count), count: models.count)
            for m in models.indices { for i in usable[m] { applies[m][i] = true } }
            // A series none of `models` can describe is carried forward (naive), before the others.
            var chosen = [[Int]](repeating: [], count: models.count), carried: [Int] = []
            for i in indices.indices {
                if let m = choose(pointCount: n, models: models, applies: { applies[$0][i] },
                                  errors: { errors[$0]?[i] ?? .infinity }) {
                    chosen[m].append(i)
                } else {
                    carried.append(i)
                }
            }
            let buckets: [(model: TrendModel, picked: [Int], errors: [Double]?)] = [(.naive, carried, nil)]
                + fitOrder.map { (models[$0], chosen[$0], errors[$0]) }
            for (model, picked, errors) in buckets where !picked.isEmpty {
                try fit(model, series, picked.map { indices[$0] }, years: years) { offset, fitted in
                    let mae = errors.map { $0[picked[offset]] }
                    for year in horizon { result.append(fitted.forecast(to: year, backtestError: mae)) }
                }
            }
        }
        return result
    }

    /// Simpler first: the order in which ties are broken.
    public static func simpler(_ a: TrendModel, _ b: TrendModel) -> Bool {
        let order: [TrendModel] = [.naive, .linear, .loglinear, .logit]
        return (order.firstIndex(of: a) ?? 0) < (order.firstIndex(of: b) ?? 0)
    }

    /// The model for one series, as its index in `models`: `naive` for 1 point, `linear` for 2-3, else the
    /// smallest backtest error, ties to the simpler model; `nil` when none of `models` can describe the
    /// series. `applies(m)` tells whether `models[m]` can, `errors(m)` is its backtest error.
    static func choose(pointCount: Int, models: [TrendModel], applies: (Int) -> Bool, errors: (Int) -> Double) -> Int? {
        func usable(_ model: TrendModel) -> Int? { models.indices.first { models[$0] == model && applies($0) } }
        if pointCount == 1 { return usable(.naive) ?? models.indices.first(where: applies) }
        if pointCount < 4 { return usable(.linear) ?? models.indices.first(where: applies) }
        var best: Int?, bestError = Double.infinity
        for m in models.indices where applies(m) {
            let error = errors(m)
            if best == nil || error < bestError || (error == bestError && rank(models[m]) < rank(models[best ?? m])) {
                best = m
                bestError = error
            }
        }
        return best
    }

    private static func rank(_ model: TrendModel) -> Int {
        [TrendModel.naive, .linear, .loglinear, .logit].firstIndex(of: model) ?? 0
    }

    /// Mean absolute errors of each model in the rolling-origin backtest: for each origin k from 3, the
    /// first k points of every usable series are one least-squares solve, and the next point is predicted.
    /// `values` holds one series per column. Indexed by model (`nil` where no series can use it), then by
    /// series (infinity where the model does not apply).
    static func backtest(_ values: Matrix, years: [Int], models: [TrendModel], usable: [[Int]]) throws -> [[Double]?] {
        var result = [[Double]?](repeating: nil, count: models.count)
        let n = years.count, origins = 3..<n
        for (m, model) in models.enumerated() {
            let indices = usable[m]
            guard !indices.isEmpty else { continue }
            var totals = [Double](repeating: 0, count: indices.count)
            if model == .naive {
                values.storage.withUnsafeBufferPointer { y in
                    for k in origins {
                        for (c, i) in indices.enumerated() { totals[c] += abs(y[k - 1 + i * n] - y[k + i * n]) }
                    }
                }
            } else {
                // Transformed values, one column per series (the values themselves when all use a linear model).
                var z = values
                if model != .linear || indices.count != values.columns {
                    z = Matrix(rows: n, columns: indices.count)
                    z.storage.withUnsafeMutableBufferPointer { z in
                        values.storage.withUnsafeBufferPointer { y in
                            for (c, i) in indices.enumerated() {
                                for r in 0..<n { z[r + c * n] = model.transform(y[r + i * n]) }
                            }
                        }
                    }
                }
                // Each origin's prediction is a fixed combination of the first k values: w = [1, dt] · X_k⁺,
                // so all series are predicted by one matrix-vector product.
                for k in origins {
                    let history = Array(years[0..<k])
                    let meanYear = Double(history.reduce(0, +)) / Double(k)
                    let inverse = try design(history, meanYear: meanYear).pseudoInverse()
                    let dt = Double(years[k]) - meanYear
                    let weights = (0..<k).map { inverse[0, $0] + dt * inverse[1, $0] }
                    let predictions = z.firstRows(k, transposedTimes: weights)
                    values.storage.withUnsafeBufferPointer { y in
                        for (c, i) in indices.enumerated() {
                            totals[c] += abs(model.inverse(predictions[c]) - y[k + i * n])
                        }
                    }
                }
            }
            var errors = [Double](repeating: .infinity, count: values.columns)
            for (c, i) in indices.enumerated() { errors[i] = totals[c] / Double(origins.count) }
            result[m] = errors
        }
        return result
    }

    /// One fitted model of one series.
    struct Fitted {
        let indicator: String, unitID: Int
        let model: TrendModel
        /// The last observed year and value, the years between the last two observations (1 with one), and
        /// the number of observations.
        let lastYear: Int, lastValue: Double, cadence: Int, pointCount: Int
        let intercept: Double, slope: Double, meanYear: Double, sxx: Double
        let sigma: Double, degreesOfFreedom: Int
        let residuals: [Double]
        /// t quantiles for the 80% and 95% intervals (shared by the group: computed once per fit).
        let t80: Double, t95: Double

        /// The steps of the random walk from the last observation to `year`: the series' own steps, so a survey
        /// every two years is one step from 2024 to 2026 (METHODS.md 3.5), and a yearly series one a year. The
        /// spread `sigma` is the root mean square of the changes between observations, one step each.
        func steps(to year: Int) -> Int {
            year > lastYear ? (year - lastYear + cadence - 1) / cadence : 0
        }

        func forecast(to year: Int, backtestError: Double?) -> Forecast {
            let n = Double(pointCount)
            let center: Double, spread: Double
            if model == .naive {
                center = lastValue
                spread = sigma * Double(steps(to: year)).squareRoot()
            } else {
                let dt = Double(year) - meanYear
                center = intercept + slope * dt
                spread = sigma * (1 + 1 / n + (sxx > 0 ? dt * dt / sxx : 0)).squareRoot()
            }
            func interval(_ t: Double) -> ClosedRange<Double>? {
                guard degreesOfFreedom > 0, spread > 0 else { return nil }
                return model.inverse(center - t * spread)...model.inverse(center + t * spread)
            }
            let last = Double(lastYear)
            let pace = model == .naive ? 0
                : model.inverse(intercept + slope * (last - meanYear)) - model.inverse(intercept + slope * (last - 1 - meanYear))
            return Forecast(indicator: indicator, unitID: unitID, year: year, model: model,
                            value: model.inverse(center), interval80: interval(t80), interval95: interval(t95),
                            center: center, spread: spread, degreesOfFreedom: degreesOfFreedom, slope: pace,
                            backtestError: backtestError, pointCount: pointCount, residuals: residuals)
        }
    }

    /// The design matrix `[1, t - t̄]` of a straight line; centring keeps it well conditioned.
    static func design(_ years: [Int], meanYear: Double) -> Matrix {
        var design = Matrix(rows: years.count, columns: 2)
        for (i, year) in years.enumerated() {
            design[i, 0] = 1
            design[i, 1] = Double(year) - meanYear
        }
        return design
    }

    /// Fits `model` to the series of `series` at `indices` (all observed in `years`) with one least-squares
    /// solve, and gives each fit to `body` with its offset in `indices`, as it is made.
    static func fit(_ model: TrendModel, _ series: [Series], _ indices: [Int], years: [Int],
                    _ body: (Int, Fitted) throws -> Void) throws {
        let n = years.count
        let meanYear = Double(years.reduce(0, +)) / Double(n)
        let sxx = years.reduce(0.0) { $0 + (Double($1) - meanYear) * (Double($1) - meanYear) }
        func quantiles(_ df: Int) -> (Double, Double) {
            df > 0 ? (StudentT.quantile(0.9, degreesOfFreedom: Double(df)), StudentT.quantile(0.975, degreesOfFreedom: Double(df)))
                : (0, 0)
        }
        let lastYear = years[n - 1], cadence = n >= 2 ? max(1, years[n - 1] - years[n - 2]) : 1
        if model == .naive || n == 1 {
            let (t80, t95) = quantiles(n - 1)
            for (offset, i) in indices.enumerated() {
                let item = series[i]
                let changes = zip(item.values.dropFirst(), item.values).map { $0 - $1 }
                let sigma = changes.isEmpty ? 0 : (changes.reduce(0) { $0 + $1 * $1 } / Double(changes.count)).squareRoot()
                try body(offset, Fitted(indicator: item.indicator, unitID: item.unitID, model: .naive,
                                        lastYear: lastYear, lastValue: item.values[n - 1], cadence: cadence, pointCount: n,
                                        intercept: item.values[n - 1], slope: 0, meanYear: meanYear, sxx: sxx,
                                        sigma: sigma, degreesOfFreedom: changes.count, residuals: changes,
                                        t80: t80, t95: t95))
            }
            return
        }
        let x = design(years, meanYear: meanYear)
        var z = Matrix(rows: n, columns: indices.count)
        z.storage.withUnsafeMutableBufferPointer { z in
            for (j, i) in indices.enumerated() {
                series[i].values.withUnsafeBufferPointer { y in
                    for r in 0..<n { z[r + j * n] = model.transform(y[r]) }
                }
            }
        }
        // Least squares for every series at once: X⁺ from one LAPACK solve, then one BLAS product.
        let coefficients = try x.pseudoInverse() * z
        let (t80, t95) = quantiles(n - 2)
        for (j, i) in indices.enumerated() {
            let intercept = coefficients[0, j], slope = coefficients[1, j]
            var rss = 0.0
            let residuals = [Double](unsafeUninitializedCapacity: n) { buffer, count in
                for r in 0..<n {
                    let residual = z.storage[r + j * n] - (intercept + slope * x[r, 1])
                    buffer[r] = residual
                    rss += residual * residual
                }
                count = n
            }
            let sigma = n > 2 ? (rss / Double(n - 2)).squareRoot() : 0
            try body(j, Fitted(indicator: series[i].indicator, unitID: series[i].unitID, model: model,
                               lastYear: lastYear, lastValue: series[i].values[n - 1], cadence: cadence, pointCount: n,
                               intercept: intercept, slope: slope, meanYear: meanYear, sxx: sxx, sigma: sigma,
                               degreesOfFreedom: max(0, n - 2), residuals: residuals, t80: t80, t95: t95))
        }
    }
}
