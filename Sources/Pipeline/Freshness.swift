import Foundation
import Ingest
import Reference
import Warehouse

/// How old a dataset may be: a number of days, months or years ("45 days", "18 months", "2 years").
public struct MaxAge: Equatable, Sendable, CustomStringConvertible {
    public let count: Int
    public let component: Calendar.Component
    public let description: String

    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: " ").map(String.init)
        guard parts.count == 2, let count = Int(parts[0]), count > 0 else { return nil }
        switch parts[1] {
        case "day", "days": component = .day
        case "month", "months": component = .month
        case "year", "years": component = .year
        default: return nil
        }
        self.count = count
        description = text
    }

    /// The oldest date (YYYY-MM-DD) still fresh on `today`.
    public func cutoff(from today: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let day = formatter.date(from: today), let cutoff = calendar.date(byAdding: component, value: -count, to: day)
        else { return today }
        return formatter.string(from: cutoff)
    }
}

/// A dataset whose newest data is older than its maximum age.
public struct StaleSource: Codable, Equatable, Sendable, CustomStringConvertible {
    public let dataset: String
    /// The last day the newest data describes: the end of the newest period, or a registry's extract date.
    public let newest: String
    public let maxAge: String

    public var description: String { "\(dataset): newest data of \(newest), older than \(maxAge)" }
}

/// The datasets `max_age` can name: tidy indicator data, and each registry.
public let freshnessDatasets: Set<String> = Set(["indicators"] + Registry.allCases.map(\.rawValue))

/// The datasets among `maxAge` whose newest data is older than allowed on `today`; a dataset never loaded is
/// stale too (its newest data is "none").
public func staleSources(_ context: RunContext, maxAge: [String: MaxAge]) throws -> [StaleSource] {
    let warehouse = context.warehouse, today = context.today
    var stale: [StaleSource] = []
    let extractDays = try warehouse.datasetsAsOf()
    for (dataset, age) in maxAge.sorted(by: { $0.key < $1.key }) {
        let newest = dataset == "indicators"
            ? try warehouse.periodsLoadedFromIndicatorFiles().compactMap { Period($0)?.endDate }.max()
            : extractDays[dataset]
        if let newest, newest >= age.cutoff(from: today) { continue }
        stale.append(StaleSource(dataset: dataset, newest: newest ?? "none", maxAge: age.description))
    }
    return stale
}
