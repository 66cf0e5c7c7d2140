import Foundation

/// SIGINT and SIGTERM ask a run to stop: the file being loaded finishes (or rolls back) in its transaction,
/// then the remaining files and steps are skipped and the run is recorded as failed.
public enum StopRequest {
    nonisolated(unsafe) private static var received: sig_atomic_t = 0

    /// The signal received, if any.
    public static var signal: Int32? { received == 0 ? nil : received }

    /// Installs the handlers for SIGINT and SIGTERM.
    public static func install() {
        for number in [SIGINT, SIGTERM] {
            Foundation.signal(number) { StopRequest.received = $0 }
        }
    }
}
