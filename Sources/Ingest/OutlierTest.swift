/// The modified z-score test for an implausible value in a series (Iglewicz and Hoaglin; the "modified
/// z-score" outlier detection of DHIS2's data quality tools): `z = 0.6745 (x - median) / MAD`, where MAD is the
/// median absolute deviation of the series. A value with `|z| > 3.5` is flagged; the value is kept.
///
/// Edges: a series of fewer than `minimumPoints` values is not tested (a median of three says little), nor one
/// whose MAD is 0 (most values equal: any change would be infinitely far).
public enum OutlierTest {
    public static let threshold = 3.5
    public static let minimumPoints = 5

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
