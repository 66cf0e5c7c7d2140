import Foundation
import Reference
import Warehouse

/// The three core registries of the decision's section IV.4.b.
public enum Registry: String, CaseIterable, Sendable {
    case population, land, business

    /// The columns a file must have, in the documented order.
    public var requiredColumns: [String] {
        switch self {
        case .population: return ["citizen_id", "birth_date", "sex", "unit", "identity_level", "registration_date", "status"]
        case .land: return ["parcel_id", "unit", "area_m2", "land_use", "certificate_issued", "record_digitised"]
        case .business: return ["tax_code", "name", "unit", "industry", "registration_date", "status", "e_invoice"]
        }
    }

    var optionalColumns: [String] { self == .business ? ["e_invoice_since"] : [] }

    /// The warehouse table and its columns (the key first), without `load_id` and `line`.
    var table: (name: String, columns: [String]) {
        switch self {
        case .population:
            return ("person", ["pseudonym", "birth_date", "sex", "unit_id", "identity_level", "identity_registered_on", "status"])
        case .land:
            return ("parcel", ["parcel_id", "unit_id", "area_m2", "land_use", "certificate_issued", "record_digitised"])
        case .business:
            return ("enterprise", ["tax_code", "name", "unit_id", "vsic_section", "vsic_division", "registered_on", "status",
                                   "e_invoice", "e_invoice_since"])
        }
    }

    /// Table columns that never change for a record: a different value under the same key is an error, not
    /// an update (a person's birth date and sex, an enterprise's registration date).
    var immutableColumns: [String] {
        switch self {
        case .population: return ["birth_date", "sex"]
        case .land: return []
        case .business: return ["registered_on"]
        }
    }

