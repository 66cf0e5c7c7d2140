import Foundation
import XCTest

/// How close a computed number must be to the one it is checked against, named by where the difference can
/// come from. Each is relative: `|actual - expected| <= tolerance × max(1, |expected|)`, so it is absolute for
/// values up to 1 and scales with larger ones, as a floating-point error does.
public enum Tolerance {
    /// A few roundings of exact arithmetic: sums, products, a closed-form formula.
    public static let rounding = 1e-12
    /// A linear solve or decomposition (LAPACK), an iteration run to convergence, or a reference value
    /// published to 9 or more digits (the method vectors, numpy and scipy): the precision METHODS.md promises.
    public static let solve = 1e-9
    /// A series or approximation (a quantile of Student's t, a normal tail), or a reference value given to 6 or
    /// 7 digits.
    public static let approximation = 1e-6
    /// A figure as published or printed, to 3 or 4 decimals; or a Monte Carlo estimate compared with its
    /// exact value.
    public static let printed = 1e-3
}

/// Asserts that `actual` is within `tolerance` (relative, see `Tolerance`) of `expected`; a nil or NaN
/// `actual` fails.
public func assertClose(_ actual: Double?, _ expected: Double, _ tolerance: Double, _ message: @autoclosure () -> String = "",
                        file: StaticString = #filePath, line: UInt = #line) {
    guard let actual, !actual.isNaN else {
        return XCTFail("\(String(describing: actual)) is not \(expected). \(message())", file: file, line: line)
    }
    let allowed = tolerance * max(1, abs(expected))
    if !(abs(actual - expected) <= allowed) {
        XCTFail("\(actual) is not \(expected) within \(allowed). \(message())", file: file, line: line)
    }
}
