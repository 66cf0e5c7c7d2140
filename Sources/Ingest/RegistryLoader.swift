import Foundation
import Reference
import Warehouse

extension Registry {
    /// The columns a file must have, in the documented order.
    public var requiredColumns: [String] {
        switch self {
        case .population: return ["citizen_id", "birth_date", "sex", "unit", "identity_level", "registration_date", "status"]
        case .land: return ["parcel_id", "unit", "area_m2", "land_use", "certificate_issued", "record_digitised"]
        case .business: return ["tax_code", "name", "unit", "industry", "registration_date", "status", "e_invoice"]
        }
    }

    /// Columns a file may have.
    var optionalColumns: [String] { self == .business ? ["e_invoice_since"] : [] }

    /// The file's column a table column is read from: how a message about the column names it.
    func fileColumn(of tableColumn: String) -> String {
        switch tableColumn {
        case "pseudonym": return "citizen_id"
        case "unit_id": return "unit"
        case "identity_registered_on", "registered_on": return "registration_date"
        case "vsic_section", "vsic_division": return "industry"
        default: return tableColumn
        }
    }
}

/// What a long load has done so far, for a progress line.
public struct LoadProgress: Sendable {
    public let rows: Int
    public let bytesRead: Int
    public let fileBytes: Int
    /// Seconds since the load started.
    public let seconds: Double
}

/// Loads a registry extract (CSV, one row per record) into its warehouse table.
///
/// The file streams through: one thread reads it, one per core validates each row (every problem of the row is
/// reported, citizen IDs replaced by keyed pseudonyms) and packs the valid ones as bytes, and the writer sorts
/// them by key in runs of bounded size, then merges the runs in key order beside the table: duplicates within
/// the file and conflicts with the warehouse are found in that one ordered pass, and each of the table's pages
/// is written once. Memory does not grow with the file. The whole file is one transaction, committed only when
/// the rejected share is within `maxRejectRate`; a kill at any moment leaves the warehouse as it was. IDs are
/// masked in rejected lines.
public struct RegistryLoader {
    public let warehouse: Warehouse
    public var maxRejectRate = 0.05
    public var dryRun = false
    /// Called each time another 65,536 rows have been read.
    public var progress: ((LoadProgress) -> Void)?
    /// How each row is checked.
    let check: RegistryRecordCheck

    public var registry: Registry { check.registry }
    /// The day the extract describes: unit codes are read in the version in force on it, and no date may be
    /// later.
    public var asOf: String { check.asOf }
    var pseudonymiser: Pseudonymiser? { check.pseudonymiser }

    /// A loader for `registry` as of `asOf` (YYYY-MM-DD, not after `today`). Population data needs a
    /// `pseudonymiser`.
    public init(warehouse: Warehouse, units: UnitDirectory, registry: Registry, asOf: String,
                pseudonymiser: Pseudonymiser?, today: String = Clock.today()) throws {
        self.warehouse = warehouse
        check = try RegistryRecordCheck(units: units, registry: registry, asOf: asOf, pseudonymiser: pseudonymiser,
                                        today: today)
    }

