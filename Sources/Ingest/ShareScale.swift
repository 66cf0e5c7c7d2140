import Reference
import Warehouse

/// How a file writes the value of a percentage: 45.8 (percent, as the warehouse keeps it) or 0.458 (a fraction,
/// as many systems export a share).
public enum ShareScale: String, Sendable, CaseIterable {
    case percent, fraction

    /// Why `rows` could be either, when they could: every value of a percentage indicator lies within 0 and 1
    /// and one of them between (0.458, 0.512 and 0.605 loaded as less than 1%), whatever the file's other
    /// indicators hold. nil when every indicator's values say percent, or when there are none.
    static func ambiguity(of rows: [ObservationRow], indicators: [String: Indicator]) -> String? {
        let shares = Dictionary(grouping: rows.filter { indicators[$0.indicator]?.unit == "percent" }, by: \.indicator)
        for (code, rows) in shares.sorted(by: { $0.key < $1.key }) {
            let values = rows.compactMap(\.value)
            guard !values.isEmpty, values.allSatisfy({ (0...1).contains($0) }),
                  let example = values.first(where: { $0 > 0 && $0 < 1 }) else { continue }
            return "every \(code) value in the file lies within 0 and 1 (such as \(IndicatorFileLoader.plain(example))): "
                + "say --shares fraction if they are fractions (read as \(IndicatorFileLoader.plain((example * 1e8).rounded() / 1e6))%), "
                + "or --shares percent if they are percentages below 1%"
        }
        return nil
    }
}
