import Analytics
import Foundation
import Ingest
import Reports
import Warehouse

/// What `syntheticRegistries` wrote.
public struct SyntheticRegistrySummary: Sendable {
    /// Rows written per registry file name (population.csv, land.csv, business.csv).
    public var rows: [String: Int] = [:]
    /// The deliberately bad rows: file, line, the error code the loader must give.
    public var badRows: [(file: String, line: Int, errorCode: String)] = []
}

/// Writes synthetic population, land and business registry extracts as of `asOf` (pre-2025 unit codes), and
/// `bad-rows.csv` listing the rows spoiled on purpose.
///
/// - People: the real 2024 population of each of the 63 provinces times `scale`, each in a commune of the
///   province drawn at random; ages from a Vietnamese-shaped pyramid, half women; citizen IDs that follow the
///   card's rules (province of birth, sex and century, year of birth). From age 14, a level-2 digital identity
///   with a province-specific probability, registered between July 2022 and `asOf`, rising over time.
/// - Enterprises: one per 110 people (Viet Nam's ratio), at least one per province, with valid tax codes (check
///   digit), VSIC 2018 industries, registration dates since 1995 growing towards the present, and e-invoice
///   adoption from 2019 whose level differs by province.
/// - Land parcels: about 0.8 per person, in the person's communes, with land-use codes, areas, and
///   province-specific shares of certificates and digitised records.
/// - About 0.3% of rows are spoiled (a bad ID length or check, a unit that does not exist, a future date, a
///   bad code or flag, a duplicate key, a missing field); `bad-rows.csv` lists each with its expected error.
///
/// Same seed, same bytes. Memory does not grow with `scale`: rows stream to the files.
public func syntheticRegistries(reference: String, scale: Double, seed: UInt64, asOf: String = "2024-12-31",
                                only registries: Set<Registry> = Set(Registry.allCases),
                                to folder: String) throws -> SyntheticRegistrySummary {
    let population = try CSVTable(path: reference + "/population/province_stats_2024_63.csv")
    let districts = try CSVTable(path: reference + "/pre2025/districts.csv")
    let wards = try CSVTable(path: reference + "/pre2025/wards.csv")
    var provinceOfDistrict: [String: String] = [:]
    for row in districts.rows { provinceOfDistrict[try districts.value(row, "code")] = try districts.value(row, "province_code") }
    var communes: [String: [String]] = [:]
    for row in wards.rows {
        guard let province = provinceOfDistrict[try wards.value(row, "district_code")] else { continue }
        communes[province, default: []].append(try wards.value(row, "code"))
    }
    let provinces = try population.rows.map { (code: try population.value($0, "code"),
                                                people: Double(try population.value($0, "population")) ?? 0) }
    let asOfYear = Int(asOf.prefix(4))!

    var summary = SyntheticRegistrySummary()
    // Each registry draws from its own generator, so each file is the same whatever else is written.
    var personDraws = SplitMix64(seed: seed ^ 0x5045_5253_4f4e)
    var parcelDraws = SplitMix64(seed: seed ^ 0x5041_5243_454c)
    var firmDraws = SplitMix64(seed: seed ^ 0x4649_524d)
    func file(_ registry: Registry, _ header: [String]) throws -> RegistryFile? {
        registries.contains(registry) ? try RegistryFile(folder + "/\(registry.rawValue).csv", header) : nil
    }
    var people = try file(.population, Registry.population.requiredColumns)
    var parcels = try file(.land, Registry.land.requiredColumns)
    var firms = try file(.business, Registry.business.requiredColumns + ["e_invoice_since"])
    var serials: [String: Int] = [:]

    /// Writes `fields`, or with probability 0.3% a spoiled copy, recording its expected error.
    func write(_ file: inout RegistryFile, _ fields: [String], spoil: [(code: String, spoil: ([String]) -> [String])],
               _ random: inout SplitMix64) throws {
        if random.uniform(0, 1) < 0.003, !spoil.isEmpty, let previous = file.lastGood {
            let choice = Int(random.uniform(0, Double(spoil.count + 1)))
            let (code, spoiled) = choice == spoil.count ? ("duplicate_key", previous) : (spoil[choice].code, spoil[choice].spoil(fields))
            try file.append(spoiled, good: false)
            summary.badRows.append((file.name, file.line, code))
        } else {
            try file.append(fields, good: true)
        }
    }

    for (province, residents) in provinces {
        let local = communes[province] ?? []
        guard !local.isEmpty else { continue }
        let count = Int((residents * scale).rounded())
        if var file = people {
            let identityShare = personDraws.uniform(0.55, 0.92), identityPace = personDraws.uniform(0.5, 2.5)
            for _ in 0..<count {
                try write(&file, person(province: province, communes: local, identityShare: identityShare,
                                        identityPace: identityPace, &personDraws), spoil: [
                    ("bad_length", { f in replacing(f, 0, String(f[0].dropLast())) }),
                    ("id_mismatch", { f in replacing(f, 2, f[2] == "F" ? "M" : "F") }),
                    ("unknown_unit", { f in replacing(f, 3, "99999") }),
                    ("future_date", { f in replacing(f, 1, "\(asOfYear + 1)-03-01") }),
                    ("bad_code", { f in replacing(f, 6, "moved") }),
                    ("column_count", { f in Array(f.dropLast()) }),
                ], &personDraws)
            }
            people = file
        }
        if var file = parcels {
            let certified = parcelDraws.uniform(0.7, 0.98), digitised = parcelDraws.uniform(0.3, 0.95)
            for _ in 0..<Int((Double(count) * 0.8).rounded()) {
                try write(&file, parcel(communes: local, certified: certified, digitised: digitised, &parcelDraws), spoil: [
                    ("out_of_range", { f in replacing(f, 2, "-" + f[2]) }),
                    ("bad_code", { f in replacing(f, 3, "XYZ") }),
                    ("bad_flag", { f in replacing(f, 4, "maybe") }),
                    ("unknown_unit", { f in replacing(f, 1, "123") }),
                ], &parcelDraws)
            }
            parcels = file
        }
        if var file = firms {
            let invoiceShare = firmDraws.uniform(0.6, 0.98)
            for index in 0..<max(1, count / 110) {
                // The first enterprise of a province is never spoiled, so every province has one.
                try write(&file, enterprise(province: province, invoiceShare: invoiceShare, &firmDraws),
                          spoil: index == 0 ? [] : [
                    ("bad_check", { f in
                        let check = f[0].dropFirst(9).first?.wholeNumberValue ?? 0
                        return replacing(f, 0, f[0].prefix(9) + String((check + 1) % 10) + f[0].dropFirst(10))
                    }),
                    ("bad_code", { f in replacing(f, 3, "C04") }),
                    ("bad_date", { f in replacing(f, 4, "\(asOfYear - 1)-02-30") }),
                    ("missing", { f in replacing(f, 1, "") }),
                ], &firmDraws)
            }
            firms = file
        }
    }

    func person(province: String, communes local: [String], identityShare: Double, identityPace: Double,
                _ random: inout SplitMix64) -> [String] {
        let age = random.pick([((0, 15), 0.24), ((15, 25), 0.14), ((25, 40), 0.24), ((40, 55), 0.20), ((55, 65), 0.10),
                               ((65, 90), 0.08)])
        let birth = random.day(String(asOfYear - age.1) + "-01-01", String(asOfYear - age.0 - 1) + "-12-31")
        let female = random.uniform(0, 1) < 0.501
        let birthProvince = random.uniform(0, 1) < 0.9 ? province : provinces[Int(random.uniform(0, Double(provinces.count)))].code
        let year = Int(birth.prefix(4))!
        let group = "0\(birthProvince)\((year - 1900) / 100 * 2 + (female ? 1 : 0))\(padded(year % 100, 2))"
        let serial = serials[group, default: 0]
        serials[group] = serial + 1
        let id = group + padded((serial * 7919 + 104_729) % 1_000_000, 6)
        var level = "none", registered = ""
        if asOfYear - year >= 14 {
            if random.uniform(0, 1) < identityShare {
                level = "2"
                // Registrations bunch towards the end as the campaign reaches everyone.
                let fraction = pow(random.uniform(0, 1), 1 / identityPace)
                registered = dateText(dayNumber("2022-07-01") + Int(fraction * Double(dayNumber(asOf) - dayNumber("2022-07-01"))))
            } else if random.uniform(0, 1) < 0.3 {
                level = "1"
                registered = random.day("2022-07-01", asOf)
            }
        }
        let status = random.pick([("active", 0.985), ("deceased", 0.01), ("emigrated", 0.005)])
        let commune = local[Int(random.uniform(0, Double(local.count)))]
        return [id, birth, female ? "F" : "M", commune, level, registered, status]
    }

    func parcel(communes local: [String], certified: Double, digitised: Double, _ random: inout SplitMix64) -> [String] {
        let commune = local[Int(random.uniform(0, Double(local.count)))]
        let number = serials["parcel" + commune, default: 0]
        serials["parcel" + commune] = number + 1
        let use = random.pick([("LUA", 25.0), ("ONT", 20), ("ODT", 10), ("HNK", 12), ("CLN", 15), ("RSX", 8),
                               ("NTS", 5), ("SKC", 2), ("TMD", 3)])
        let medians: [String: Double] = ["ONT": 250, "ODT": 90, "TMD": 400, "SKC": 3000]
        let area = (medians[use] ?? 1500) * exp(0.8 * random.boxMullerNormal())
        return ["\(commune)-\(number / 500 + 1)-\(number % 500 + 1)", commune, String(Double(Int(area * 10)) / 10), use,
                random.uniform(0, 1) < certified ? "true" : "false", random.uniform(0, 1) < digitised ? "true" : "false"]
    }

    func enterprise(province: String, invoiceShare: Double, _ random: inout SplitMix64) -> [String] {
        var code: String
        repeat {
            let serial = serials["firm" + province, default: 0] + 1
            serials["firm" + province] = serial
            let digits = province + padded((serial * 7_919) % 10_000_000, 7)
            let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]
            let check = 10 - zip(weights, digits.compactMap(\.wholeNumberValue)).map(*).reduce(0, +) % 11
            code = check < 10 ? digits + String(check) : ""
        } while code.isEmpty
        let section = random.pick([("G", 38.0), ("C", 16), ("F", 13), ("M", 8), ("H", 5), ("L", 4), ("I", 4), ("N", 4),
                                ("J", 3), ("A", 1), ("K", 1), ("P", 1), ("Q", 1), ("R", 1)])
        let divisions = RegistryCodes.vsicDivisions[Character(section)]!.sorted()
        let division = divisions[Int(random.uniform(0, Double(divisions.count)))]
        let registered = dateText(dayNumber("1995-01-01") + Int(pow(random.uniform(0, 1), 0.6)
                                                                * Double(dayNumber(asOf) - dayNumber("1995-01-01"))))
        let status = random.pick([("active", 0.8), ("suspended", 0.08), ("dissolved", 0.12)])
        let uses = random.uniform(0, 1) < (status == "active" ? invoiceShare : 0.4)
        var since = ""
        if uses {
            // Adoption from 2019, most of it around the July 2022 mandate (Decree 123/2020/NĐ-CP).
            let adoption = dateText(dayNumber("2019-01-01") + Int(min(1, max(0, 0.55 + 0.2 * random.boxMullerNormal()))
                                                                   * Double(dayNumber(asOf) - dayNumber("2019-01-01"))))
            since = max(adoption, registered)
        }
        let names = ["An Phát", "Hòa Bình", "Minh Long", "Thành Công", "Việt Tiến", "Sao Mai", "Đại Dương", "Phú Quý",
                     "Hồng Hà", "Trường Sơn", "Bình Minh", "Tân Tiến"]
        let form = random.pick([("Công ty TNHH", 0.6), ("Công ty Cổ phần", 0.3), ("Doanh nghiệp tư nhân", 0.1)])
        let name = "\(form) \(names[Int(random.uniform(0, Double(names.count)))]) \(code.suffix(4))"
        return [code, name, province, section + padded(division, 2), registered, status,
                uses ? "true" : "false", since]
    }

    for file in [people, parcels, firms].compactMap({ $0 }) {
        try file.close()
        summary.rows[file.name] = file.line - 1
    }
    var bad = CSVWriter(header: ["file", "line", "error_code"])
    for row in summary.badRows { bad.append([row.file, String(row.line), row.errorCode]) }
    try bad.text.write(toFile: folder + "/bad-rows.csv", atomically: true, encoding: .utf8)
    return summary
}