    /// Loads the extract at `path`. Throws only when the file cannot be read as a table at all (no file, no
    /// header, a missing column) or was pseudonymised under another key; row problems are rejects.
    public func load(path: String) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        let startedAt = Date()
        var load = try FileLoad(path: path, format: "registry-csv", dataset: registry.rawValue, warehouse: warehouse,
                                dryRun: dryRun)
        if try load.isAlreadyLoaded() { return (load.summary, []) }
        var summary: LoadSummary {
            get { load.summary }
            set { load.summary = newValue }
        }
        if let pseudonymiser, let earlier = try warehouse.pseudonymKeyFingerprint(), earlier != pseudonymiser.fingerprint {
            throw InputError(file: path, message: "the pseudonym key is not the one the warehouse's population data was "
                                + "loaded with (fingerprint \(earlier)): its pseudonyms would not match; use the same key")
        }
        let (reader, header) = try CSVReader.opening(path, required: registry.requiredColumns,
                                                     expected: registry.requiredColumns + registry.optionalColumns)
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        var rejects: [RejectedRow] = []
        let mask = registry == .population ? Pseudonymiser.mask : { $0 }
        func reject(_ line: Int, _ column: String?, _ code: RejectCode, _ message: String, _ raw: String) {
            rejects.append(RejectedRow(line: line, column: column, errorCode: code, message: mask(message), raw: mask(raw)))
        }
        enum Outcome: Error { case refused, dryRun }
        // One thread reads, one per core validates (pseudonyms included), this one sorts the valid rows into
        // runs: the work spreads over the cores. The queues between them hold a few batches, so memory stays
        // bounded.
        let batches = BatchQueue<CheckedBatch>(capacity: 4)
        let validator = RowValidator(check: check, header: header)
        defer { batches.close() }
        do {
            let stored = try warehouse.bulkLoading { try warehouse.transaction(loading: summary) {
                let loadID = try warehouse.record(summary, rejects: [], startedAt: load.started)
                try warehouse.recordExtractDate(asOf, load: loadID)
                let writer = try warehouse.registryWriter(registry, loadID: loadID, fileBytes: fileBytes > 0 ? fileBytes : .max)
                validator.start(reader, into: batches, workers: ProcessInfo.processInfo.activeProcessorCount)
                var furthest = 0
                while let batch = batches.take() {
                    // Batches come in the order their checks end, not quite the file's.
                    let before = summary.read
                    summary.read += batch.read
                    furthest = max(furthest, batch.byteOffset)
                    if let progress, summary.read / 65_536 > before / 65_536 {
                        progress(LoadProgress(rows: summary.read, bytesRead: furthest, fileBytes: fileBytes,
                                              seconds: Date().timeIntervalSince(startedAt)))
                    }
                    for row in batch.refused {
                        for problem in row.problems { reject(row.line, problem.column, problem.code, problem.message, row.raw) }
                    }
                    try writer.stage(batch.valid)
                }
                // Keys are compared once the whole file is staged: the text of a row found to repeat a key, or
                // to contradict the warehouse, is read again from the file, where it was.
                let merged = try writer.merge()
                summary.loaded = merged.inserted
                summary.updated = merged.updated
                summary.unchanged = merged.unchanged
                let texts = try RawText(path: path, reader: reader)
                    .texts(of: merged.refused.map { ($0.line, $0.rawAt, $0.rawLength) })
                for ((line, reason, _, _), text) in zip(merged.refused, texts) {
                    switch reason {
                    case .conflict(let tableColumn, let loadID):
                        let column = registry.fileColumn(of: tableColumn)
                        reject(line, column, RejectCode.conflictsWithWarehouse, "this \(registry.keyName) is in the "
                               + "warehouse (load \(loadID)) with another \(column), which never changes: correct the row "
                               + "or the earlier record", text)
                    case .duplicate(let first):
                        reject(line, registry.requiredColumns[0], RejectCode.duplicateKey,
                               "same \(registry.keyName) as line \(first) of this file: keep one of the two rows", text)
                    }
                }
                var warnings: [RejectedRow] = []
                if let line = reader.unterminatedLastLine {
                    warnings.append(RejectedRow(line: line, column: nil, errorCode: RejectCode.noFinalLineBreak,
                                                message: "the file ends without a line break after line \(line): if it was "
                                                    + "cut short, that row is incomplete; check it against the source",
                                                raw: nil))
                    summary.warnedByReason = [RejectCode.noFinalLineBreak.rawValue: 1]
                }
                rejects.sort { $0.line < $1.line }
                summary.rejected = Set(rejects.map(\.line)).count
                summary.rejectedByReason = Dictionary(grouping: rejects, by: \.errorCode).mapValues(\.count)
                let repeated = summary.rejectedByReason[RejectCode.duplicateKey.rawValue].map {
                    "\($0) \($0 == 1 ? "row repeats" : "rows repeat") the \(registry.keyName) of an earlier row of the file: "
                        + "rejected, the first row of each key kept"
                }
                let notes = ([repeated] + warnings.map { "warning: " + $0.message }).compactMap { $0 }
                summary.message = notes.isEmpty ? nil : notes.joined(separator: "; ")
                if summary.failsRejectRate(maxRejectRate, counting: "rows") { throw Outcome.refused }
                if dryRun { throw Outcome.dryRun }
                try warehouse.record(rejects, load: loadID)
                try warehouse.record(warnings: warnings, load: loadID)
                if let pseudonymiser { try warehouse.recordPseudonymKeyFingerprint(pseudonymiser.fingerprint) }
                summary.loadID = loadID
                try warehouse.updateCounts(summary)
            } }
            if !stored { return (summary.skipped, []) }
        } catch Outcome.refused {
            _ = try load.recordRefusal(rejects: rejects)
            if let id = summary.loadID { try warehouse.recordExtractDate(asOf, load: id) }
        } catch Outcome.dryRun {
            summary.status = .checked
            summary.message = "dry run: nothing written"
        }
        return (summary, rejects)
    }
}

/// The text of rows of a file, as written, for rejects found after the rows were read: from where the reader
/// found each in a UTF-8 file; a file the reader decoded (UTF-16) is read again once, for all of them.
struct RawText {
    let path: String
    let handle: FileHandle?
    let skip: Int

    init(path: String, reader: CSVReader) throws {
        self.path = path
        handle = reader.encoding == "UTF-8" ? FileHandle(forReadingAtPath: path) : nil
        skip = reader.hadByteOrderMark ? 3 : 0
    }

    /// The text of each row, given by its line, byte offset and length.
    func texts(of rows: [(line: Int, at: Int, length: Int)]) throws -> [String] {
        if let handle {
            return try rows.map { row in
                try handle.seek(toOffset: UInt64(row.at + skip))
                return String(decoding: try handle.read(upToCount: row.length) ?? Data(), as: UTF8.self)
            }
        }
        let wanted = Set(rows.map(\.line))
        var found: [Int: String] = [:]
        let reader = try CSVReader(path: path)
        while found.count < wanted.count, let result = reader.next() {
            switch result {
            case .success(let record) where wanted.contains(record.line): found[record.line] = record.raw
            case .failure(let error) where wanted.contains(error.line): found[error.line] = error.raw
            default: continue
            }
        }
        return rows.map { found[$0.line] ?? "" }
    }
}
