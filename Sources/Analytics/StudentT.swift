import Foundation

/// Student's t distribution, for prediction intervals.
public enum StudentT {
    /// P(T <= t) for `degreesOfFreedom` > 0, through the regularized incomplete beta function.
    public static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        let x = nu / (nu + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(a: nu / 2, b: 0.5, x: x)
        return t >= 0 ? 1 - tail : tail
    }

    /// The `p`-quantile (0 < p < 1), found by bisection on the CDF to 1e-12.
    public static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        precondition(p > 0 && p < 1 && nu > 0, "quantile needs 0 < p < 1 and positive degrees of freedom")
        var low = -1e4, high = 1e4
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(mid, degreesOfFreedom: nu) < p { low = mid } else { high = mid }
            if high - low < 1e-12 { break }
        }
        return (low + high) / 2
    }

    /// I_x(a, b) by Lentz's continued fraction (converges for x < (a+1)/(a+b+2); the symmetry covers the rest).
    static func regularizedIncompleteBeta(a: Double, b: Double, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let logFront: Double = logBeta + a * log(x) + b * log(1 - x)
        if x > (a + 1) / (a + b + 2) {
            return 1 - regularizedIncompleteBeta(a: b, b: a, x: 1 - x)
        }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var result = d
        for m in 1...300 {
            let m = Double(m)
            let even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + even * d; if abs(d) < tiny { d = tiny }
            c = 1 + even / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            result *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + odd * d; if abs(d) < tiny { d = tiny }
            c = 1 + odd / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            result *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return exp(logFront) * result / a
    }
}