/// A registry CSV written as it goes, through a 1 MiB buffer.
private struct RegistryFile {
    let name: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    /// The line number of the last row written (the header is line 1).
    private(set) var line = 1
    /// The last row written unspoiled, to copy as a duplicate.
    private(set) var lastGood: [String]?

    init(_ path: String, _ header: [String]) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw InputError(file: path, message: "cannot write the file")
        }
        self.handle = handle
        name = (path as NSString).lastPathComponent
        buffer.append(contentsOf: (header.joined(separator: ",") + "\n").utf8)
    }

    mutating func append(_ fields: [String], good: Bool) throws {
        line += 1
        if good { lastGood = fields }
        buffer.append(contentsOf: (fields.map(CSVWriter.escape).joined(separator: ",") + "\n").utf8)
        if buffer.count > 1 << 20 {
            handle.write(Data(buffer))
            buffer.removeAll(keepingCapacity: true)
        }
    }

    func close() throws {
        handle.write(Data(buffer))
        try handle.close()
    }
}

extension SplitMix64 {
    /// A day drawn uniformly between two ISO dates, both included.
    mutating func day(_ from: String, _ to: String) -> String {
        let start = dayNumber(from), end = dayNumber(to)
        return dateText(start + Int(uniform(0, Double(end - start + 1))))
    }

