import Foundation
import Reference

/// The bundled reference tables under `Datasets/reference/`, turned into units, crosswalk links and aliases.
///
/// Versions: `pre2025` (63 provinces, 696 districts, 10,035 communes, in force until 2025-06-30) and `2025`
/// (34 provinces and 3,321 communes from 2025-07-01; no district level). Both carry the nation "VN" and the
/// six socio-economic regions. A 2025 province takes the region of the old province whose code it kept: the
/// statistics office has not published a regional grouping of the 34 provinces in these tables, so 2025
/// regional figures are provisional.
public struct ReferenceDataset {
    public var units: [UnitRecord] = []
    public var crosswalk: [CrosswalkRecord] = []
    public var aliases: [(String, UnitKey)] = []

    /// The day the 2025 administrative version took effect.
    public static let reorganisationDate = "2025-07-01"
    /// The last day of the pre-2025 version.
    public static let lastDayPre2025 = "2025-06-30"

    /// Reads every table under `directory`. Throws on the first malformed row, naming file, line and column.
    public init(directory: String) throws {
        func table(_ name: String) throws -> CSVTable { try CSVTable(path: directory + "/" + name) }
        func validity(_ version: UnitVersion) -> (String?, String?) {
            version == .pre2025 ? (nil, Self.lastDayPre2025) : (Self.reorganisationDate, nil)
        }
        for version in UnitVersion.allCases {
            let (from, to) = validity(version)
            units.append(UnitRecord(code: "VN", level: .nation, version: version, nameVI: "Việt Nam",
                                    nameEN: "Viet Nam", fullNameVI: "Cộng hòa xã hội chủ nghĩa Việt Nam",
                                    fullNameEN: "Socialist Republic of Viet Nam", kind: "Quốc gia",
                                    validFrom: from, validTo: to))
        }
        crosswalk.append(CrosswalkRecord(from: UnitKey(.pre2025, .nation, "VN"), to: UnitKey(.v2025, .nation, "VN"),
                                         share: 1, partial: false))

        let regionTable = try table("pre2025/socioeconomic_regions_63.csv")
        var regionOfProvince: [String: String] = [:]
        var regionNames: [String: (String, String)] = [:]
        for row in regionTable.rows {
            let region = try regionTable.value(row, "region_code")
            regionOfProvince[try regionTable.value(row, "code")] = region
            regionNames[region] = (try regionTable.value(row, "region_vi"), try regionTable.value(row, "region_en"))
        }
        for version in UnitVersion.allCases {
            let (from, to) = validity(version)
            for (code, names) in regionNames.sorted(by: { $0.key < $1.key }) {
                units.append(UnitRecord(code: code, level: .region, version: version, nameVI: names.0,
                                        nameEN: names.1, kind: "Vùng kinh tế - xã hội",
                                        parent: (.nation, "VN"), validFrom: from, validTo: to))
            }
        }

        for version in UnitVersion.allCases {
            let folder = version == .pre2025 ? "pre2025" : "2025"
            let (from, to) = validity(version)
            let kinds = try table("\(folder)/administrative_units.csv")
            var kindNames: [String: String] = [:]
            for row in kinds.rows { kindNames[try kinds.value(row, "id")] = try kinds.value(row, "full_name") }
            let provinces = try table("\(folder)/provinces.csv")
            for row in provinces.rows {
                let code = try provinces.value(row, "code")
                guard let region = regionOfProvince[code] else {
                    throw InputError(file: provinces.path, line: row.line, column: "code",
                                     message: "province \(code) has no socio-economic region")
                }
                units.append(try Self.unit(row, in: provinces, level: .province, version: version, kinds: kindNames,
                                           parent: (.region, region), validFrom: from, validTo: to))
            }
            if version == .pre2025 {
                let districts = try table("pre2025/districts.csv")
                for row in districts.rows {
                    units.append(try Self.unit(row, in: districts, level: .district, version: version,
                                               kinds: kindNames,
                                               parent: (.province, try districts.value(row, "province_code")),
                                               validFrom: from, validTo: to))
                }
            }
            let wards = try table("\(folder)/wards.csv")
            let parentColumn = version == .pre2025 ? "district_code" : "province_code"
            let parentLevel: UnitLevel = version == .pre2025 ? .district : .province
            for row in wards.rows {
                units.append(try Self.unit(row, in: wards, level: .commune, version: version, kinds: kindNames,
                                           parent: (parentLevel, try wards.value(row, parentColumn)),
                                           validFrom: from, validTo: to))
            }
        }

        let merges = try table("2025/province_merge_63_to_34.csv")
        for row in merges.rows {
            let type = try merges.value(row, "merge_type")
            crosswalk.append(CrosswalkRecord(from: UnitKey(.pre2025, .province, try merges.value(row, "old_code")),
                                             to: UnitKey(.v2025, .province, try merges.value(row, "new_code")),
                                             share: 1, partial: type != "full"))
        }
        let known = Set(units.map { UnitKey($0.version, $0.level, $0.code) })
        let wardLinks = try table("2025/ward_mapping_old_to_new_2025.csv")
        var links: [(from: UnitKey, to: UnitKey, partial: Bool)] = []
        for row in wardLinks.rows {
            let oldLevel: UnitLevel = try wardLinks.value(row, "old_unit_level") == "district" ? .district : .commune
            let from = UnitKey(.pre2025, oldLevel, try wardLinks.value(row, "old_unit_code"))
            let to = UnitKey(.v2025, .commune, try wardLinks.value(row, "new_ward_code"))
            // Upstream links a few wards that the 2024 unit list no longer has (renamed or merged before
            // 2025); they carry no data of ours, so they are left out and counted.
            guard known.contains(from), known.contains(to) else {
                unmatchedWardLinks += 1
                continue
            }
            links.append((from, to, try wardLinks.value(row, "merge_type") == "partial"))
        }
        // A split ward is shared equally among the new units it went to; a weight indicator can refine this.
        let linksPerWard = Dictionary(grouping: links, by: \.from).mapValues(\.count)
        for link in links {
            let share = 1 / Double(linksPerWard[link.from] ?? 1)
            crosswalk.append(CrosswalkRecord(from: link.from, to: link.to, share: share, partial: link.partial))
        }

        let aliasTable = try table("aliases.csv")
        for row in aliasTable.rows {
            guard let level = UnitLevel(rawValue: try aliasTable.value(row, "level")),
                  let version = UnitVersion(rawValue: try aliasTable.value(row, "version")) else {
                throw InputError(file: aliasTable.path, line: row.line, message: "unknown level or version")
            }
            aliases.append((try aliasTable.value(row, "alias"),
                            UnitKey(version, level, try aliasTable.value(row, "code"))))
        }
        // ISO 3166-2 codes (VN-HN, VN-SG) name the old provinces; a code kept in 2025 names its successor too.
        let iso = try table("pre2025/provinces_63_iso.csv")
        for row in iso.rows {
            aliases.append((try iso.value(row, "iso"), UnitKey(.pre2025, .province, try iso.value(row, "code"))))
        }
    }

    /// Links of the ward mapping whose old or new unit is not in the unit tables.
    public private(set) var unmatchedWardLinks = 0

    private static func unit(_ row: (line: Int, fields: [String: String]), in table: CSVTable, level: UnitLevel,
                             version: UnitVersion, kinds: [String: String], parent: (UnitLevel, String),
                             validFrom: String?, validTo: String?) throws -> UnitRecord {
        UnitRecord(code: try table.value(row, "code"), level: level, version: version,
                   nameVI: try table.value(row, "name"), nameEN: row.fields["name_en"],
                   fullNameVI: row.fields["full_name"], fullNameEN: row.fields["full_name_en"],
                   kind: row.fields["administrative_unit_id"].flatMap { kinds[$0] },
                   parent: parent, validFrom: validFrom, validTo: validTo)
    }
}
