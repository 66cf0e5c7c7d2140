import Foundation
import Reference

/// Reference data that could not be stored because it names a unit that does not exist.
public struct ReferenceIntegrityError: Error, CustomStringConvertible {
    public let problems: [String]
    public var description: String {
        "reference data refers to missing units: " + problems.prefix(10).joined(separator: "; ")
            + (problems.count > 10 ? " (and \(problems.count - 10) more)" : "")
    }
}

/// The unit tables: administrative units, crosswalk links and aliases.
extension Warehouse {
    /// Writes units, crosswalk links and aliases in one transaction. Units are upserted on (version, level,
    /// code), so ids stay stable and running it again changes nothing.
    public func storeUnits(_ units: [UnitRecord], crosswalk: [CrosswalkRecord], aliases: [(String, UnitKey)]) throws {
        try db.transaction {
            var ids: [UnitKey: Int] = [:]
            var problems: [String] = []
            // Level by level from the nation down, so that each unit's parent has its id.
            let byLevel = Dictionary(grouping: units, by: \.level.rank).sorted { $0.key > $1.key }.map(\.value)
            for level in byLevel {
                let rows = level.map { record -> [SQLBindable] in
                    var parentID: Int?
                    if let parent = record.parent {
                        parentID = ids[UnitKey(record.version, parent.level, parent.code)]
                        if parentID == nil {
                            problems.append("\(record.level.rawValue) \(record.code) (\(record.version.rawValue)): "
                                            + "no \(parent.level.rawValue) \(parent.code)")
                        }
                    }
                    return [record.code, record.level.rawValue, record.version.rawValue, record.nameVI, record.nameEN,
                            record.fullNameVI, record.fullNameEN, record.kind, parentID, record.validFrom, record.validTo]
                }
                for row in try db.insert("""
                    INSERT INTO unit (code, level, version, name_vi, name_en, full_name_vi, full_name_en, kind,
                                      parent_id, valid_from, valid_to)
                    """, rows, then: """
                    ON CONFLICT (version, level, code) DO UPDATE SET
                        name_vi = excluded.name_vi, name_en = excluded.name_en,
                        full_name_vi = excluded.full_name_vi, full_name_en = excluded.full_name_en,
                        kind = excluded.kind, parent_id = excluded.parent_id,
                        valid_from = excluded.valid_from, valid_to = excluded.valid_to
                    RETURNING id, version, level, code
                    """) {
                    if let id = row["id"].int, let version = row["version"].text.flatMap(UnitVersion.init(rawValue:)),
                       let level = row["level"].text.flatMap(UnitLevel.init(rawValue:)), let code = row["code"].text {
                        ids[UnitKey(version, level, code)] = Int(id)
                    }
                }
            }
            try db.execute("DELETE FROM crosswalk; DELETE FROM unit_alias")
            var links: [[SQLBindable]] = []
            for record in crosswalk {
                guard let from = ids[record.from], let to = ids[record.to] else {
                    problems.append("crosswalk \(record.from.code) -> \(record.to.code)")
                    continue
                }
                links.append([from, to, record.share, record.partial])
            }
            try db.insert("INSERT INTO crosswalk (from_unit_id, to_unit_id, share, partial)", links)
            var named: [[SQLBindable]] = []
            for (name, key) in aliases {
                guard let id = ids[key] else {
                    problems.append("alias \(name) -> \(key.code)")
                    continue
                }
                named.append([name, id])
            }
            try db.insert("INSERT INTO unit_alias (alias, unit_id)", named, then: "ON CONFLICT DO NOTHING")
            guard problems.isEmpty else { throw ReferenceIntegrityError(problems: problems) }
            try db.execute(Self.placeUnitsSQL)
            try partitionByProvince()
        }
    }