    /// One of `choices`, drawn with probability proportional to its weight.
    mutating func pick<T>(_ choices: [(T, Double)]) -> T {
        var draw = uniform(0, choices.reduce(0) { $0 + $1.1 })
        for (value, weight) in choices {
            draw -= weight
            if draw < 0 { return value }
        }
        return choices[choices.count - 1].0
    }
}

private func replacing(_ fields: [String], _ index: Int, _ value: String) -> [String] {
    var fields = fields
    fields[index] = value
    return fields
}

/// Days since 1970-01-01 of an ISO date, and back.
private func dayNumber(_ date: String) -> Int {
    let parts = date.split(separator: "-").compactMap { Int($0) }
    var (y, m) = (parts[0], parts[1])
    if m <= 2 { y -= 1; m += 12 }
    let era = y / 400, yoe = y - era * 400
    let doy = (153 * (m - 3) + 2) / 5 + parts[2] - 1
    return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

private func dateText(_ days: Int) -> String {
    let z = days + 719_468, era = z / 146_097, doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9
    return padded(yoe + era * 400 + (m <= 2 ? 1 : 0), 4) + "-" + padded(m, 2) + "-" + padded(d, 2)
}

/// `number` in decimal with leading zeros to `width` digits.
private func padded(_ number: Int, _ width: Int) -> String {
    let digits = String(number)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
