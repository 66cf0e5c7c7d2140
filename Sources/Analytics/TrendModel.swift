import Foundation

/// The forecasting models of METHODS.md section 2. Each is a straight line `z = a + b t` on its own scale.
public enum TrendModel: String, CaseIterable, Sendable, Codable {
    /// `y = a + b t`.
    case linear
    /// `log y = a + b t`: constant growth (CAGR), for positive series.
    case loglinear
    /// `log(p / (1 - p)) = a + b t` with `p = y / 100` clipped to [0.001, 0.999]: for percentages, which
    /// cannot pass 100.
    case logit
    /// The last value carried forward: the baseline every model must beat.
    case naive

    /// Whether the model can describe `values` (`bounded`: the indicator is a percentage).
    public func applies(to values: [Double], bounded: Bool) -> Bool {
        switch self {
        case .linear, .naive: return true
        case .loglinear: return values.allSatisfy { $0 > 0 }
        case .logit: return bounded
        }
    }

    /// From the original scale to the model's.
    public func transform(_ y: Double) -> Double {
        switch self {
        case .linear, .naive: return y
        case .loglinear: return log(y)
        case .logit:
            let p = min(max(y / 100, 0.001), 0.999)
            return log(p / (1 - p))
        }
    }

    /// From the model's scale back to the original one (a percentage stays within 0-100).
    public func inverse(_ z: Double) -> Double {
        switch self {
        case .linear, .naive: return z
        case .loglinear: return exp(z)
        case .logit: return 100 / (1 + exp(-z))
        }
    }
}