    /// How the key column is named in messages.
    public var keyName: String {
        switch self {
        case .population: return "citizen ID"
        case .land: return "parcel ID"
        case .business: return "tax code"
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
/// The file streams through: each row is validated (every problem of the row is reported), written, and
/// forgotten, so memory does not grow with the file; duplicates within the file and conflicts with the
/// warehouse are found through the table's key. The whole file is one transaction, committed only when the
/// rejected share is within `maxRejectRate`; a kill at any moment leaves the warehouse as it was. Citizen IDs
/// are replaced by keyed pseudonyms before anything is written, and masked in rejected lines.
public struct RegistryLoader {
    public let warehouse: Warehouse
    public let registry: Registry
    /// The day the extract describes: unit codes are read in the version in force on it, and no date may be
    /// later.
    public let asOf: String
    public var maxRejectRate = 0.05
    public var dryRun = false
    /// Called every 65,536 rows.
    public var progress: ((LoadProgress) -> Void)?

    private let pseudonymiser: Pseudonymiser?
    private let units: UnitDirectory
    private let unitsInForce: [String: Int]
    private let provinceCodes: Set<Int>

    /// A loader for `registry` as of `asOf` (YYYY-MM-DD). Population data needs a `pseudonymiser`.
    public init(warehouse: Warehouse, units: UnitDirectory, registry: Registry, asOf: String,
                pseudonymiser: Pseudonymiser?) throws {
        guard let day = Period.calendarDate(asOf) else {
            throw InputError(file: "--as-of", message: "'\(asOf)' is not a day written YYYY-MM-DD")
        }
        guard day <= UnitDirectory.today() else {
            throw InputError(file: "--as-of", message: "\(day) is in the future: give the day the extract was taken")
        }
        if registry == .population && pseudonymiser == nil {
            throw InputError(file: Pseudonymiser.environmentVariable, message: "population data needs a pseudonym key")
        }
        self.warehouse = warehouse
        self.units = units
        self.registry = registry
        self.asOf = day
        self.pseudonymiser = pseudonymiser
        var inForce: [String: Int] = [:]
        for unit in units.units where (unit.level == .commune || unit.level == .province) && unit.isValid(on: day) {
            inForce[unit.code] = unit.id
        }
        unitsInForce = inForce
        provinceCodes = Set(units.units.filter { $0.level == .province }.compactMap { Int($0.code) })
    }

    static let fingerprintSetting = "pseudonym_key_fingerprint"

    /// Loads the extract at `path`. Throws only when the file cannot be read as a table at all (no file, no
    /// header, a missing column) or was pseudonymised under another key; row problems are rejects.
    public func load(path: String) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        let startedAt = Date()
        let started = Warehouse.timestamp(startedAt)
        var summary = LoadSummary(file: path, sha256: try sha256Hex(ofFile: path), format: "registry-csv",
                                  dataset: registry.rawValue)
        if try warehouse.skipIfAlreadyLoaded(&summary) { return (summary, []) }
        if let pseudonymiser, let earlier = try warehouse.db.scalar("SELECT value FROM setting WHERE name = ?",
                                                                     [Self.fingerprintSetting]).text,
           earlier != pseudonymiser.fingerprint {
            throw InputError(file: path, message: "the pseudonym key is not the one the warehouse's population data was "
                                + "loaded with (fingerprint \(earlier)): its pseudonyms would not match; use the same key")
        }
        let (reader, header) = try CSVReader.opening(path, required: registry.requiredColumns,
                                                     expected: registry.requiredColumns + registry.optionalColumns)
        let fileBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        var rejects: [RejectedRow] = []
        let mask = registry == .population ? Pseudonymiser.mask : { $0 }
        func reject(_ line: Int, _ column: String?, _ code: String, _ message: String, _ raw: String) {
            rejects.append(RejectedRow(line: line, column: column, errorCode: code, message: mask(message), raw: mask(raw)))
        }
        enum Outcome: Error { case tooManyRejects, dryRun }
        // A fixed 64 MiB page cache: big enough that the key index of millions of records stays mostly in memory,
        // bounded so memory does not grow with the file. Statement journals in memory: each multi-row INSERT
        // keeps its own small one, which would otherwise go to a temporary file.
        try warehouse.db.execute("PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY")
        defer { try? warehouse.db.execute("PRAGMA temp_store = DEFAULT") }
        // One thread reads and validates, this one writes: the two halves of the work overlap on two cores. The
        // queue between them holds a few batches, so memory stays bounded.
        let batches = BatchQueue<CheckedRow>(capacity: 4)
        let validator = RowValidator(loader: self, header: header)
        let readerThread = Thread { validator.run(reader, into: batches) }
        readerThread.stackSize = 1 << 22
        defer { batches.close() }
        do {
            let stored = try warehouse.transaction(loading: summary) {
                let loadID = try warehouse.record(summary, rejects: [], startedAt: started)
                try warehouse.db.run("UPDATE load SET as_of = ? WHERE id = ?", [asOf, loadID])
                let writer = try RegistryWriter(db: warehouse.db, registry: registry, loadID: loadID)
                readerThread.start()
                while let batch = batches.take() {
                    var valid: [CheckedRow] = []
                    for item in batch {
                        summary.read += 1
                        if summary.read % 65_536 == 0, let progress {
                            progress(LoadProgress(rows: summary.read, bytesRead: item.byteOffset, fileBytes: fileBytes,
                                                  seconds: Date().timeIntervalSince(startedAt)))
                        }
                        if item.values != nil {
                            valid.append(item)
                        } else {
                            for problem in item.problems {
                                reject(item.line, problem.column, problem.code, problem.message, item.raw)
                            }
                        }
                    }
                    for (row, change) in zip(valid, try writer.store(valid.map { ($0.values ?? [], $0.line) })) {
                        switch change {
                        case .inserted: summary.loaded += 1
                        case .updated: summary.updated += 1
                        case .unchanged: summary.unchanged += 1
                        case .duplicate(let line):
                            reject(row.line, registry.requiredColumns[0], "duplicate_key",
                                   "same \(registry.keyName) as line \(line) of this file: keep one of the two rows", row.raw)
                        case .conflict(let column, let loadID):
                            reject(row.line, column, "conflicts_with_warehouse",
                                   "this \(registry.keyName) is in the warehouse (load \(loadID)) with another \(column), "
                                    + "which never changes: correct the row or the earlier record", row.raw)
                        }
                    }
                }
                var warnings: [RejectedRow] = []
                if let line = reader.unterminatedLastLine {
                    warnings.append(RejectedRow(line: line, column: nil, errorCode: "no_final_line_break",
                                                message: "the file ends without a line break after line \(line): if it was "
                                                    + "cut short, that row is incomplete; check it against the source",
                                                raw: nil))
                    summary.warnedByReason = ["no_final_line_break": 1]
                }
                rejects.sort { $0.line < $1.line }
                summary.rejected = Set(rejects.map(\.line)).count
                summary.rejectedByReason = Dictionary(grouping: rejects, by: \.errorCode).mapValues(\.count)
                let repeated = summary.rejectedByReason["duplicate_key"].map {
                    "\($0) \($0 == 1 ? "row repeats" : "rows repeat") the \(registry.keyName) of an earlier row of the file: "
                        + "rejected, the first row of each key kept"
                }
                let notes = ([repeated] + warnings.map { "warning: " + $0.message }).compactMap { $0 }
                summary.message = notes.isEmpty ? nil : notes.joined(separator: "; ")
                let rate = summary.read == 0 ? 0 : Double(summary.rejected) / Double(summary.read)
                if rate > maxRejectRate {
                    summary.status = "failed"
                    summary.loaded = 0
                    summary.updated = 0
                    summary.unchanged = 0
                    summary.message = String(format: "%.1f%% of rows rejected, above the %.1f%% allowed: nothing loaded",
                                             rate * 100, maxRejectRate * 100) + (summary.message.map { "; " + $0 } ?? "")
                    throw Outcome.tooManyRejects
                }
                if dryRun { throw Outcome.dryRun }
                try warehouse.record(rejects, load: loadID)
                try warehouse.record(warnings: warnings, load: loadID)
                if let pseudonymiser {
                    try warehouse.db.run("INSERT OR IGNORE INTO setting (name, value) VALUES (?, ?)",
                                         [Self.fingerprintSetting, pseudonymiser.fingerprint])
                }
                summary.loadID = loadID
                try warehouse.updateCounts(summary)
            }
            if !stored { return (summary.skipped, []) }
        } catch Outcome.tooManyRejects {
            if !dryRun {
                summary.loadID = try warehouse.record(summary, rejects: rejects, startedAt: started)
                try warehouse.db.run("UPDATE load SET as_of = ? WHERE id = ?", [asOf, summary.loadID])
            }
        } catch Outcome.dryRun {
            summary.message = "dry run: nothing written"
        }
        return (summary, rejects)
    }

    static let sexes = ["M": "M", "F": "F", "m": "M", "f": "F", "male": "M", "female": "F", "nam": "M", "nữ": "F",
                        "nu": "F"]
    static let identityLevels = ["none": "0", "0": "0", "": "0", "1": "1", "2": "2"]
    static let personStatuses = ["active": "active", "deceased": "deceased", "emigrated": "emigrated"]
    static let enterpriseStatuses = ["active": "active", "suspended": "suspended", "dissolved": "dissolved"]

    /// One row checked field by field: the table's values, or `nil` after reporting every problem.
    func validate(_ field: (String) -> String, problem: (String, String, String) -> Void) -> [SQLValue]? {
        func date(_ column: String, required: Bool = true) -> String? {
            let text = field(column)
            if text.isEmpty {
                if required { problem(column, "missing", "\(column) is required (YYYY-MM-DD)") }
                return nil
            }
            guard let day = Period.calendarDate(text) else {
                problem(column, "bad_date", "\(column) '\(text)' is not a day written YYYY-MM-DD or DD/MM/YYYY")
                return nil
            }
            guard day <= asOf else {
                problem(column, "future_date", "\(column) \(day) is after the extract's date (\(asOf))")
                return nil
            }
            return day
        }
        func unit() -> Int? {
            let code = field("unit")
            if let id = unitsInForce[code] { return id }
            if code.isEmpty {
                problem("unit", "missing", "unit is required: a commune (5 digits) or province (2 digits) code")
            } else if let other = units.units.first(where: { $0.code == code && ($0.level == .commune || $0.level == .province) }) {
                let now = units.counterparts(of: other, on: asOf).map { "\($0.code) \($0.nameVI)" }.joined(separator: ", ")
                problem("unit", "unit_not_in_force", "\(units.describe(other)) is not in force on \(asOf)"
                        + (now.isEmpty ? "" : "; it is now \(now)") + ": use the codes of that date")
            } else {
                problem("unit", "unknown_unit", "'\(code)' is not a commune (5 digits) or province (2 digits) code")
            }
            return nil
        }
        func flag(_ column: String) -> Bool? {
            let text = field(column)
            guard let value = RegistryCodes.flag(text) else {
                problem(column, "bad_flag", "\(column) '\(text)' is not yes/no (true, false, 1, 0, có, không)")
                return nil
            }
            return value
        }
        func oneOf(_ column: String, _ allowed: [String: String]) -> String? {
            let text = field(column)
            guard let value = allowed[text] ?? allowed[text.lowercased()] else {
                let listed = Set(allowed.values).sorted().joined(separator: ", ")
                problem(column, "bad_code", "\(column) '\(text)' is not one of \(listed)")
                return nil
            }
            return value
        }

        switch registry {
        case .population:
            let id = field("citizen_id")
            let birth = date("birth_date")
            if let birth, birth < "1900-01-01" { problem("birth_date", "out_of_range", "birth_date \(birth) is before 1900") }
            let sex = oneOf("sex", Self.sexes)
            if let (code, message) = RegistryCodes.citizenIDProblem(id, provinces: provinceCodes, birthDate: birth, sex: sex) {
                problem("citizen_id", code, message)
            }
            let unitID = unit()
            let level = oneOf("identity_level", Self.identityLevels)
            let registered = date("registration_date", required: false)
            if let level, level != "0", registered == nil, field("registration_date").isEmpty {
                problem("registration_date", "missing", "an identity of level \(level) needs the date it was registered")
            }
            if level == "0", registered != nil {
                problem("registration_date", "inconsistent", "identity_level is none, so registration_date must be empty")
            }
            if let registered, let birth, registered < birth {
                problem("registration_date", "inconsistent", "registration_date \(registered) is before birth_date \(birth)")
            }
            let status = oneOf("status", Self.personStatuses)
            guard let pseudonymiser, let birth, let sex, let unitID, let level, let status else { return nil }
            return [.text(pseudonymiser.pseudonym(id)), .text(birth), .text(sex), .integer(Int64(unitID)),
                    .integer(Int64(level)!), registered.map(SQLValue.text) ?? .null, .text(status)]
        case .land:
            let parcel = field("parcel_id")
            if parcel.isEmpty || parcel.utf8.count > 40 {
                problem("parcel_id", "bad_length", "parcel_id must be 1-40 characters")
            }
            let unitID = unit()
            let areaText = field("area_m2")
            let area = DecimalMark.isPlainNumber(areaText) ? Double(areaText) : nil
            if area == nil || !(area!.isFinite) {
                problem("area_m2", "not_a_number", "area_m2 '\(areaText)' is not a number (use a dot for decimals)")
            } else if area! <= 0 || area! > 1e9 {
                problem("area_m2", "out_of_range", "area_m2 \(areaText) must be above 0 and at most 1,000,000,000")
            }
            let use = field("land_use").uppercased()
            if !RegistryCodes.landUse.contains(use) {
                problem("land_use", "bad_code", "land_use '\(field("land_use"))' is not a land-use code (e.g. LUA, ONT, ODT, CLN)")
            }
            let certificate = flag("certificate_issued"), digitised = flag("record_digitised")
            guard !parcel.isEmpty, let unitID, let area, let certificate, let digitised else { return nil }
            return [.text(parcel), .integer(Int64(unitID)), .real(area), .text(use), .integer(certificate ? 1 : 0),
                    .integer(digitised ? 1 : 0)]
        case .business:
            var taxCode: String?
            switch RegistryCodes.taxCode(field("tax_code")) {
            case .success(let code): taxCode = code
            case .failure(let failure): problem("tax_code", failure.code, failure.message)
            }
            let name = field("name")
            if name.isEmpty { problem("name", "missing", "name is required") }
            let unitID = unit()
            let industry = RegistryCodes.vsic(field("industry"))
            if industry == nil {
                problem("industry", "bad_code", "industry '\(field("industry"))' is not a VSIC 2018 section and division "
                        + "(e.g. C25, G46: the letter of the section, the two digits of a division in it)")
            }
            let registered = date("registration_date")
            let status = oneOf("status", Self.enterpriseStatuses)
            let eInvoice = flag("e_invoice")
            let since = date("e_invoice_since", required: false)
            if since != nil, eInvoice == false {
                problem("e_invoice_since", "inconsistent", "e_invoice is no, so e_invoice_since must be empty")
            }
            if let since, let registered, since < registered {
                problem("e_invoice_since", "inconsistent", "e_invoice_since \(since) is before registration_date \(registered)")
            }
            guard let taxCode, !name.isEmpty, let unitID, let industry, let registered, let status, let eInvoice else {
                return nil
            }
            return [.text(taxCode), .text(name), .integer(Int64(unitID)), .text(industry.section), .text(industry.division),
                    .text(registered), .text(status), .integer(eInvoice ? 1 : 0), since.map(SQLValue.text) ?? .null]
        }
    }
}

/// A row after reading and validation: the table's values, or its problems.
struct CheckedRow {
    let line: Int
    let byteOffset: Int
    let rawBytes: ArraySlice<UInt8>
    let values: [SQLValue]?
    let problems: [(column: String?, code: String, message: String)]

    var raw: String { String(decoding: rawBytes, as: UTF8.self) }
}

/// Reads a registry file's records and validates them, in batches, on its own thread.
final class RowValidator: @unchecked Sendable {
    private let loader: RegistryLoader
    private let header: [String]
    private let columnIndex: [String: Int]
    private let fieldPosition: [Int?]

    init(loader: RegistryLoader, header: [String]) {
        self.loader = loader
        self.header = header
        let position = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let columns = loader.registry.requiredColumns + loader.registry.optionalColumns
        columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        fieldPosition = columns.map { position[$0] }
    }

    func run(_ reader: CSVReader, into queue: BatchQueue<CheckedRow>) {
        var batch: [CheckedRow] = []
        batch.reserveCapacity(Self.batchSize)
        while let result = reader.next() {
            if case .success(let record) = result, record.fields == [""] { continue }
            batch.append(check(result))
            if batch.count == Self.batchSize {
                guard queue.put(batch) else { return }
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { _ = queue.put(batch) }
        queue.close()
    }

    static let batchSize = 4096

    private func check(_ result: Result<CSVRecord, CSVRecordError>) -> CheckedRow {
        switch result {
        case .failure(let error):
            return CheckedRow(line: error.line, byteOffset: error.byteOffset, rawBytes: ArraySlice(error.raw.utf8),
                              values: nil, problems: [(error.column(in: header), error.kind.rawValue, error.advice)])
        case .success(let record):
            guard record.fields.count == header.count else {
                return CheckedRow(line: record.line, byteOffset: record.byteOffset, rawBytes: record.rawBytes, values: nil,
                                  problems: [(nil, "column_count", CSVReader.columnCountMessage(found: record.fields.count,
                                                                                                 expected: header.count))])
            }
            let fields = fieldPosition.map { $0.map { record.fields[$0].trimmedOfSpaces } ?? "" }
            var problems: [(column: String?, code: String, message: String)] = []
            let values = loader.validate({ fields[self.columnIndex[$0]!] }) { problems.append(($0, $1, $2)) }
            return CheckedRow(line: record.line, byteOffset: record.byteOffset, rawBytes: record.rawBytes,
                              values: problems.isEmpty ? values : nil, problems: problems)
        }
    }
}

/// A bounded queue of batches between two threads. `put` waits while it is full and returns `false` once the
/// queue is closed; `take` waits while it is empty and returns `nil` once it is closed and drained.
final class BatchQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: [[Element]] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func put(_ batch: [Element]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    func take() -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !closed { condition.wait() }
        guard !batches.isEmpty else { return nil }
        condition.broadcast()
        return batches.removeFirst()
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Writes validated registry rows: an insert when the key is new, else a comparison with the stored record.
struct RegistryWriter {
    enum Change { case inserted, updated, unchanged, duplicate(line: Int), conflict(column: String, loadID: Int) }

    let registry: Registry
    let loadID: Int
    private let db: Database
    private let insertMany, select, update, relist, revision: Statement
    private let immutable: [Int]
    /// Rows per multi-row INSERT: one statement run for many rows is much cheaper than one per row.
    static let rowsPerInsert = 64

    init(db: Database, registry: Registry, loadID: Int) throws {
        self.db = db
        self.registry = registry
        self.loadID = loadID
        let (table, columns) = registry.table
        insertMany = try db.prepare(Self.insertSQL(registry, rows: Self.rowsPerInsert))
        select = try db.prepare("SELECT \(columns.joined(separator: ", ")), load_id, line FROM \(table) WHERE \(columns[0]) = ?")
        update = try db.prepare("UPDATE \(table) SET " + columns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")
                                + ", load_id = ?, line = ? WHERE \(columns[0]) = ?")
        relist = try db.prepare("UPDATE \(table) SET load_id = ?, line = ? WHERE \(columns[0]) = ?")
        revision = try db.prepare("""
            INSERT INTO registry_revision (registry, record_key, previous, load_id, replaced_by_load) VALUES (?, ?, ?, ?, ?)
            """)
        immutable = registry.immutableColumns.compactMap { columns.firstIndex(of: $0) }
    }

    /// An INSERT of `rows` rows that skips keys already present and returns the keys it inserted.
    private static func insertSQL(_ registry: Registry, rows: Int) -> String {
        let (table, columns) = registry.table
        let row = "(" + Array(repeating: "?", count: columns.count + 2).joined(separator: ", ") + ")"
        return "INSERT INTO \(table) (\(columns.joined(separator: ", ")), load_id, line) VALUES "
            + Array(repeating: row, count: rows).joined(separator: ", ") + " ON CONFLICT DO NOTHING RETURNING \(columns[0])"
    }

    /// Stores `rows` (the table's values and the file line of each), in order; what happened to each.
    func store(_ rows: [(values: [SQLValue], line: Int)]) throws -> [Change] {
        var changes: [Change] = []
        changes.reserveCapacity(rows.count)
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + Self.rowsPerInsert, rows.count)]
            let statement = chunk.count == Self.rowsPerInsert ? insertMany
                : try db.prepare(Self.insertSQL(registry, rows: chunk.count))
            try statement.bind([])
            var index: Int32 = 1
            for (values, line) in chunk {
                for value in values {
                    try statement.bind(value, at: index)
                    index += 1
                }
                try statement.bind(.integer(Int64(loadID)), at: index)
                try statement.bind(.integer(Int64(line)), at: index + 1)
                index += 2
            }
            var inserted: [String: Int] = [:]
            while try statement.step() {
                if let key = statement.text(0) { inserted[key, default: 0] += 1 }
            }
            try statement.bind([])
            for (values, line) in chunk {
                // Of two rows with one key in a chunk, the first is the one inserted.
                if let key = values[0].text, let count = inserted[key], count > 0 {
                    inserted[key] = count - 1
                    changes.append(.inserted)
                } else {
                    changes.append(try storeExisting(values, line: line))
                }
            }
            start += chunk.count
        }
        return changes
    }

    /// Compares a row whose key is already in the table with what is stored, and updates it when it changed.
    private func storeExisting(_ values: [SQLValue], line: Int) throws -> Change {
        let columns = registry.table.columns
        guard let stored = try select.rows([values[0]]).first else {
            throw SQLiteError(code: 0, message: "\(registry.keyName) at line \(line) was neither inserted nor found", sql: select.sql)
        }
        let storedLoad = Int(stored["load_id"].int ?? 0)
        if storedLoad == loadID { return .duplicate(line: Int(stored["line"].int ?? 0)) }
        if let index = immutable.first(where: { stored.values[$0] != values[$0] }) {
            return .conflict(column: columns[index], loadID: storedLoad)
        }
        if Array(stored.values.prefix(columns.count)) == values {
            // Stamped with this load, so that the key given again later in the file is a duplicate, as it is on a
            // first load: a record's load is the last one that listed it.
            try relist.execute([.integer(Int64(loadID)), .integer(Int64(line)), values[0]])
            return .unchanged
        }
        let previous = Dictionary(uniqueKeysWithValues: zip(columns, stored.values).map { ($0, $1.jsonValue) })
        let json = String(decoding: try JSONSerialization.data(withJSONObject: previous, options: [.sortedKeys]), as: UTF8.self)
        try revision.execute([registry.rawValue, values[0], json, storedLoad, loadID])
        try update.execute(Array(values.dropFirst()) + [.integer(Int64(loadID)), .integer(Int64(line)), values[0]])
        return .updated
    }
}

private extension SQLValue {
    var jsonValue: Any {
        switch self {
        case .null: return NSNull()
        case .integer(let v): return v
        case .real(let v): return v
        case .text(let v): return v
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs; the string itself, not a copy, when it has none.
    var trimmedOfSpaces: String {
        let utf8 = self.utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
        guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return self }
        guard let start = utf8.firstIndex(where: { !isSpace($0) }), let end = utf8.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
