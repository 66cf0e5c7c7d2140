import Foundation
import Reference
import Warehouse

/// Loads the targets a ministry or province sets in its own plan (often higher or earlier than the
/// decision's): `indicator, unit, comparator, threshold, deadline, source` and optional `id`, `text_vi`,
/// `text_en`. They stand beside the decision's catalogue, are assessed the same way for their one unit, and
/// are labelled with their source document. Every row is validated; the file loads whole or not at all.
public struct LocalTargetLoader {
    public let warehouse: Warehouse
    public let units: UnitDirectory
    public let indicators: [String: Indicator]
    public static let dataset = "local-target"
    /// Validate and report, write nothing.
    public var dryRun = false
    /// The day the plans are read on: a target's unit is named as in force that day.
    public var today = Clock.today()
    static let required = ["indicator", "unit", "comparator", "threshold", "deadline", "source"]

    public init(warehouse: Warehouse, units: UnitDirectory, indicators: [String: Indicator]) {
        self.warehouse = warehouse
        self.units = units
        self.indicators = indicators
    }

    /// Loads `path`; any rejected row fails the file (a plan's targets are few and must all be right).
    public func load(path: String) throws -> (summary: LoadSummary, rejects: [RejectedRow]) {
        var load = try FileLoad(path: path, format: "local-targets-csv", dataset: Self.dataset, warehouse: warehouse,
                                dryRun: dryRun)
        if try load.isAlreadyLoaded() { return (load.summary, []) }
        let table = try CSVTable(path: path)
        let header = Set(table.header.map { $0.lowercased() })
        for name in Self.required where !header.contains(name) {
            throw InputError(file: path, line: 1, column: name, message: "required column '\(name)' is missing")
        }
        var targets: [Target] = []
        var rejects: [RejectedRow] = []
        var repointed: [String] = []
        for row in table.rows {
            load.summary.read += 1
            let fields = Dictionary(uniqueKeysWithValues: row.fields.map { ($0.key.lowercased(), $0.value.trimmingCharacters(in: .whitespaces)) })
            let raw = table.header.map { row.fields[$0] ?? "" }.joined(separator: ",")
            func reject(_ column: String, _ code: RejectCode, _ message: String) {
                rejects.append(RejectedRow(line: row.line, column: column, errorCode: code, message: message, raw: raw))
            }
            let code = fields["indicator"] ?? ""
            let indicator = indicators[code]
            if indicator == nil { reject("indicator", RejectCode.unknownIndicator, "unknown indicator '\(code)'") }
            var unit: AdministrativeUnit?
            do {
                // A plan of a unit that was merged is followed to the unit that took it over, and said so; one
                // split between several units cannot be followed.
                let resolution = try units.resolve(fields["unit"] ?? "", on: today)
                if resolution.inForce.count == 1, let now = resolution.inForce.first {
                    unit = now
                    if now.id != resolution.matched.id {
                        repointed.append("line \(row.line): \(units.describe(resolution.matched)) is now part of "
                                         + "\(now.code) \(now.nameVI): the target is assessed for \(now.nameVI), whose "
                                         + "series carries \(resolution.matched.nameVI)'s through the crosswalk")
                    }
                } else {
                    reject("unit", RejectCode.unitSplit, "\(units.describe(resolution.matched)) was split between "
                           + resolution.inForce.map { "\($0.code) \($0.nameVI)" }.joined(separator: ", ")
                           + ": set the target for one of them")
                }
            } catch {
                reject("unit", RejectCode.unknownUnit, "\(error)")
            }
            let comparator = TargetComparator(rawValue: fields["comparator"] ?? "")
            if comparator == nil { reject("comparator", RejectCode.badComparator, "comparator must be >=, <= or ==") }
            let threshold = Double(fields["threshold"] ?? "")
            if threshold == nil { reject("threshold", RejectCode.notANumber, "threshold '\(fields["threshold"] ?? "")' is not a number") }
            let deadline = Int(fields["deadline"] ?? "")
            if deadline.map({ !(2000...2100).contains($0) }) ?? true {
                reject("deadline", RejectCode.badDeadline, "deadline must be a year such as 2025")
            }
            let source = fields["source"] ?? ""
            if source.isEmpty { reject("source", RejectCode.missingSource, "name the plan the target comes from") }
            guard let indicator, let unit, let comparator, let threshold, let deadline, !source.isEmpty else { continue }
            let id = fields["id"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(source):\(code):\(unit.code):\(deadline)"
            let written = "\(indicator.nameVI) \(comparator.rawValue) \(threshold) – \(unit.nameVI), \(deadline)"
            targets.append(Target(
                id: id, clause: source, indicator: code,
                textVI: fields["text_vi"].flatMap { $0.isEmpty ? nil : $0 } ?? written,
                textEN: fields["text_en"].flatMap { $0.isEmpty ? nil : $0 }
                    ?? "\(indicator.nameEN) \(comparator.rawValue) \(threshold) – \(unit.nameEN ?? unit.nameVI), \(deadline)",
                comparator: comparator, threshold: threshold, unit: indicator.unit, level: unit.level.rawValue,
                deadline: deadline, note: nil, unitID: unit.id, source: source))
        }
        load.summary.rejected = Set(rejects.map(\.line)).count
        let described = "\(targets.count) targets" + (repointed.isEmpty ? "" : "; warning: \(repointed.count) targets "
            + "re-pointed to the unit now in force: " + repointed.joined(separator: "; "))
        return try load.finish(rejects: rejects, maxRejectRate: 0, counting: "targets", rows: targets.count,
                               described: described) { _, summary in
            try warehouse.storeLocalTargets(targets)
            summary.loaded = targets.count
        }
    }
}
