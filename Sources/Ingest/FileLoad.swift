import Foundation
import Warehouse

/// One file's load: what every loader does around reading and checking its rows, written once.
///
/// It opens the load's summary (file, content hash, format, dataset) and skips bytes loaded the same way
/// before; applies the reject-rate rule, worded once; records a refused load with its rejects and stores none of
/// its rows; stores an accepted one in one transaction (the load's record, its rows, rejects, warnings and final
/// counts); and in a dry run writes nothing at all. The loaders of indicator files, task statuses and local
/// targets call `finish`; the registry loader, whose rejects are only known once its rows are written, applies
/// the same rule inside its transaction and calls `recordRefusal`.
struct FileLoad {
    let warehouse: Warehouse
    let dryRun: Bool
    let started = Warehouse.timestamp()
    var summary: LoadSummary

    /// Starts the load of `path`, read as `format` into `dataset`.
    init(path: String, format: String, dataset: String, warehouse: Warehouse, dryRun: Bool) throws {
        self.warehouse = warehouse
        self.dryRun = dryRun
        summary = LoadSummary(file: path, sha256: try sha256Hex(ofFile: path), format: format, dataset: dataset)
    }

    /// Whether these bytes were loaded before, the same way: then `summary` says the file was skipped.
    mutating func isAlreadyLoaded() throws -> Bool { try warehouse.skipIfAlreadyLoaded(&summary) }

    /// Records the refused load with its rejects, none of its rows stored (in a dry run, nothing).
    mutating func recordRefusal(rejects: [RejectedRow]) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        if !dryRun { summary.loadID = try warehouse.record(summary, rejects: rejects, startedAt: started) }
        return (summary, rejects)
    }

    /// Ends a load whose rows were read and checked: refused by the reject-rate rule (`summary.read` and
    /// `summary.rejected` count `counting`), described in a dry run as what it would load (`rows` rows:
    /// `described`; with `wouldStore`, what storing them would do beside the stored values), else stored in one
    /// transaction by `write`, which gets the load's id and counts what it stores in the summary. When another
    /// writer stored the same bytes first, the load is skipped.
    mutating func finish(rejects: [RejectedRow], warnings: [RejectedRow] = [], maxRejectRate: Double,
                         counting: String = "rows", rows: Int, described: String,
                         wouldStore: (() throws -> ObservationCounts)? = nil,
                         write: (_ loadID: Int, _ summary: inout LoadSummary) throws -> Void)
        throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        summary.rejectedByReason = Dictionary(grouping: rejects, by: \.errorCode).mapValues(\.count)
        if summary.failsRejectRate(maxRejectRate, counting: counting) { return try recordRefusal(rejects: rejects) }
        summary.warnedByReason = Dictionary(grouping: warnings, by: \.errorCode).mapValues(\.count)
        if dryRun {
            summary.status = .checked
            summary.message = "dry run, nothing written: would load " + described
            summary.loaded = rows
            if let counts = try wouldStore?() {
                (summary.loaded, summary.updated, summary.unchanged) = (counts.inserted, counts.revised, counts.unchanged)
                summary.message = "dry run, nothing written: " + described + "; would add \(counts.inserted), revise "
                    + "\(counts.revised) and find \(counts.unchanged) as stored"
            }
            return (summary, rejects)
        }
        summary.message = described
        let stored = try warehouse.transaction(loading: summary) {
            let loadID = try warehouse.record(summary, rejects: rejects, startedAt: started)
            try warehouse.record(warnings: warnings, load: loadID)
            try write(loadID, &summary)
            summary.loadID = loadID
            try warehouse.updateCounts(summary)
        }
        return stored ? (summary, rejects) : (summary.skipped, [])
    }
}

extension LoadSummary {
    /// The reject-rate rule: when more than `maxRate` of the records read (`counting`: rows, cells, targets)
    /// were rejected, the load fails, saying so before anything else it noted, and stores nothing.
    mutating func failsRejectRate(_ maxRate: Double, counting: String) -> Bool {
        let rate = read == 0 ? 0 : Double(rejected) / Double(read)
        guard rate > maxRate else { return false }
        status = .failed
        (loaded, updated, unchanged) = (0, 0, 0)
        message = String(format: "%d of %d %@ rejected (%.1f%%), above the %.1f%% allowed: nothing loaded",
                         rejected, read, counting, rate * 100, maxRate * 100) + (message.map { "; " + $0 } ?? "")
        return true
    }
}
