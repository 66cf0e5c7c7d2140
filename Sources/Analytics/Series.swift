/// Yearly values of one indicator in one unit, in increasing year order, missing years left out.
public struct Series: Sendable, Equatable {
    public let indicator: String
    public let unitID: Int
    public let years: [Int]
    public let values: [Double]

    public init(indicator: String, unitID: Int, years: [Int], values: [Double]) {
        precondition(years.count == values.count, "years and values differ in length")
        self.indicator = indicator
        self.unitID = unitID
        self.years = years
        self.values = values
    }

    /// The value observed in `year`, if any.
    public func value(in year: Int) -> Double? {
        years.firstIndex(of: year).map { values[$0] }
    }
}
