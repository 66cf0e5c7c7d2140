/// The modified z-score test for an implausible value in a series (Iglewicz and Hoaglin; the "modified
/// z-score" outlier detection of DHIS2's data quality tools): `z = 0.6745 (x - median) / MAD`, where MAD is the
/// median absolute deviation of the series. A value with `|z| > 3.5` that also lies more than a quarter of
/// the median away from it is flagged (`isOutlier`); the value is kept. The second condition is ours: a
/// province's population moves by a few tenths of a percent a year, so its MAD is tiny and every real
/// change would score far above 3.5, while the errors worth a look (thousands for persons, an area for a
/// population) are off by far more than a quarter.
///
/// Edges: a series of fewer than `minimumPoints` values is not tested (a median of three says little), nor one
/// whose MAD is 0 (most values equal: any change would be infinitely far).
public enum OutlierTest {
    public static let threshold = 3.5
    public static let minimumPoints = 5
    /// The smallest distance from the median, as a share of it, that can be flagged.
    public static let relativeDistance = 0.25

    /// Whether `value`, scored `z` in a series of median `median`, is flagged.
    public static func isOutlier(_ value: Double, z: Double, median: Double) -> Bool {
        abs(z) > threshold && abs(value - median) > relativeDistance * abs(median)
    }

    /// The modified z-score of each of `values` against all of them; nil when the series cannot be tested.
    public static func scores(_ values: [Double]) -> [Double]? {
        guard values.count >= minimumPoints else { return nil }
        let center = median(values)
        let mad = median(values.map { abs($0 - center) })
        guard mad > 0 else { return nil }
        return values.map { 0.6745 * ($0 - center) / mad }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
