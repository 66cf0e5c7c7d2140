import Foundation

/// The program's one reading of the clock: what day it is in Viet Nam. A run reads it once (`RunContext`) and
/// hands the day to every step, so a test can give any day instead.
public enum Clock {
    /// Today in Viet Nam, as an ISO date (YYYY-MM-DD).
    public static func today() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: Date())
    }
}
