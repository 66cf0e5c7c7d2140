import Foundation
import LinearAlgebra

/// A forecast of one series to one year.
public struct Forecast: Sendable, Equatable {
    public let indicator: String
    public let unitID: Int
    public let year: Int
    /// "linear" (least-squares trend) or "naive" (one point: carried forward).
    public let model: String
    public let value: Double
    /// Prediction intervals, `nil` when the fit leaves no degrees of freedom (two points or fewer).
    public let interval80: ClosedRange<Double>?
    public let interval95: ClosedRange<Double>?
    /// The fitted yearly change (0 for naive).
    public let slope: Double
    public let pointCount: Int
}

/// Least-squares linear trends, `y = a + b t`, for many series at once (METHODS.md section 2, `linear`).
///
/// Series observed in the same years share one design matrix, so each such group is one LAPACK solve with
/// one right-hand side per series. Time is centred on the group's mean year, which keeps the system well
/// conditioned. Intervals are the OLS prediction intervals, `ŷ ± t(n-2) s √(1 + 1/n + (T - t̄)² / Sxx)`.
public enum LinearTrend {
    /// Forecasts every series to every year of `horizon`. A series with one point is carried forward
    /// (`naive`); with no points it is left out.
    public static func forecast(_ series: [Series], to horizon: [Int]) throws -> [Forecast] {
        var forecasts: [Forecast] = []
        let groups = Dictionary(grouping: series.filter { !$0.years.isEmpty }, by: \.years)
        for years in groups.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            guard let members = groups[years] else { continue }
            if years.count == 1 {
                for item in members {
                    for year in horizon {
                        forecasts.append(Forecast(indicator: item.indicator, unitID: item.unitID, year: year,
                                                  model: "naive", value: item.values[0], interval80: nil,
                                                  interval95: nil, slope: 0, pointCount: 1))
                    }
                }
                continue
            }
            let n = years.count
            let meanYear = Double(years.reduce(0, +)) / Double(n)
            var design = Matrix(rows: n, columns: 2)
            for (i, year) in years.enumerated() {
                design[i, 0] = 1
                design[i, 1] = Double(year) - meanYear
            }
            var rhs = Matrix(rows: n, columns: members.count)
            for (j, item) in members.enumerated() {
                for i in 0..<n { rhs[i, j] = item.values[i] }
            }
            let solution = try design.leastSquares(rhs)
            let sxx = years.reduce(0.0) { $0 + pow(Double($1) - meanYear, 2) }
            let t80 = n > 2 ? StudentT.quantile(0.90, degreesOfFreedom: Double(n - 2)) : 0
            let t95 = n > 2 ? StudentT.quantile(0.975, degreesOfFreedom: Double(n - 2)) : 0
            for (j, item) in members.enumerated() {
                let intercept = solution.coefficients[0, j], slope = solution.coefficients[1, j]
                let s = n > 2 ? sqrt(solution.residualSumOfSquares[j] / Double(n - 2)) : 0
                for year in horizon {
                    let dt = Double(year) - meanYear
                    let value = intercept + slope * dt
                    let spread = s * sqrt(1 + 1 / Double(n) + dt * dt / sxx)
                    forecasts.append(Forecast(
                        indicator: item.indicator, unitID: item.unitID, year: year, model: "linear", value: value,
                        interval80: n > 2 ? (value - t80 * spread)...(value + t80 * spread) : nil,
                        interval95: n > 2 ? (value - t95 * spread)...(value + t95 * spread) : nil,
                        slope: slope, pointCount: n))
                }
            }
        }
        return forecasts
    }
}