    /// Sets each unit's `province_id`: the province of 1 July 2025 it lies in - its own province for a 2025
    /// unit; for a unit before the merger, the 2025 province its province merged into (by the crosswalk) - and
    /// the unit itself for one in no province (the nation, its regions, the ministries). The registry
    /// and observation rows carry their unit's (`RegistryWriter`, `ObservationWriter`): what a server keeps
    /// each province's rows apart by.
    static let placeUnitsSQL = """
        UPDATE unit SET province_id = placed.province_id FROM (
            WITH RECURSIVE up (id, ancestor, level) AS (
                SELECT id, id, level FROM unit
                UNION ALL
                SELECT up.id, parent.id, parent.level FROM up
                JOIN unit child ON child.id = up.ancestor
                JOIN unit parent ON parent.id = child.parent_id
                WHERE up.level <> 'province'
            )
            SELECT up.id, coalesce(
                CASE WHEN province.version = '2025' THEN province.id END,
                (SELECT min(link.to_unit_id) FROM crosswalk link JOIN unit merged ON merged.id = link.to_unit_id
                 WHERE link.from_unit_id = province.id AND merged.level = 'province' AND merged.version = '2025'),
                province.id) AS province_id
            FROM up JOIN unit province ON province.id = up.ancestor
            WHERE up.level = 'province'
        ) AS placed
        WHERE unit.id = placed.id;
        UPDATE unit SET province_id = id WHERE province_id IS NULL
        """

    /// Gives each 2025 province its own partition of the tables kept by province, where the engine has
    /// partitions (PostgreSQL).
    func partitionByProvince() throws {
        let provinces = try db.rows("SELECT id, code FROM unit WHERE version = '2025' AND level = 'province' ORDER BY code")
            .compactMap { row in row["id"].int.flatMap { id in row["code"].text.map { (id: id, code: $0) } } }
        try db.engine.partition(byProvinces: provinces)
    }

    /// Loads every unit, crosswalk link and alias into a directory for lookups.
    public func unitDirectory() throws -> UnitDirectory {
        Self.reads["units", default: 0] += 1
        let statement = try db.prepare("""
            SELECT id, code, level, version, name_vi, name_en, full_name_vi, full_name_en, kind, parent_id,
                   valid_from, valid_to FROM unit ORDER BY id
            """)
        try statement.bind([])
        var units: [AdministrativeUnit] = []
        while try statement.step() {
            guard let id = statement.int(0), let code = statement.text(1),
                  let level = statement.text(2).flatMap(UnitLevel.init(rawValue:)),
                  let version = statement.text(3).flatMap(UnitVersion.init(rawValue:)),
                  let name = statement.text(4) else { continue }
            units.append(AdministrativeUnit(
                id: id, code: code, level: level, version: version, nameVI: name, nameEN: statement.text(5),
                fullNameVI: statement.text(6), fullNameEN: statement.text(7), kind: statement.text(8),
                parentID: statement.int(9), validFrom: statement.text(10), validTo: statement.text(11)))
        }
        let links = try db.rows("SELECT from_unit_id, to_unit_id, share, partial FROM crosswalk").compactMap { row in
            row["from_unit_id"].int.flatMap { from in
                row["to_unit_id"].int.map { to in
                    CrosswalkLink(fromID: Int(from), toID: Int(to), share: row["share"].double ?? 0,
                                  partial: row["partial"].int == 1)
                }
            }
        }
        let aliases = try db.rows("SELECT alias, unit_id FROM unit_alias").compactMap { row -> (String, Int)? in
            guard let alias = row["alias"].text, let id = row["unit_id"].int else { return nil }
            return (alias, Int(id))
        }
        return UnitDirectory(units: units, crosswalk: links, aliases: aliases)
    }

    /// How many units each version has at each level, keyed "version/level" ("2025/province").
    public func unitCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try db.rows("SELECT version, level, count(*) AS n FROM unit GROUP BY version, level") {
            counts["\(row["version"].text ?? "")/\(row["level"].text ?? "")"] = Int(row["n"].int ?? 0)
        }
        return counts
    }

    /// How many crosswalk links there are.
    public func crosswalkLinkCount() throws -> Int { Int(try db.scalar("SELECT count(*) FROM crosswalk").int ?? 0) }
}

/// The province of each unit, by unit id, read once: a writer names it in every statement on a table kept by
/// province, so that on a server each statement reads and writes one partition.
struct UnitProvinces {
    private let provinces: [Int64]

    init(_ db: Database) throws {
        let units = try db.rows("SELECT id, province_id FROM unit").compactMap { row in
            row["id"].int.flatMap { id in row["province_id"].int.map { (id, $0) } }
        }
        var provinces = [Int64](repeating: -1, count: Int(units.map(\.0).max() ?? 0) + 1)
        for (id, province) in units where id >= 0 { provinces[Int(id)] = province }
        self.provinces = provinces
    }

    /// The province of `unit`; `nil` for a unit the warehouse does not have.
    subscript(unit: Int64) -> Int64? {
        unit >= 0 && unit < provinces.count && provinces[Int(unit)] >= 0 ? provinces[Int(unit)] : nil
    }
}
