import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014), the program's one seeded generator: same seed, same numbers, on every
/// machine. The simulation seeds one per (seed, indicator, unit, draw); the synthetic data one per file.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    /// A generator whose state starts at `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator for one draw of one unit's series of one indicator.
    init(seed: UInt64, key: UInt64, unit: UInt64, draw: UInt64) {
        state = seed
        state = Self.mix(state ^ Self.mix(key &+ 0x9E37_79B9_7F4A_7C15))
        state = Self.mix(state ^ Self.mix(unit &+ 0xD1B5_4A32_D192_ED03))
        state = Self.mix(state ^ Self.mix(draw &+ 0x8CB9_2BA7_2F3D_8DD7))
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// Uniform on (0, 1).
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1p-53 }

    /// Uniform on [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) / Double(1 << 53)
    }

    /// Standard normal by Box and Muller (the synthetic data's draws).
    public mutating func boxMullerNormal() -> Double {
        let u = max(uniform(0, 1), 1e-300), v = uniform(0, 1)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// Standard normal by the Marsaglia polar method (one of the pair; the other is dropped to keep each draw's
    /// sequence of calls fixed).
    mutating func normal() -> Double {
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * log(s) / s).squareRoot() }
        }
    }

    /// Gamma(shape, 1) by Marsaglia and Tsang (2000); shapes below 1 through Gamma(shape + 1) · U^(1/shape).
    mutating func gamma(shape: Double) -> Double {
        if shape < 1 { return gamma(shape: shape + 1) * pow(uniform(), 1 / shape) }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniform()
            if u < 1 - 0.0331 * x * x * x * x || log(u) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }
}
